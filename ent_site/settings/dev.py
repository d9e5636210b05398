from .base import *
from .base import env, env_bool

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: S105

# Static files come from the apps through the finders; no collectstatic.
STATIC_ROOT = None
