"""A photo costs one query: the rendition, read with who may see it."""

import re

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

import pytest

from news.models import NewsPage
from tests.conftest import login, user
from visibility.audience import access_for

pytestmark = pytest.mark.django_db


def photo_url(client, slug):
    """The URL of the first photo of the news item ``slug``, as ``client``
    reads it (rendering the page makes its renditions)."""
    html = client.get(NewsPage.objects.get(slug=slug).url).content.decode()
    return re.search(r'src="(/images/\d+/[^"]+)"', html).group(1)


def served(url, person):
    """The rendition view's answer to ``person`` (whose access is resolved,
    as it comes with the session) and the queries it made."""
    access_for(person)
    request = RequestFactory().get(url)
    request.user = person
    match = resolve(url)
    match.func(request, *match.args, **match.kwargs)  # warm: content types
    with CaptureQueriesContext(connection) as queries:
        response = match.func(request, *match.args, **match.kwargs)
    return response, len(queries)


def test_a_family_gets_a_class_photo_in_one_query(client):
    url = photo_url(login(client, "famille.leroy"), "sortie-au-musee-des-beaux-arts")
    response, queries = served(url, user("famille.leroy"))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert queries == 1


def test_a_visitor_gets_a_public_photo_in_one_query(client):
    public = NewsPage.objects.live().filter(audience_info__audience="public")
    news = next(
        news
        for news in public
        if any(block.block_type == "image" for block in news.body)
    )
    response, queries = served(photo_url(client, news.slug), AnonymousUser())
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert queries == 1


def test_a_family_of_another_class_gets_no_photo(client):
    url = photo_url(login(client, "famille.leroy"), "sortie-au-musee-des-beaux-arts")
    response, _ = served(url, user("famille.petit"))
    assert response.status_code == 403
    assert "X-Accel-Redirect" not in response
