import tempfile
from pathlib import Path

from .base import *

# The demo district (seed_demo) and the generated one (seed_scale) use the
# test factories (requirements-dev.txt): development and tests only.
INSTALLED_APPS = [*INSTALLED_APPS, "demo", "scale"]

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "visibility.cache_keys.make_key",
    },
    # Tests roll back the database, not a cache: renditions are not cached.
    "renditions": {
        "BACKEND": "django.core.cache.backends.dummy.DummyCache",
        "KEY_FUNCTION": "visibility.cache_keys.make_key",
    },
}
# Tests roll the database back, not the cache: pages are cached only in the
# tests of the cache itself.
ANONYMOUS_CACHE_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notifications": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}

# Uploaded files of the tests go to a temporary folder, never to media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="ent-test-media-"))
PRIVATE_MEDIA_ROOT = MEDIA_ROOT / "private"
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/non-servi/"},
    },
}

# Static files come from the apps through the finders; no collectstatic.
STATIC_ROOT = None
