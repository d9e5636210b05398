"""The person of a session, kept in the shared cache with what their
memberships open (their ``Access``), so that a signed-in request reads
neither the person nor their memberships from the database.

Each person's entry carries a *token*: a random value kept under its own key,
replaced whenever anything their access is read from changes (the person
saved or deleted, their memberships, groups or permissions), plus a token for
everyone, replaced when a group or a permission changes. An entry is used
only while both its tokens are the current ones, so a change applies from the
very next request: a family whose child leaves, or whose account is
deactivated, sees nothing more. Tokens are replaced at the change and again
when its transaction commits, since an entry made in between may have been
read before the commit. An entry made from rows read before a change is
stored under the tokens read before it, so it is never used.

The entry keeps the session's authentication hash, not the password hash: the
password is left deferred on the person (read from the database only by
whatever needs it, such as a password change).
"""

import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, get_user_model
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import SimpleLazyObject

EVERYONE_KEY = "people:everyone"
ENTRY_SECONDS = 3600
TOKEN_SECONDS = 24 * 3600


@dataclass
class Entry:
    """What is kept of a person: their columns but the password, the hash
    their sessions must carry, their access, and the tokens it was read
    under."""

    fields: dict
    auth_hash: str
    access: object
    tokens: tuple


def token_key(user_id):
    return f"people:token:{user_id}"


def entry_key(user_id):
    """The entry's key names the secret key its hash was made with: a new
    secret key never accepts the sessions of the old one."""
    secret = salted_hmac("visibility.people", str(user_id)).hexdigest()[:16]
    return f"people:entry:{user_id}:{secret}"


def current_tokens(user_id):
    """The person's token and everyone's, and the entry kept for the
    person (or None): one cache round trip. Missing tokens are made."""
    keys = [token_key(user_id), EVERYONE_KEY]
    entry = entry_key(user_id)
    found = cache.get_many([*keys, entry])
    tokens = []
    for key in keys:
        token = found.get(key)
        if token is None:
            token = secrets.token_hex(8)
            if not cache.add(key, token, TOKEN_SECONDS):
                token = cache.get(key, token)
        tokens.append(token)
    return tuple(tokens), found.get(entry)


def session_person(request):
    """The person of ``request``'s session (an ``AnonymousUser`` if none), as
    Django's ``auth.get_user`` finds them, from the shared cache when their
    entry is current and the session's hash matches it."""
    session = request.session
    try:
        user_id = get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend = session[BACKEND_SESSION_KEY]
        session_hash = session[HASH_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    if backend not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    tokens, entry = current_tokens(user_id)
    if (
        entry is not None
        and entry.tokens == tokens
        and constant_time_compare(session_hash, entry.auth_hash)
    ):
        return person_from(entry)
    user = auth.get_user(request)
    if user.is_authenticated and hasattr(user, "_ent_access"):
        keep(user, tokens)
    return user


def person_token(user):
    """The tokens ``user`` was found under (a string), None if they were
    not found by ``session_person``: what is kept for a person beside their
    entry (their unread count) names it, so that it goes with their access."""
    tokens = getattr(user, "_ent_person_tokens", None)
    return ":".join(tokens) if tokens else None


def person_from(entry):
    """A person built from ``entry``, with their access; the password is
    deferred."""
    model = get_user_model()
    names = list(entry.fields)
    user = model.from_db(DEFAULT_DB_ALIAS, names, [entry.fields[n] for n in names])
    user._ent_access = entry.access
    user._ent_person_tokens = entry.tokens
    return user


def keep(user, tokens):
    """Keep ``user`` (loaded with their access) under ``tokens``."""
    fields = {
        field.attname: getattr(user, field.attname)
        for field in get_user_model()._meta.concrete_fields
        if field.attname != "password"
    }
    entry = Entry(fields, user.get_session_auth_hash(), user._ent_access, tokens)
    cache.set(entry_key(user.pk), entry, ENTRY_SECONDS)
    user._ent_person_tokens = tokens


def forget_person(user_id):
    """Whatever ``user_id``'s access is read from changed: their entry is
    not used any more, now nor after the transaction commits, and is
    deleted (nothing of a deleted account stays in the cache)."""
    replace_token(token_key(user_id))
    delete_entry = partial(cache.delete, entry_key(user_id))
    delete_entry()
    transaction.on_commit(delete_entry)


def forget_everyone():
    """A group or a permission changed: no entry is used any more."""
    replace_token(EVERYONE_KEY)


def replace_token(key):
    def replace():
        cache.set(key, secrets.token_hex(8), TOKEN_SECONDS)

    replace()
    transaction.on_commit(replace)


class SessionPersonMiddleware(AuthenticationMiddleware):
    """Django's authentication middleware, finding the person of the
    session with ``session_person``."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: cached_person(request))


def cached_person(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_person(request)
    return request._cached_user


def forget_saved_person(sender, instance, **kwargs):
    forget_person(instance.pk)


def forget_people_of_relation(sender, instance, action, reverse, pk_set, **kwargs):
    """A person's groups or permissions changed (from either side)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        forget_person(instance.pk)
    elif pk_set is None:
        forget_everyone()
    else:
        for user_id in pk_set:
            forget_person(user_id)


def forget_everyone_after(sender, **kwargs):
    forget_everyone()


def connect_signals():
    """Every change an access is read from replaces a token (memberships:
    ``accounts.signals``)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user_model = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(forget_saved_person, sender=user_model, weak=False)
        for model in (Group, Permission):
            signal.connect(forget_everyone_after, sender=model, weak=False)
    for through in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(forget_people_of_relation, sender=through, weak=False)
    m2m_changed.connect(
        forget_everyone_after, sender=Group.permissions.through, weak=False
    )
