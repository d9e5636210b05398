"""The school year's journeys (issue 16), in Chromium on the demo as
shipped, counted from the signed-in public home page.

- A family downloads its data: « Mon compte », « Télécharger mes données »:
  two actions, and the ZIP holds its account and its children only.
- A family asks for its account to be erased: « Mon compte », « Demander
  l'effacement de mon compte », the confirmation's button: three actions.
- A director records that a pupil left: « Modifier le site », « Élèves et
  droit à l'image », the pupil's « … », « A quitté l'école », « Confirmer le
  départ »: five actions.
"""

import json
import zipfile

import pytest

from tests.conftest import skip_without_chromium
from tests.journeys import Journey

pytestmark = pytest.mark.browser

skip_without_chromium()


def test_a_family_downloads_its_data(demo_server, browser):
    journey = Journey(browser, demo_server, "famille.martin")
    try:
        journey.click("link", "Mon compte")
        with journey.page.expect_download() as download:
            journey.click("link", "Télécharger mes données")
        journey.within_budget(2)
        with zipfile.ZipFile(download.value.path()) as archive:
            names = archive.namelist()
            assert {"account.json", "children.json", "README.txt"} <= set(names)
            children = json.loads(archive.read("children.json"))
            account = archive.read("account.json").decode()
        # Its two children, not the other pupils of their classes.
        assert {child["prenom"] for child in children} == {"Léa", "Tom"}
        assert "famille.martin" in account
    finally:
        journey.close()


def test_a_family_asks_for_its_account_to_be_erased(demo_server, browser):
    journey = Journey(browser, demo_server, "famille.petit")
    try:
        journey.click("link", "Mon compte")
        journey.click("link", "Demander l'effacement de mon compte")
        journey.click("button", "Demander l'effacement de mon compte")
        journey.sees("Votre demande a été transmise à l'équipe de circonscription")
        journey.within_budget(3)
        asked = demo_server.shell(
            "from rights.models import ErasureRequest; "
            "print(ErasureRequest.objects.filter("
            "user__username='famille.petit').count())",
        )
        assert asked == "1"
    finally:
        journey.close()


def test_a_director_records_that_a_pupil_left(demo_server, browser):
    journey = Journey(browser, demo_server, "dir.lefevre")
    try:
        journey.click("link", "Modifier le site")
        journey.click("link", "Élèves et droit à l'image")
        journey.click("button", "Plus d’options pour « Inès B. »")
        journey.click("link", "A quitté l'école")
        journey.click("button", "Confirmer le départ")
        journey.sees("Inès B.")
        journey.within_budget(5)
        left = demo_server.shell(
            "from pupils.models import Pupil; "
            "print(Pupil.objects.get(first_name='Inès').left_on is not None)",
        )
        assert left == "True"
    finally:
        journey.close()
