"""Production settings as `make bench` runs them: on plain HTTP over the
loopback, so cookies may not be HTTPS-only and nothing redirects to HTTPS.
Everything that costs time (DEBUG off, manifest static files, PostgreSQL,
Redis) is as in production."""

from os import environ

from ent_site.settings.production import *  # noqa: F403

# seed_scale fills the measured database: the generator runs here too.
INSTALLED_APPS = [*INSTALLED_APPS, "demo", "scale"]  # noqa: F405

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Static files are collected by the bench into a folder of its own.
STATIC_ROOT = environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
