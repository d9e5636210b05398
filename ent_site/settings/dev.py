from .base import *
from .base import env, env_bool

# The demo district (seed_demo) and the generated one (seed_scale) use the
# test factories (requirements-dev.txt): development and tests only.
INSTALLED_APPS = [*INSTALLED_APPS, "demo", "scale"]

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")  # noqa: S105

# Static files come from the apps through the finders; no collectstatic.
STATIC_ROOT = None

# The French 404 for unknown addresses, as in production (not Django's
# technical page). Last, so that it sees a view's 404 first.
MIDDLEWARE = [*MIDDLEWARE, "home.middleware.FrenchNotFoundMiddleware"]
