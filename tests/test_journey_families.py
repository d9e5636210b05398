"""Families' journeys (issue 14), in Chromium on the demo as shipped, counted
from the signed-in public home page.

- A family confirms a read from « Mon fil »: one click on « J’ai pris
  connaissance » on the item's card, once on « Mon fil » (reaching it is the
  header's « Mon fil » link: two actions from the home page).
- A family changes its e-mail choice: « Mon compte », the choice, « Enregistrer
  mon choix »: three actions.
"""

import urllib.error
import urllib.request

import pytest

from tests.conftest import skip_without_chromium
from tests.journeys import Journey

pytestmark = pytest.mark.browser

skip_without_chromium()

MUSEUM = "Sortie au musée des Beaux-Arts"


def test_a_family_confirms_a_read_from_my_feed(demo_server, browser):
    journey = Journey(browser, demo_server, "famille.leroy")
    try:
        journey.click("link", "Mon fil")
        on_my_feed = journey.actions
        journey.sees(MUSEUM)
        # The card names where the item comes from.
        journey.sees("École élémentaire Jules-Ferry · CP de Mme Moreau")
        journey.click("button", "J’ai pris connaissance")
        journey.sees("Merci : votre accusé de lecture est enregistré.")

        assert journey.actions - on_my_feed == 1
        journey.within_budget(2)
        acknowledged = demo_server.shell(
            "from inbox.models import Recipient; "
            "print(Recipient.objects.get(user__username='famille.leroy', "
            f"page__title={MUSEUM!r}).acknowledged_at is not None)",
        )
        assert acknowledged == "True"
        # Confirmed: the card no longer asks for it.
        assert (
            journey.page.get_by_role("button", name="J’ai pris connaissance").count()
            == 0
        )
    finally:
        journey.close()


def test_a_family_changes_its_email_choice(demo_server, browser):
    journey = Journey(browser, demo_server, "famille.bernard")
    try:
        journey.click("link", "Mon compte")
        journey.check("Une fois par jour, un récapitulatif")
        journey.click("button", "Enregistrer mon choix")
        journey.sees("Votre choix de courriels est enregistré.")

        journey.within_budget(3)
        frequency = demo_server.shell(
            "from inbox.models import NotificationChoice; "
            "print(NotificationChoice.objects.get("
            "user__username='famille.bernard').frequency)",
        )
        assert frequency == "daily"
    finally:
        journey.close()


def test_make_run_shows_the_french_404(demo_server):
    """``make run`` serves the development settings, DEBUG on: an unknown
    address gets the site's French 404, not Django's technical page."""
    for path in ("/nulle-part/", "/inconnu.txt"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(demo_server + path)  # noqa: S310
        assert error.value.code == 404
        html = error.value.read().decode()
        assert "Page non trouvée" in html, path
        assert "URLconf" not in html, path
