"""Journeys of a director managing people (issue 14): adding an existing
family account to a class, and recording a pupil's consent, each counted
from the signed-in public home page."""

import json

import pytest

from tests.conftest import skip_without_chromium
from tests.journeys import Journey

pytestmark = pytest.mark.browser
skip_without_chromium()


def test_a_director_adds_an_existing_family_to_a_class(browser, demo_server):
    # The demo keeps famille.leroy (a family of the CP) out of the CM2.
    query = (
        "from accounts.models import Membership;"
        "print(Membership.objects.filter(user__username='famille.leroy', "
        "classroom__slug='cm2-lefevre', role='family').count())"
    )
    assert demo_server.shell(query) == "0"
    journey = Journey(browser, demo_server, "dir.lefevre")
    try:
        journey.click("link", "Modifier le site")
        journey.click("link", "Membres des écoles")
        journey.fill("Nom ou adresse e-mail", "Leroy")
        journey.select("Classe", "CM2 de M. Lefèvre")
        journey.click("button", "Ajouter à la classe")
        journey.sees(
            "Sandrine Leroy est maintenant membre de la classe « CM2 de M. Lefèvre »"
        )
        journey.within_budget(5)
    finally:
        journey.close()
    assert demo_server.shell(query) == "1"


def test_a_director_records_a_consent_from_the_pupils_list(browser, demo_server):
    query = (
        "import json;from pupils.models import Pupil, Medium;"
        "p = Pupil.objects.get(first_name='Inès');"
        "c = p.image_consents.filter(medium=Medium.ENT).first();"
        "print(json.dumps(c and [c.given, c.recorded_by.username]))"
    )
    assert json.loads(demo_server.shell(query)) is None
    journey = Journey(browser, demo_server, "dir.lefevre")
    try:
        journey.click("link", "Modifier le site")
        journey.click("link", "Élèves et droit à l'image")
        journey.click("button", "Oui, ENT, Inès B.")
        journey.sees("Accord enregistré pour Inès B.")
        journey.within_budget(4)
    finally:
        journey.close()
    # Recorded as given, by the director, for this school year.
    assert json.loads(demo_server.shell(query)) == [True, "dir.lefevre"]
