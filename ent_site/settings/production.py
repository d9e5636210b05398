from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import STORAGES, client_address_settings, env, env_bool

DEBUG = False
SECRET_KEY = env.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment to run in production."
    )

STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(env.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Behind the reverse proxy (see docs/deploying.md): the client's address for
# django-axes is the one it appends to X-Forwarded-For.
TRUSTED_PROXIES = int(env.get("TRUSTED_PROXIES", "1"))
globals().update(client_address_settings(TRUSTED_PROXIES))
