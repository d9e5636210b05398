"""The training space's journeys (issue 17), in Chromium on the demo as
shipped, counted from the signed-in public home page.

- A teacher registers for an open session from « Mon fil »: « Mon fil »,
  « S’inscrire »: two actions, and the demo's database has the registration.
- A registered teacher cancels from the page of the full session:
  « Formations », the session, « Me désinscrire »: three actions; the first
  person on the waiting list gets the place and the e-mail that says so
  (sent by the notifications worker: ``DemoServer.work_the_queue``).
- A teacher sees their hours against the 18 and downloads an attestation:
  « Mon compte », « Mes heures de formation », « Attestation (PDF) »: three
  actions; the PDF names them and the session's hours.
- The CPC, on a phone, takes attendance and downloads the sheet: « Menu »,
  « Formations », the session, « Faire l'appel », two toggles,
  « Enregistrer l'appel », « Feuille d'émargement (PDF) »: eight actions.
- The CPC publishes a new session: « Modifier le site », « Ajouter une
  animation pédagogique » (on the team's dashboard), title, theme, trainer,
  start, end, hours, places, registration deadline, « Plus d'actions »,
  « Publier »: twelve actions (the place, the format and the audience keep
  their defaults).
- The CPC validates a teacher's outside hours: « Modifier le site », the
  admin menu's « Formations », « Heures hors circonscription à valider »,
  « Valider »: four actions.
"""

import io
import json
import re
from email import message_from_bytes
from email.policy import default

import pytest
from pypdf import PdfReader

from tests.conftest import skip_without_chromium
from tests.journeys import Journey

pytestmark = pytest.mark.browser

skip_without_chromium()

FULL_SESSION = "Jeux mathématiques au cycle 2"
PAST_SESSION = "Comprendre les textes lus, du CP au CM2"
PHONE = {"width": 390, "height": 844}

OPEN_SESSION = "Le numérique en maternelle"

# The demo's only session to come is full: an open one, five days ahead.
SETUP_OPEN_SESSION = f"""
import datetime
from django.utils import timezone
from tests.factories import TrainingSessionPageFactory
from training.models import TrainingIndexPage
start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
TrainingSessionPageFactory(
    parent=TrainingIndexPage.objects.get(),
    title={OPEN_SESSION!r},
    capacity=12,
    dates=[(start + datetime.timedelta(days=5), 3)],
)
"""


def registrations(demo_server, title):
    """{username: status} of a session in the demo's database."""
    return json.loads(
        demo_server.shell(
            "import json\n"
            "from training.models import Registration\n"
            "print(json.dumps(dict(Registration.objects.filter("
            f"session__title={title!r}).values_list('user__username', 'status'))))"
        )
    )


def opened_pdf(journey, link):
    """The text of the PDF that ``link`` opens in the browser's viewer (one
    counted click), read again with the person's session: Chromium shows it
    inline, so its bytes are not a download."""
    journey.click("link", link)
    response = journey.context.request.get(journey.page.url)
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_teacher_registers_from_my_feed(demo_server, browser):
    demo_server.shell(SETUP_OPEN_SESSION)
    journey = Journey(browser, demo_server, "dir.chevalier")
    try:
        journey.click("link", "Mon fil")
        journey.click("button", "S’inscrire", exact=True)
        journey.sees("Vous êtes inscrit·e.")
        journey.within_budget(2)
    finally:
        journey.close()
    assert registrations(demo_server, OPEN_SESSION) == {"dir.chevalier": "registered"}


def test_a_teacher_cancels_and_the_first_waiting_gets_the_place(
    demo_server, browser, tmp_path
):
    assert registrations(demo_server, FULL_SESSION)["ens.benoit"] == "waiting"
    journey = Journey(browser, demo_server, "ens.roux")
    try:
        journey.click("link", "Formations", exact=True)
        journey.click("link", FULL_SESSION)
        journey.click("button", "Me désinscrire")
        journey.sees("Votre inscription est annulée.")
        journey.within_budget(3)
    finally:
        journey.close()
    after = registrations(demo_server, FULL_SESSION)
    assert "ens.roux" not in after
    assert after["ens.benoit"] == "registered"
    assert after["ens.blanc"] == "waiting"
    emails = [
        message_from_bytes(text.encode(), policy=default)
        for text in demo_server.work_the_queue(tmp_path / "outbox")
    ]
    (promoted,) = [email for email in emails if email["To"] == "ens.benoit@ent-demo.fr"]
    # Stripped: Python's parser keeps the space of Django's folded header.
    assert promoted["Subject"].strip() == (
        f"Une place s’est libérée : vous êtes inscrit·e à {FULL_SESSION}"
    )
    body = promoted.get_content()
    assert "Bonjour Camille Benoît" in body
    assert f"Une place s’est libérée à « {FULL_SESSION} »" in body
    assert re.search(r"http://\S+/formations/jeux-mathematiques-cycle-2/", body), body


def test_a_teacher_sees_their_hours_and_downloads_an_attestation(demo_server, browser):
    journey = Journey(browser, demo_server, "ens.garnier")
    try:
        journey.click("link", "Mon compte")
        journey.click("link", "Mes heures de formation")
        # Two dates of 3 hours attended, 6 outside hours validated.
        journey.sees("12 h sur 18 h cette année")
        text = opened_pdf(journey, "Attestation (PDF)")
        journey.within_budget(3)
    finally:
        journey.close()
    assert "atteste que Thomas Garnier a suivi" in text
    assert PAST_SESSION in text.replace("\n", " ")
    assert "Heures suivies : 6 h" in text


def test_the_cpc_takes_attendance_on_a_phone(demo_server, browser):
    journey = Journey(browser, demo_server, "cpc.marchand", viewport=PHONE)
    try:
        journey.click("button", "Menu", exact=True)
        journey.click("link", "Formations", exact=True)
        journey.click("link", FULL_SESSION)
        journey.click("link", "Faire l'appel")
        journey.check("Thomas Garnier")
        journey.check("Isabelle Moreau")
        journey.click("button", "Enregistrer l'appel")
        journey.sees(re.compile(r"Appel enregistré : 2 présents, \d+ absents?\."))
        text = opened_pdf(journey, "Feuille d'émargement (PDF)")
        journey.within_budget(8)
    finally:
        journey.close()
    marked = json.loads(
        demo_server.shell(
            "import json\n"
            "from training.models import Attendance\n"
            "print(json.dumps(dict(Attendance.objects.filter("
            f"registration__session__title={FULL_SESSION!r}).values_list("
            "'registration__user__username', 'present'))))"
        )
    )
    assert marked["ens.garnier"] is True
    assert marked["ens.moreau"] is True
    assert not any(
        present
        for name, present in marked.items()
        if name not in {"ens.garnier", "ens.moreau"}
    )
    for name in ("Thomas Garnier", "Isabelle Moreau"):
        assert name in text


NEW_SESSION = "Le jeu d'échecs au cycle 3"


def test_the_cpc_publishes_a_session(demo_server, browser):
    journey = Journey(browser, demo_server, "cpc.marchand")
    try:
        journey.click("link", "Modifier le site")
        journey.click("link", "Ajouter une animation pédagogique")
        journey.fill("Titre*", NEW_SESSION, exact=True)
        journey.select("Thème", "Mathématiques")
        journey.fill("Formateur", "Julien Marchand, conseiller pédagogique")
        journey.fill("Début", "2027-01-20 09:00")
        journey.fill("Fin", "2027-01-20 12:00")
        journey.fill("Heures", "3")
        journey.fill("Places", "15")
        journey.fill("Clôture des inscriptions", "2027-01-13 18:00")
        journey.click("button", "Plus d'actions")
        journey.click("button", "Publier", exact=True)
        journey.sees(f"Page « {NEW_SESSION} » créée et publiée.")
        journey.within_budget(12)
    finally:
        journey.close()
    published = json.loads(
        demo_server.shell(
            "import json\n"
            "from django.utils import timezone\n"
            "from training.models import TrainingSessionPage\n"
            f"session = TrainingSessionPage.objects.get(title={NEW_SESSION!r})\n"
            "date = session.dates.get()\n"
            "print(json.dumps([session.live, session.capacity, session.theme, "
            "session.audience, str(date.hours), "
            "timezone.localtime(date.start).isoformat()]))"
        )
    )
    assert published[:4] == [True, 15, "mathematiques", "staff"]
    assert published[4] in {"3", "3.0"}
    assert published[5].startswith("2027-01-20T09:00")


def test_the_cpc_validates_outside_hours(demo_server, browser):
    journey = Journey(browser, demo_server, "cpc.marchand")
    try:
        journey.click("link", "Modifier le site")
        journey.click("link", "Formations", exact=True)
        journey.click("link", "Heures hors circonscription à valider")
        journey.click("button", "Valider", exact=True)
        journey.sees("Isabelle Moreau")
        journey.within_budget(4)
    finally:
        journey.close()
    status = demo_server.shell(
        "from training.models import ExternalHours\n"
        "print(ExternalHours.objects.get(user__username='ens.moreau').status)"
    )
    assert status == "validated"
