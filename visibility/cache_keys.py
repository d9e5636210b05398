"""The cache belongs to one database.

Every key of every cache alias (``KEY_FUNCTION`` in ``settings.CACHES``)
starts with the identity of the database it was read from: a digest of where
the database is (engine, host, port and name: another ``DATABASE_URL`` is
another cache) and a random token kept in the database itself
(``visibility.DatabaseIdentity``). The token is renewed whenever the database's
content is replaced: ``migrate`` and ``flush`` (``post_migrate``),
``seed_demo`` once it has built, and ``manage.py renew_cache_identity``
after a backup is restored. Visitors' pages, the site's structure, routing,
sessions and renditions kept for the old content are then never read again,
and expire.

A running process reads the token from the shared cache at the start of each
request and each background task (one cache read), so it sees a renewal made
by another process at once; from the database only when the cache has lost it
or it is older than ``IDENTITY_SECONDS``, so that a database replaced without
any of the commands above (a restored backup of another database) is noticed
within that time.
"""

import hashlib
import secrets
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_started
from django.db import DatabaseError, transaction

from django_tasks.signals import task_started

IDENTITY_KEY = "database-identity"
IDENTITY_SECONDS = 60


class State:
    """The token this process reads the cache with."""

    token = None


def make_key(key, key_prefix, version):
    """Django's key (prefix, version, key), within the database's identity."""
    place = location(*database_place())
    if key == IDENTITY_KEY:
        return f"{key_prefix}:{place}:{key}"
    return f"{key_prefix}:{place}:{current_token()}:{version}:{key}"


def database_place():
    database = settings.DATABASES["default"]
    return tuple(
        str(database.get(name) or "") for name in ("ENGINE", "HOST", "PORT", "NAME")
    )


@lru_cache(maxsize=8)
def location(*place):
    return hashlib.sha256("|".join(place).encode()).hexdigest()[:16]


def current_token():
    if State.token is None:
        refresh()
    return State.token


def refresh(**kwargs):
    """Read the token again: from the shared cache, or else from the
    database (and keep it in the cache)."""
    cache = caches["default"]
    token = cache.get(IDENTITY_KEY)
    if token is None:
        token = stored_token()
        cache.set(IDENTITY_KEY, token, IDENTITY_SECONDS)
    State.token = token


def stored_token():
    """The database's token, made if it has none yet. A database without
    the table (not migrated yet) gets a token of its own for this process,
    shared with nobody."""
    from visibility.models import DatabaseIdentity

    try:
        with transaction.atomic():
            identity = DatabaseIdentity.objects.first()
            if identity is None:
                identity = DatabaseIdentity.objects.create(token=new_token())
            return identity.token
    except DatabaseError:
        return "unmigrated-" + new_token()


def new_token():
    return secrets.token_hex(8)


def renew(**kwargs):
    """A new identity for the database's content: every process reads the
    cache under it from its next request on; nothing cached before is read
    again."""
    from visibility.models import DatabaseIdentity

    token = new_token()
    try:
        with transaction.atomic():
            if not DatabaseIdentity.objects.update(token=token):
                DatabaseIdentity.objects.create(token=token)
    except DatabaseError:
        pass  # not migrated (or migrated back): the token is this process's
    caches["default"].set(IDENTITY_KEY, token, IDENTITY_SECONDS)
    State.token = token
    return token


request_started.connect(refresh, dispatch_uid="visibility.cache_keys.refresh")
task_started.connect(refresh, dispatch_uid="visibility.cache_keys.refresh_for_task")
