import io

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo district, built once for the whole test session."""
    with django_db_blocker.unblock():
        call_command("seed_demo", force=True, stdout=io.StringIO())


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: tests roll the database back,
    not the cache, where the site's structure is kept (``home.cache``)."""
    cache.clear()


@pytest.fixture(autouse=True)
def french():
    """Every test starts and ends in French, the site's default language."""
    translation.activate("fr")
    yield
    translation.activate("fr")


def user(username):
    return get_user_model().objects.get(username=username)


def login(client, username):
    client.force_login(user(username))
    return client
