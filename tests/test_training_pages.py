"""Who sees which training session, where (issue 17): the « Formations »
page, a session's page, « Mon fil » and the registration buttons, for a
visitor, a family, teachers of a targeted school and of another school, a
director and the district team."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from schools.models import SchoolPage
from tests.conftest import login, user
from tests.english import ScreenText, broken_french, english_on
from tests.factories import TrainingSessionPageFactory
from training.models import Registration, TrainingIndexPage
from visibility.audience import Audience

pytestmark = pytest.mark.django_db

FOR_JULES_FERRY = "Lire au CP à Jules-Ferry"
FOR_DIRECTORS = "Piloter le conseil des maîtres"
FOR_EVERYONE = "Le numérique pour tous"


def new_session(title, schools=(), **kwargs):
    session = TrainingSessionPageFactory(
        parent=TrainingIndexPage.objects.get(), title=title, **kwargs
    )
    if schools:
        session.target_schools.set(SchoolPage.objects.filter(slug__in=schools))
        session.save()
    return session


@pytest.fixture
def sessions():
    return {
        "targeted": new_session(FOR_JULES_FERRY, schools=["jules-ferry"]),
        "directors": new_session(FOR_DIRECTORS, audience=Audience.DIRECTORS),
        "everyone": new_session(FOR_EVERYONE, capacity=1),
    }


def text(response):
    return response.content.decode()


# Who may open each session: (username, targeted, directors, everyone).
SEES = [
    ("famille.martin", False, False, False),
    ("ens.moreau", True, False, True),  # teacher at Jules-Ferry
    ("ens.benoit", False, False, True),  # teacher at Les Coquelicots
    ("dir.chevalier", False, True, True),  # director at Les Coquelicots
    ("dir.lefevre", True, True, True),  # director at Jules-Ferry
    ("cpc.marchand", True, True, True),  # district team
]


@pytest.mark.parametrize("username,targeted,directors,everyone", SEES)
def test_a_session_page_opens_only_to_its_audience(
    client, sessions, username, targeted, directors, everyone
):
    login(client, username)
    for key, sees in (
        ("targeted", targeted),
        ("directors", directors),
        ("everyone", everyone),
    ):
        session = sessions[key]
        response = client.get(session.url)
        if sees:
            assert response.status_code == 200
            assert session.title in text(response)
        else:
            assert response.status_code == 403
            assert session.title not in text(response)
        register = client.post(f"/formations/{session.pk}/inscription/")
        if sees:
            assert register.status_code == 302
        else:
            assert register.status_code == 403
            assert session.title not in text(register)


@pytest.mark.parametrize("username,targeted,directors,everyone", SEES)
def test_the_index_lists_what_the_reader_may_see(
    client, sessions, username, targeted, directors, everyone
):
    login(client, username)
    page = text(client.get("/formations/"))
    assert (FOR_JULES_FERRY in page) is targeted
    assert (FOR_DIRECTORS in page) is directors
    assert (FOR_EVERYONE in page) is everyone


def test_visitors_see_the_index_without_any_session(client, sessions):
    before = Registration.objects.count()  # the demo's registrations
    response = client.get("/formations/")
    assert response.status_code == 200
    page = text(response)
    assert "une fois connectés" in page
    for session in sessions.values():
        assert session.title not in page
    response = client.get(sessions["everyone"].url)
    assert response.status_code == 302
    assert "/connexion/" in response.url or "login" in response.url
    response = client.post(f"/formations/{sessions['everyone'].pk}/inscription/")
    assert response.status_code == 302
    assert not Registration.objects.filter(session=sessions["everyone"]).exists()
    assert Registration.objects.count() == before


def test_a_session_page_tells_its_dates_audience_and_places(client, sessions):
    start = timezone.localtime().replace(
        hour=9, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=20)
    session = new_session(
        "Sciences en maternelle",
        schools=["jules-ferry", "les-coquelicots"],
        dates=[(start, 3), (start + datetime.timedelta(days=7), "1.5")],
        capacity=10,
    )
    session.dates.filter(sort_order=1).update(mode="distanciel", place="")
    page = text(login(client, "ens.moreau").get(session.url))
    assert (
        "Pour : enseignants et directeurs de École élémentaire Jules-Ferry et "
        "École maternelle Les Coquelicots" in page
    )
    assert "en présentiel" in page
    assert "à distance" in page
    assert "de 9 h 00 à 12 h 00" in page
    assert "4,5 h" in page
    assert "10 places restantes sur 10" in page
    assert "Julien Marchand, CPC" in page


def test_only_the_team_sees_who_is_registered(client, sessions):
    session = sessions["everyone"]
    for username in ("ens.moreau", "ens.benoit"):
        login(client, username).post(f"/formations/{session.pk}/inscription/")
    moreau = user("ens.moreau").get_full_name()
    page = text(login(client, "cpc.marchand").get(session.url))
    assert moreau in page
    assert user("ens.benoit").get_full_name() in page
    assert "1 personne inscrite" in page
    assert "1 personne en liste d’attente" in page
    assert "École élémentaire Jules-Ferry" in page
    page = text(login(client, "ens.benoit").get(session.url))
    assert moreau not in page
    assert "Vous êtes n° 1 sur la liste d’attente" in page


def test_my_feed_shows_my_sessions_and_open_ones(client, sessions):
    # The demo registers ens.moreau; this test starts from a teacher
    # registered nowhere.
    Registration.objects.filter(user=user("ens.moreau")).delete()
    login(client, "ens.moreau")
    page = text(client.get("/mon-fil/"))
    assert "Mes formations" in page
    assert "Vous n’êtes inscrit·e à aucune formation à venir" in page
    assert "Formations ouvertes" in page
    assert FOR_JULES_FERRY in page
    assert FOR_DIRECTORS not in page
    client.post(
        f"/formations/{sessions['targeted'].pk}/inscription/", {"next": "/mon-fil/"}
    )
    page = text(client.get("/mon-fil/"))
    assert "Vous êtes inscrit·e" in page
    assert "Me désinscrire" in page


def test_my_feed_of_others_names_no_session(client, sessions):
    page = text(login(client, "ens.benoit").get("/mon-fil/"))
    assert FOR_EVERYONE in page
    assert FOR_JULES_FERRY not in page
    assert FOR_DIRECTORS not in page
    for username in ("famille.martin", "cpc.marchand"):
        page = text(login(client, username).get("/mon-fil/"))
        assert "Mes formations" not in page
        for session in sessions.values():
            assert session.title not in page


def test_the_training_screens_are_in_french(client, sessions):
    session = sessions["everyone"]
    login(client, "ens.moreau").post(f"/formations/{session.pk}/inscription/")
    login(client, "ens.benoit").post(f"/formations/{session.pk}/inscription/")
    for username in ("ens.benoit", "cpc.marchand"):
        login(client, username)
        for url in ("/formations/", session.url, "/mon-fil/"):
            texts = ScreenText(text(client.get(url))).texts
            assert not english_on(texts), (username, url, english_on(texts))
            assert not broken_french(texts), (username, url, broken_french(texts))


@pytest.mark.parametrize(
    "username,queries", [("ens.moreau", 2), ("famille.martin", 0), ("cpc.marchand", 0)]
)
def test_my_feed_reads_sessions_in_two_queries_for_staff_none_for_others(
    client, sessions, username, queries
):
    login(client, username).get("/mon-fil/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/mon-fil/")
    about_sessions = [q["sql"] for q in captured if "training_" in q["sql"]]
    assert len(about_sessions) == queries, about_sessions


def test_the_admin_previews_a_session_not_created_yet(rf):
    from training.models import SessionDate, TrainingSessionPage

    start = timezone.now() + datetime.timedelta(days=30)
    session = TrainingSessionPage(
        title="Brouillon de formation",
        theme="arts",
        trainer="Julien Marchand, CPC",
        capacity=20,
        registration_deadline=start - datetime.timedelta(days=7),
        dates=[
            SessionDate(start=start, end=start + datetime.timedelta(hours=3), hours=3)
        ],
    )
    session.set_url_path(TrainingIndexPage.objects.get())
    request = rf.get("/")
    request.user = user("cpc.marchand")
    response = session.make_preview_request(request)
    assert response.status_code == 200
    assert "Brouillon de formation" in response.rendered_content
