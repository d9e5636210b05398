"""Who reads the journal of personal data: the district team, a notion of
``visibility``, above this app. ``visibility`` sets ``READERS.check`` when it
starts; until then, only administrators read it."""

from types import SimpleNamespace

READERS = SimpleNamespace(check=lambda user: user.is_superuser)


def may_read(user):
    return user.is_authenticated and READERS.check(user)
