"""After a session (issue 17 §follow-up): the team shares library resources
with the registered participants and sends an anonymous feedback form."""

import datetime

from django.db import connection
from django.utils import timezone

import pytest
import time_machine

from resources.models import ResourceIndexPage
from tests import factories
from tests.conftest import login, user
from training.models import (
    Attendance,
    FeedbackAnswer,
    FeedbackGiven,
    Registration,
    TrainingIndexPage,
)
from visibility.audience import Audience

pytestmark = pytest.mark.django_db

TEAM = "cpc.marchand"


def make_session(registered=(), waiting=(), past=True, resources=()):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(
        days=-7 if past else 7
    )
    session = factories.TrainingSessionPageFactory(
        parent=TrainingIndexPage.objects.get(),
        title="Écrire au CP",
        dates=[(start, 3)],
    )
    for username in registered:
        Registration.objects.create(
            session=session, user=user(username), status=Registration.Status.REGISTERED
        )
    for username in waiting:
        Registration.objects.create(
            session=session, user=user(username), status=Registration.Status.WAITING
        )
    if resources:
        session.shared_resources.set(resources)
        session.save()
    return session


def resource(title, live=True):
    page = factories.ResourcePageFactory(
        parent=ResourceIndexPage.objects.get(), title=title, audience=Audience.STAFF
    )
    if not live:
        page.unpublish()
    return page


def mark(session, username, present):
    registration = Registration.objects.get(session=session, user=user(username))
    Attendance.objects.create(
        registration=registration, date=session.dates.get(), present=present
    )


def post(client, name, session, **data):
    return client.post(f"/formations/{session.pk}/{name}/", data, follow=True)


# Shared resources


def test_registered_participants_and_the_team_see_the_shared_resources(client):
    shared = resource("Fiches de production d'écrits")
    draft = resource("Grille en préparation", live=False)
    session = make_session(registered=["ens.moreau"], resources=[shared, draft])

    page = login(client, "ens.moreau").get(session.url).content.decode()
    assert "Fiches de production d&#x27;écrits" in page
    assert "Grille en préparation" not in page

    page = login(client, TEAM).get(session.url).content.decode()
    assert "Fiches de production d&#x27;écrits" in page
    assert "Envoyer les ressources aux participants" in page

    # A teacher who is not registered reads the session, not its resources.
    page = login(client, "ens.garnier").get(session.url).content.decode()
    assert "Fiches de production" not in page
    assert "Envoyer les ressources" not in page


def test_the_team_emails_each_registered_participant_the_published_resources(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    shared = resource("Fiches de production d'écrits")
    draft = resource("Grille en préparation", live=False)
    session = make_session(
        registered=["ens.moreau", "dir.lefevre"],
        waiting=["ens.garnier"],
        resources=[shared, draft],
    )
    login(client, TEAM)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "ressources/envoyer", session)
    assert "Les ressources ont été envoyées" in response.content.decode()
    by_person = {message.to[0]: message.body for message in mailoutbox}
    assert set(by_person) == {"ens.moreau@ent-demo.fr", "dir.lefevre@ent-demo.fr"}
    for body in by_person.values():
        assert "Fiches de production d'écrits" in body
        assert "Grille en préparation" not in body
    assert "Écrire au CP" in mailoutbox[0].subject


def test_a_second_click_says_already_sent_unless_resources_were_added(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    first = resource("Fiches de production d'écrits")
    session = make_session(registered=["ens.moreau"], resources=[first])
    login(client, TEAM)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "ressources/envoyer", session)
        response = post(client, "ressources/envoyer", session)
    assert "Déjà envoyé le" in response.content.decode()
    assert len(mailoutbox) == 1

    added = resource("Album à lire en classe")
    session.shared_resources.add(added)
    session.save()
    assert "1 ressource ajoutée depuis" in client.get(session.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "ressources/envoyer", session)
    assert len(mailoutbox) == 2
    assert added.url in mailoutbox[1].body
    assert first.url not in mailoutbox[1].body


def test_only_the_team_shares_resources(client, mailoutbox):
    session = make_session(
        registered=["ens.moreau"], resources=[resource("Fiches de calcul")]
    )
    response = login(client, "ens.moreau").post(
        f"/formations/{session.pk}/ressources/envoyer/"
    )
    assert response.status_code == 404
    assert mailoutbox == []


# Feedback


def test_the_form_goes_to_those_who_attended(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(registered=["ens.moreau", "ens.garnier", "ens.roux"])
    mark(session, "ens.moreau", True)
    mark(session, "ens.garnier", False)
    login(client, TEAM)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "avis/envoyer", session)
    assert "envoyé à 1 participant" in response.content.decode()
    assert [message.to for message in mailoutbox] == [["ens.moreau@ent-demo.fr"]]
    assert f"/formations/{session.pk}/avis/" in mailoutbox[0].body

    # Once only.
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "avis/envoyer", session)
    assert "déjà été envoyé" in response.content.decode()
    assert len(mailoutbox) == 1


def test_without_attendance_the_form_goes_to_every_registered_person(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(
        registered=["ens.moreau", "ens.garnier"], waiting=["ens.roux"]
    )
    login(client, TEAM)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "avis/envoyer", session)
    assert sorted(message.to[0] for message in mailoutbox) == [
        "ens.garnier@ent-demo.fr",
        "ens.moreau@ent-demo.fr",
    ]


def test_the_form_waits_for_the_session(client, mailoutbox):
    session = make_session(registered=["ens.moreau"], past=False)
    response = post(login(client, TEAM), "avis/envoyer", session)
    assert "pas encore eu lieu" in response.content.decode()
    session.refresh_from_db()
    assert session.feedback_sent_at is None


def send_form(client, session):
    post(login(client, TEAM), "avis/envoyer", session)
    client.logout()


def test_a_participant_answers_once(client):
    session = make_session(registered=["ens.moreau"])
    send_form(client, session)
    login(client, "ens.moreau")
    assert "Donner mon avis" in client.get(session.url).content.decode()
    url = f"/formations/{session.pk}/avis/"
    response = client.post(url, {"rating": 4, "liked": "Les albums", "improve": ""})
    assert "Votre réponse a bien été reçue" in response.content.decode()
    assert FeedbackAnswer.objects.get(session=session).liked == "Les albums"

    response = client.post(url, {"rating": 1, "liked": "Rien", "improve": ""})
    assert response.status_code == 200
    assert "une seule fois" in response.content.decode()
    assert FeedbackAnswer.objects.filter(session=session).count() == 1
    assert "Donner mon avis" not in client.get(session.url).content.decode()


def test_a_rating_is_required(client):
    session = make_session(registered=["ens.moreau"])
    send_form(client, session)
    response = login(client, "ens.moreau").post(
        f"/formations/{session.pk}/avis/", {"liked": "Tout"}
    )
    assert "Champ requis" in response.content.decode()
    assert not FeedbackAnswer.objects.filter(session=session).exists()
    assert not FeedbackGiven.objects.filter(session=session).exists()


def test_others_may_not_answer(client):
    session = make_session(registered=["ens.moreau"], waiting=["ens.garnier"])
    url = f"/formations/{session.pk}/avis/"
    # Not sent yet: nobody answers.
    assert login(client, "ens.moreau").get(url).status_code == 403
    send_form(client, session)
    assert login(client, "ens.garnier").get(url).status_code == 403
    assert login(client, "famille.martin").get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    assert (
        login(client, "ens.moreau").get("/formations/999999/avis/").status_code == 404
    )


def answer(client, session, username, rating, liked="", improve=""):
    login(client, username).post(
        f"/formations/{session.pk}/avis/",
        {"rating": rating, "liked": liked, "improve": improve},
    )


def test_the_team_reads_counts_and_texts_only_from_three_answers(client):
    session = make_session(registered=["ens.moreau", "ens.garnier", "ens.roux"])
    send_form(client, session)
    answer(client, session, "ens.moreau", 4, "Les jeux de lecture")
    answer(client, session, "ens.garnier", 3, improve="Plus de pratique")
    results = f"/formations/{session.pk}/avis/resultats/"

    page = login(client, TEAM).get(results).content.decode()
    assert "2 réponses" in page
    assert "Très utile" not in page
    assert "Les jeux de lecture" not in page
    assert "Plus de pratique" not in page

    # Three answers, the form still open: the team never sees one arrive.
    answer(client, session, "ens.roux", 4)
    page = login(client, TEAM).get(results).content.decode()
    assert "3 réponses" in page
    assert "à la clôture du questionnaire" in page
    assert "Très utile" not in page
    assert "Les jeux de lecture" not in page

    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        page = login(client, TEAM).get(results).content.decode()
        assert "Les jeux de lecture" in page
        assert "Plus de pratique" in page
        assert "<td>Très utile</td><td>2</td>" in page
        # Closed: no more answers.
        answer(client, session, "ens.moreau", 1)
        assert FeedbackAnswer.objects.filter(session=session).count() == 3

    assert login(client, "ens.moreau").get(results).status_code == 404


def test_fewer_than_three_answers_are_never_shown(client):
    session = make_session(registered=["ens.moreau", "ens.garnier"])
    send_form(client, session)
    answer(client, session, "ens.moreau", 1, "Rien")
    answer(client, session, "ens.garnier", 1, "Rien non plus")
    results = f"/formations/{session.pk}/avis/resultats/"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        page = login(client, TEAM).get(results).content.decode()
    assert "2 réponses" in page
    assert "Pas utile" not in page
    assert "Rien" not in page
    assert "au moins 3 participants" in page


def test_nothing_links_an_answer_to_who_gave_it(client):
    columns = {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), FeedbackAnswer._meta.db_table
        )
    }
    assert columns == {"id", "session_id", "rating", "liked", "improve"}
    assert {field.name for field in FeedbackGiven._meta.get_fields()} == {
        "id",
        "session",
        "user",
    }

    session = make_session(registered=["ens.moreau"])
    send_form(client, session)
    answer(client, session, "ens.moreau", 2)
    stored = FeedbackAnswer.objects.get(session=session)
    assert stored.pk.version == 4  # random, not a sequence
