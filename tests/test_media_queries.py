"""A photo costs one query: the rendition, read with who may see it; none
when the decision is kept for the person (``mediafiles.views.rendition_for``),
and any change it is read from applies at the very next request."""

import re

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

import pytest

from accounts.models import Membership
from news.models import NewsPage
from pupils.models import Medium, Pupil, record_consent
from tests.conftest import login, user
from visibility.audience import Audience, access_for

pytestmark = pytest.mark.django_db


def photo_url(client, slug):
    """The URL of the first photo of the news item ``slug``, as ``client``
    reads it (rendering the page makes its renditions)."""
    html = client.get(NewsPage.objects.get(slug=slug).url).content.decode()
    return re.search(r'src="(/images/\d+/[^"]+)"', html).group(1)


def served(url, person):
    """The rendition view's answer to ``person`` (whose access is resolved,
    as it comes with the session, but who was not found by a session: their
    decision is read each time; a visitor's is kept) and the queries it
    made the second time."""
    access_for(person)
    request = RequestFactory().get(url)
    request.user = person
    match = resolve(url)
    match.func(request, *match.args, **match.kwargs)  # warm: content types
    with CaptureQueriesContext(connection) as queries:
        response = match.func(request, *match.args, **match.kwargs)
    return response, len(queries)


def test_a_person_not_found_by_their_session_gets_a_photo_in_one_query(client):
    url = photo_url(login(client, "famille.leroy"), "sortie-au-musee-des-beaux-arts")
    response, queries = served(url, user("famille.leroy"))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert queries == 1


def test_a_visitor_gets_a_public_photo_seen_before_without_any_query(client):
    public = NewsPage.objects.live().filter(audience_info__audience="public")
    news = next(
        news
        for news in public
        if any(block.block_type == "image" for block in news.body)
    )
    response, queries = served(photo_url(client, news.slug), AnonymousUser())
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert queries == 0


def test_a_family_of_another_class_gets_no_photo(client):
    url = photo_url(login(client, "famille.leroy"), "sortie-au-musee-des-beaux-arts")
    response, _ = served(url, user("famille.petit"))
    assert response.status_code == 403
    assert "X-Accel-Redirect" not in response


MUSEUM = "sortie-au-musee-des-beaux-arts"


def warm_photo(client):
    """famille.leroy's client, having seen the museum photo once (its
    decision is kept), and the photo's URL."""
    url = photo_url(login(client, "famille.leroy"), MUSEUM)
    assert client.get(url).status_code == 200
    return url


def test_a_family_gets_a_photo_seen_before_without_any_query(client):
    url = warm_photo(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert len(queries) == 0


def withdraw_consent():
    record_consent(Pupil.objects.get(first_name="Léa"), Medium.ENT, False, None)


def name_a_pupil_without_any_decision():
    photo = get_image_model().objects.get(title="Photo de groupe au musée")
    photo.pupils.add(Pupil.objects.get(first_name="Inès"))


def unpublish():
    NewsPage.objects.get(slug=MUSEUM).unpublish()


def narrow_to_staff():
    news = NewsPage.objects.get(slug=MUSEUM)
    news.audience = Audience.STAFF
    news.save_revision().publish()


def close_to_a_group():
    news = NewsPage.objects.get(slug=MUSEUM)
    PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.GROUPS
    )


def leave_the_class():
    Membership.objects.filter(user=user("famille.leroy")).delete()


def delete_the_photo():
    get_image_model().objects.get(title="Photo de groupe au musée").delete()


@pytest.mark.parametrize(
    "change",
    [
        withdraw_consent,
        name_a_pupil_without_any_decision,
        unpublish,
        narrow_to_staff,
        close_to_a_group,
        leave_the_class,
        delete_the_photo,
    ],
)
def test_a_kept_yes_turns_into_no_at_the_next_request(client, change):
    url = warm_photo(client)
    change()
    assert client.get(url).status_code in (403, 404)
