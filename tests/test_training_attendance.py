"""Marking attendance on a phone, the attendance sheet and the attestation
(PDFs read back with pypdf), and who may reach each of them."""

import datetime
import io

from django.utils import timezone

import pytest
from pypdf import PdfReader

from tests.conftest import login, skip_without_chromium, user
from tests.english import ScreenText, broken_french, english_on
from tests.factories import TrainingSessionPageFactory
from tests.journeys import Journey
from training.models import Attendance, Registration, TrainingIndexPage


def at(days, hour=9):
    return timezone.localtime().replace(
        hour=hour, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=days)


@pytest.fixture
def session(db):
    session = TrainingSessionPageFactory(
        parent=TrainingIndexPage.objects.get(),
        title="Écrire au cycle 2",
        dates=[(at(-7), 3), (at(0, hour=14), 2.5)],
    )
    for username in ("ens.moreau", "ens.garnier"):
        Registration.objects.create(
            session=session, user=user(username), status="registered"
        )
    Registration.objects.create(
        session=session, user=user("ens.benoit"), status="waiting"
    )
    return session


def attendance_rows():
    """Every attendance row as it stands (the demo's past session has some)."""
    return set(Attendance.objects.values_list("pk", "registration", "date", "present"))


def text_of(response):
    content = b"".join(response) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def mark(client, session, date, *usernames):
    present = Registration.objects.filter(
        session=session, user__username__in=usernames
    ).values_list("pk", flat=True)
    return client.post(
        f"/formations/{session.pk}/appel/",
        {"date": date.pk, "present": [str(pk) for pk in present]},
        follow=True,
    )


def test_the_team_takes_attendance_of_the_registered_people_on_a_phone(client, session):
    login(client, "cpc.marchand")
    response = client.get(f"/formations/{session.pk}/appel/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Isabelle Moreau" in page and "Thomas Garnier" in page
    assert "Jules Ferry" in page or "Jules-Ferry" in page
    assert "Camille Benoît" not in page  # waiting list
    assert "<table" not in page  # toggles that fit a 360 px screen
    assert 'class="fr-toggle__input"' in page
    # Today's date of the session is chosen by default.
    today = session.dates.order_by("start").last()
    assert f'value="{today.pk}" selected' in page


def test_saving_the_call_twice_gives_the_same_result(client, session):
    login(client, "cpc.marchand")
    date = session.dates.order_by("start").first()
    response = mark(client, session, date, "ens.moreau")
    assert "Appel enregistré : 1 présent, 1 absent." in response.content.decode()
    response = mark(client, session, date, "ens.moreau")
    assert "Appel enregistré : 1 présent, 1 absent." in response.content.decode()
    rows = Attendance.objects.filter(date=date)
    assert rows.count() == 2
    assert {(a.registration.user.username, a.present) for a in rows} == {
        ("ens.moreau", True),
        ("ens.garnier", False),
    }
    assert {a.marked_by.username for a in rows} == {"cpc.marchand"}
    # Corrected: Garnier came after all.
    mark(client, session, date, "ens.moreau", "ens.garnier")
    assert Attendance.objects.filter(date=date, present=True).count() == 2


def test_a_date_of_another_session_is_refused(client, session):
    other = TrainingSessionPageFactory(parent=TrainingIndexPage.objects.get())
    before = attendance_rows()
    login(client, "cpc.marchand")
    response = client.post(
        f"/formations/{session.pk}/appel/",
        {"date": other.dates.get().pk, "present": []},
    )
    assert response.status_code == 404
    assert attendance_rows() == before


@pytest.mark.parametrize(
    "username", ["dir.lefevre", "ens.moreau", "famille.martin", "ens.blanc"]
)
def test_only_the_team_marks_attendance_and_prints_the_sheet(client, session, username):
    before = attendance_rows()
    login(client, username)
    for path in ("appel/", "emargement.pdf"):
        assert client.get(f"/formations/{session.pk}/{path}").status_code == 404
    date = session.dates.first()
    assert (
        client.post(f"/formations/{session.pk}/appel/", {"date": date.pk}).status_code
        == 404
    )
    assert attendance_rows() == before


def test_visitors_are_sent_to_the_login_page(client, session):
    for path in ("appel/", "emargement.pdf", "attestation.pdf"):
        response = client.get(f"/formations/{session.pk}/{path}")
        assert response.status_code == 302
        assert "connexion" in response.url or "login" in response.url


def test_the_attendance_sheet_has_a_page_per_date_with_the_registered_people(
    client, session
):
    login(client, "ien.dubois")
    response = client.get(f"/formations/{session.pk}/emargement.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader, text = text_of(response)
    assert len(reader.pages) == 2
    for page in reader.pages:
        words = page.extract_text()
        assert "Feuille d'émargement" in words
        assert "Écrire au cycle 2" in words
        assert "Isabelle Moreau" in words and "Thomas Garnier" in words
        assert "Signature du formateur" in words
    assert "Benoît" not in text
    assert "Julien Marchand" in text
    assert "3 h" in text and "2,5 h" in text


def test_a_participant_gets_their_attestation_for_the_dates_attended(client, session):
    login(client, "cpc.marchand")
    first, second = session.dates.order_by("start")
    mark(client, session, first, "ens.moreau", "ens.garnier")
    mark(client, session, second, "ens.moreau")

    login(client, "ens.garnier")
    page = client.get(session.url).content.decode()
    assert "Mon attestation (PDF)" in page
    assert "Faire l'appel" not in page
    reader, text = text_of(client.get(f"/formations/{session.pk}/attestation.pdf"))
    assert "Attestation de présence" in text
    assert "Thomas Garnier" in text and "Écrire au cycle 2" in text
    assert "Heures suivies : 3 h" in text
    assert "Isabelle Moreau" not in text

    login(client, "ens.moreau")
    _reader, text = text_of(client.get(f"/formations/{session.pk}/attestation.pdf"))
    assert "Heures suivies : 5,5 h" in text
    # Someone else's attestation is the team's only.
    response = client.get(
        f"/formations/{session.pk}/attestation.pdf?personne={user('ens.garnier').pk}"
    )
    assert response.status_code == 404


def test_nothing_attended_no_attestation(client, session):
    login(client, "cpc.marchand")
    mark(client, session, session.dates.first())  # all absent
    for username in ("ens.garnier", "ens.benoit", "ens.blanc"):
        login(client, username)
        assert "Mon attestation" not in client.get(session.url).content.decode()
        response = client.get(f"/formations/{session.pk}/attestation.pdf")
        assert response.status_code == 404


def test_the_team_gets_anyones_attestation_and_sees_its_tools(client, session):
    login(client, "cpc.marchand")
    mark(client, session, session.dates.first(), "ens.moreau")
    page = client.get(session.url).content.decode()
    assert "Faire l'appel" in page and "Feuille d'émargement (PDF)" in page
    assert "Mon attestation" not in page
    moreau = user("ens.moreau")
    _reader, text = text_of(
        client.get(f"/formations/{session.pk}/attestation.pdf?personne={moreau.pk}")
    )
    assert "Isabelle Moreau" in text
    garnier = user("ens.garnier")
    assert (
        client.get(
            f"/formations/{session.pk}/attestation.pdf?personne={garnier.pk}"
        ).status_code
        == 404
    )


def test_a_session_out_of_reach_is_refused_without_its_title(client, db):
    session = TrainingSessionPageFactory(
        parent=TrainingIndexPage.objects.get(),
        title="Réservé aux directions",
        audience="directors",
    )
    login(client, "ens.moreau")
    response = client.get(f"/formations/{session.pk}/attestation.pdf")
    assert response.status_code == 403
    assert "Réservé aux directions" not in response.content.decode()


def test_the_screens_are_in_french(client, session):
    login(client, "cpc.marchand")
    for path in (f"/formations/{session.pk}/appel/", session.url):
        screen = ScreenText(client.get(path).content.decode())
        assert not english_on(screen.texts), (path, english_on(screen.texts))
        assert not broken_french(screen.texts), path


PHONE_SESSION = """
from django.contrib.auth import get_user_model
from tests.factories import TrainingSessionPageFactory
from tests.journeys import Journey
from training.models import Registration, TrainingIndexPage
session = TrainingSessionPageFactory(
    parent=TrainingIndexPage.objects.get(), title="Appel sur téléphone"
)
for username in ("ens.moreau", "ens.garnier"):
    Registration.objects.create(
        session=session,
        user=get_user_model().objects.get(username=username),
        status="registered",
    )
print(session.pk)
"""


def test_attendance_is_taken_on_a_phone_360_px_wide(demo_server, browser):
    """Outside the test database (the demo server has its own)."""
    skip_without_chromium()
    session_id = demo_server.shell(PHONE_SESSION).splitlines()[-1]
    journey = Journey(
        browser, demo_server, "cpc.marchand", viewport={"width": 360, "height": 740}
    )
    page = journey.page
    page.goto(f"{demo_server}/formations/{session_id}/appel/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_text("Isabelle Moreau").click()
    page.get_by_role("button", name="Enregistrer l'appel").click()
    page.wait_for_load_state()
    assert "Appel enregistré : 1 présent, 1 absent." in page.content()
    assert page.get_by_label("Isabelle Moreau").is_checked()
    assert not page.get_by_label("Thomas Garnier").is_checked()
    journey.context.close()
