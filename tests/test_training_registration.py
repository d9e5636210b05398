"""Registering for a training session and cancelling (issue 17): places,
the waiting list, the deadline, a freed place given to the first person
waiting with an e-mail, and two people at the same moment."""

import datetime
import threading
from functools import partial

from django.core import mail
from django.db import connection, connections
from django.utils import timezone

import pytest

from schools.models import ClassroomPage, SchoolPage
from tests.conftest import login, user
from tests.factories import (
    MembershipFactory,
    TrainingSessionPageFactory,
    UserFactory,
)
from training import registration
from training.models import Registration, TrainingIndexPage, TrainingSessionPage

REGISTERED = Registration.Status.REGISTERED
WAITING = Registration.Status.WAITING


def new_session(schools=(), **kwargs):
    session = TrainingSessionPageFactory(
        parent=TrainingIndexPage.objects.get(), **kwargs
    )
    if schools:
        session.target_schools.set(SchoolPage.objects.filter(slug__in=schools))
        session.save()
    return session


def register_url(session):
    return f"/formations/{session.pk}/inscription/"


def cancel_url(session):
    return f"/formations/{session.pk}/desinscription/"


def status_of(session, username):
    row = Registration.objects.filter(session=session, user__username=username)
    return row.values_list("status", flat=True).first()


def post(client, url, **data):
    return client.post(url, data, follow=True)


@pytest.mark.django_db
def test_a_teacher_registers_then_the_full_session_takes_a_waiting_list(client):
    session = new_session(capacity=1)
    page = login(client, "ens.moreau").get(session.url)
    assert (
        "S’inscrire" in page.content.decode() or "S'inscrire" in page.content.decode()
    )

    response = post(client, register_url(session))
    assert status_of(session, "ens.moreau") == REGISTERED
    text = response.content.decode()
    assert "Vous êtes inscrit·e" in text
    assert "Me désinscrire" in text

    login(client, "ens.garnier")
    assert "Rejoindre la liste d’attente" in client.get(session.url).content.decode()
    response = post(client, register_url(session))
    assert status_of(session, "ens.garnier") == WAITING
    assert "n° 1 sur la liste d’attente" in response.content.decode()
    assert "Quitter la liste d’attente" in response.content.decode()

    login(client, "ens.roux")
    response = post(client, register_url(session))
    assert "n° 2 sur la liste d’attente" in response.content.decode()


@pytest.mark.django_db
def test_a_double_submit_changes_nothing_and_says_so(client):
    session = new_session()
    login(client, "ens.moreau")
    post(client, register_url(session))
    response = post(client, register_url(session))
    assert Registration.objects.filter(session=session).count() == 1
    assert "Vous êtes déjà inscrit·e" in response.content.decode()
    post(client, cancel_url(session))
    response = post(client, cancel_url(session))
    assert not Registration.objects.filter(session=session).exists()
    assert "Vous n’êtes pas inscrit·e à cette formation" in response.content.decode()


@pytest.mark.django_db
def test_after_the_deadline_registrations_are_closed(client):
    session = new_session(
        registration_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    login(client, "ens.moreau")
    page = client.get(session.url).content.decode()
    assert "Les inscriptions sont closes" in page
    assert "S’inscrire" not in page
    response = post(client, register_url(session))
    assert not Registration.objects.filter(session=session).exists()
    assert "Les inscriptions à cette formation sont closes" in response.content.decode()


@pytest.mark.django_db
def test_a_registered_person_cancels_after_the_deadline_until_the_session_starts(
    client, django_capture_on_commit_callbacks
):
    session = new_session(
        capacity=1, registration_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    Registration.objects.create(
        session=session, user=user("ens.moreau"), status=REGISTERED
    )
    Registration.objects.create(
        session=session, user=user("ens.garnier"), status=WAITING
    )
    login(client, "ens.moreau")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, cancel_url(session))
    assert "Votre inscription est annulée" in response.content.decode()
    assert status_of(session, "ens.garnier") == REGISTERED
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_once_the_session_started_a_registration_stays(client):
    start = timezone.now() - datetime.timedelta(hours=1)
    session = new_session(
        dates=[(start, 3)], registration_deadline=start - datetime.timedelta(days=2)
    )
    Registration.objects.create(
        session=session, user=user("ens.moreau"), status=REGISTERED
    )
    login(client, "ens.moreau")
    assert "Me désinscrire" not in client.get(session.url).content.decode()
    response = post(client, cancel_url(session))
    assert status_of(session, "ens.moreau") == REGISTERED
    assert "ne peut plus être annulée" in response.content.decode()


@pytest.mark.django_db
def test_the_team_does_not_register(client):
    session = new_session()
    login(client, "cpc.marchand")
    assert "S’inscrire" not in client.get(session.url).content.decode()
    response = post(client, register_url(session))
    assert not Registration.objects.filter(session=session).exists()
    assert "Seuls les enseignants et les directeurs" in response.content.decode()


@pytest.mark.django_db
def test_a_freed_place_goes_to_the_first_person_waiting_with_an_e_mail(
    client, django_capture_on_commit_callbacks
):
    session = new_session(capacity=1, title="Jouer avec les nombres au CP")
    for username in ("ens.moreau", "ens.garnier", "ens.roux"):
        login(client, username)
        post(client, register_url(session))
    login(client, "ens.moreau")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, cancel_url(session), next="/mon-fil/")
    assert status_of(session, "ens.moreau") is None
    assert status_of(session, "ens.garnier") == REGISTERED
    assert status_of(session, "ens.roux") == WAITING
    [message] = mail.outbox
    assert message.to == [user("ens.garnier").email]
    assert message.subject == (
        "Une place s’est libérée : vous êtes inscrit·e à Jouer avec les nombres au CP"
    )
    assert session.get_full_url() in message.body
    login(client, "ens.roux")
    assert "n° 1 sur la liste d’attente" in client.get(session.url).content.decode()


@pytest.mark.django_db
def test_leaving_the_waiting_list_promotes_nobody(
    client, django_capture_on_commit_callbacks
):
    session = new_session(capacity=1)
    for username in ("ens.moreau", "ens.garnier", "ens.roux"):
        login(client, username)
        post(client, register_url(session))
    login(client, "ens.garnier")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, cancel_url(session))
    assert "Vous avez quitté la liste d’attente" in response.content.decode()
    assert status_of(session, "ens.roux") == WAITING
    assert mail.outbox == []


@pytest.mark.django_db
def test_more_places_published_go_to_the_waiting_list(
    django_capture_on_commit_callbacks,
):
    session = new_session(capacity=1)
    for username in ("ens.moreau", "ens.garnier", "ens.roux", "ens.benoit"):
        registration.register(session, user(username))
    session.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        session.save_revision().publish()
    assert status_of(session, "ens.garnier") == REGISTERED
    assert status_of(session, "ens.roux") == REGISTERED
    assert status_of(session, "ens.benoit") == WAITING
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [user("ens.garnier").email, user("ens.roux").email]
    )


@pytest.mark.django_db
def test_back_to_the_page_asked_for_only_on_this_site(client):
    session = new_session()
    login(client, "ens.moreau")
    response = client.post(register_url(session), {"next": "/mon-fil/"})
    assert response.url == "/mon-fil/"
    response = client.post(cancel_url(session), {"next": "https://ailleurs.example/"})
    assert response.url == session.url


@pytest.mark.django_db
def test_a_get_leads_to_the_session_page_and_changes_nothing(client):
    """As after logging in again, the login page sending back to the
    registration's address: the page with its buttons, nothing registered."""
    session = new_session()
    response = client.post(register_url(session))
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")
    login(client, "ens.moreau")
    for url in (register_url(session), cancel_url(session)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == session.url
    assert not Registration.objects.filter(session=session).exists()


@pytest.mark.django_db
def test_an_unknown_session_is_a_404(client):
    login(client, "ens.moreau")
    assert client.post("/formations/999999/inscription/").status_code == 404


# Two people at the same moment, each with their own connection: the
# session's lock makes them wait for each other. What they need is
# committed from a connection of its own too, then removed (the demo
# district stays as the other tests expect it); on PostgreSQL the test's
# own transaction reads what they committed.

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks (select_for_update does nothing there): "
    "the races are checked on PostgreSQL",
)


def at_once(*calls):
    """Run ``calls`` in threads released together, each with its own
    database connection; their results (or the errors they raised)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(position, call):
        try:
            barrier.wait()
            results[position] = call()
        except Exception as error:  # noqa: BLE001 - reported by the test
            results[position] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(position, call))
        for position, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def committed(call):
    """Run ``call`` on a connection of its own: committed at once."""
    [result] = at_once(call)
    if isinstance(result, Exception):
        raise result
    return result


@pytest.fixture
def race(request):
    """A session with one place and teachers of Jules-Ferry (two, or the
    number the test asks for), committed; deleted after the test."""
    number = getattr(request, "param", 2)

    def make():
        classroom = ClassroomPage.objects.get(slug="cp-moreau")
        teachers = [UserFactory() for _ in range(number)]
        for teacher in teachers:
            MembershipFactory(user=teacher, classroom=classroom, role="teacher")
        return new_session(capacity=1), teachers

    session, teachers = committed(make)
    yield session, teachers

    def remove():
        TrainingSessionPage.objects.get(pk=session.pk).delete()
        for teacher in teachers:
            teacher.delete()

    committed(remove)


@postgresql
@pytest.mark.django_db
def test_two_teachers_take_the_last_place_at_the_same_time(race):
    session, (first, second) = race
    results = at_once(
        lambda: registration.register(session, first),
        lambda: registration.register(session, second),
    )
    assert all(isinstance(result, registration.Outcome) for result in results)
    statuses = sorted(
        Registration.objects.filter(session=session).values_list("status", flat=True)
    )
    assert statuses == [REGISTERED, WAITING]


@postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("race", [8], indirect=True)
def test_eight_teachers_for_the_last_place_one_gets_it(race):
    session, teachers = race
    results = at_once(
        *(partial(registration.register, session, teacher) for teacher in teachers)
    )
    assert all(isinstance(result, registration.Outcome) for result in results)
    statuses = Registration.objects.filter(session=session).values_list(
        "status", flat=True
    )
    assert sorted(statuses) == [REGISTERED] + [WAITING] * 7
    waiting = Registration.objects.filter(session=session, status=WAITING)
    positions = sorted(registration.waiting_position(row) for row in waiting)
    assert positions == list(range(1, 8))


@postgresql
@pytest.mark.django_db
def test_two_cancels_at_the_same_time_promote_once(race):
    session, (first, second) = race
    committed(lambda: registration.register(session, first))
    committed(lambda: registration.register(session, second))
    results = at_once(
        lambda: registration.cancel(session, first),
        lambda: registration.cancel(session, first),
    )
    assert sorted(result.changed for result in results) == [False, True]
    assert status_of(session, first.username) is None
    assert status_of(session, second.username) == REGISTERED
    assert [message.to for message in mail.outbox] == [[second.email]]


@pytest.mark.django_db
def test_a_form_without_its_token_is_refused_in_french():
    from django.test import Client

    session = new_session()
    client = login(Client(enforce_csrf_checks=True), "ens.moreau")
    response = client.post(register_url(session))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Formulaire expiré" in body
    assert 'lang="fr"' in body
    assert not Registration.objects.filter(session=session).exists()
