"""The person of a session and what their memberships open are kept in the
shared cache (``visibility.people``): a change of memberships, groups, active
flag or password applies from the very next request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from accounts.models import DISTRICT_TEAM_GROUP
from departures.access import pupil_left
from pupils.models import Pupil
from tests.conftest import user
from tests.factories import NewsPageFactory
from visibility.audience import Audience
from visibility.people import current_tokens, forget_person, keep, session_person

pytestmark = pytest.mark.django_db


def signed_in(client, username):
    person = user(username)
    client.force_login(person)
    return person


def person_queries(client, url):
    """The statements of a visit of ``url`` that read the person."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries if 'FROM "auth_user"' in q["sql"]]


def class_news_of(family):
    """A news item of the class of one of ``family``'s children, for its
    families only, and that child."""
    lea = Pupil.objects.get(first_name="Léa", families=family)
    news = NewsPageFactory(
        parent=lea.classroom,
        title="Sortie à la ferme pédagogique",
        audience=Audience.COMMUNITY,
    )
    return news, lea


def test_the_person_is_read_once_then_comes_with_the_session(client):
    martin = signed_in(client, "famille.martin")
    news, _lea = class_news_of(martin)
    response, reads = person_queries(client, news.url)
    assert response.status_code == 200
    assert len(reads) == 1
    response, reads = person_queries(client, news.url)
    assert response.status_code == 200
    assert reads == []
    assert response.wsgi_request.user.pk == martin.pk


def test_a_family_whose_child_leaves_loses_the_class_at_the_next_request(client):
    martin = signed_in(client, "famille.martin")
    news, lea = class_news_of(martin)
    assert client.get(news.url).status_code == 200
    assert client.get(news.url).status_code == 200

    pupil_left(lea, by=user("ien.dubois"), reason="Déménagement")

    response = client.get(news.url)
    assert response.status_code != 200
    assert "Sortie à la ferme pédagogique" not in response.content.decode()


def test_a_deactivated_account_is_signed_out_at_the_next_request(client):
    martin = signed_in(client, "famille.martin")
    news, _lea = class_news_of(martin)
    assert client.get(news.url).status_code == 200

    martin.is_active = False
    martin.save()

    response = client.get(news.url)
    assert response.status_code != 200
    assert not response.wsgi_request.user.is_authenticated


def test_a_changed_password_ends_the_other_sessions(client):
    martin = signed_in(client, "famille.martin")
    news, _lea = class_news_of(martin)
    assert client.get(news.url).status_code == 200

    martin.set_password("un-tout-autre-mot-de-passe")
    martin.save()

    assert not client.get(news.url).wsgi_request.user.is_authenticated


def test_leaving_the_district_team_closes_what_it_opened(client):
    dubois = signed_in(client, "ien.dubois")
    martin = user("famille.martin")
    news, _lea = class_news_of(martin)
    assert client.get(news.url).status_code == 200

    dubois.groups.remove(Group.objects.get(name=DISTRICT_TEAM_GROUP))

    assert client.get(news.url).status_code != 200


def test_a_group_losing_a_permission_is_read_again_for_everyone(client):
    dubois = signed_in(client, "ien.dubois")
    client.get("/")
    tokens, entry = current_tokens(dubois.pk)
    assert entry is not None and entry.tokens == tokens

    team = Group.objects.get(name=DISTRICT_TEAM_GROUP)
    team.permissions.remove(team.permissions.first())

    tokens, entry = current_tokens(dubois.pk)
    assert entry.tokens != tokens


def test_what_was_read_before_a_change_is_never_used(client, rf):
    """A request that read the person before a change and keeps them after
    it keeps them under the tokens of before: they are read again."""
    martin = signed_in(client, "famille.martin")
    client.get("/")
    request = client.get("/").wsgi_request
    tokens, _entry = current_tokens(martin.pk)
    stale = session_person(request)

    forget_person(martin.pk)
    keep(stale, tokens)

    with CaptureQueriesContext(connection) as queries:
        session_person(request)
    assert any('FROM "auth_user"' in q["sql"] for q in queries)


def test_a_cached_person_saves_without_touching_their_password(client):
    martin = signed_in(client, "famille.martin")
    client.get("/")
    person = client.get("/").wsgi_request.user
    person.first_name = "Camille"
    person.save()
    martin = get_user_model().objects.get(pk=martin.pk)
    assert martin.first_name == "Camille"
    assert martin.check_password("ent-demo-2026")


def test_the_unread_count_follows_reads_and_publications(client):
    martin = signed_in(client, "famille.martin")
    news, _lea = class_news_of(martin)

    def unread():
        return int(str(client.get("/").context["unread_count"]))

    before = unread()
    assert unread() == before
    client.get(news.url)
    assert unread() == before - 1
    NewsPageFactory(
        parent=news.get_parent(), title="Piscine", audience=Audience.COMMUNITY
    )
    assert unread() == before


def test_a_new_secret_key_ends_every_session(client, settings):
    signed_in(client, "famille.martin")
    client.get("/")
    assert client.get("/").wsgi_request.user.is_authenticated

    settings.SECRET_KEY = "another-secret-key-for-this-test"

    assert not client.get("/").wsgi_request.user.is_authenticated
