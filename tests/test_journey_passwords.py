"""A family that forgot its password comes back by itself (issue 15), in
Chromium on the demo as shipped: « Mot de passe oublié » on the login page,
its address, the e-mail (sent by the notifications worker, as in
production, to a file backend read here), the link, a new password, and
logging in with it."""

import re

import pytest

from tests.conftest import skip_without_chromium
from tests.journeys import Journey

pytestmark = pytest.mark.browser

skip_without_chromium()

NEW_PASSWORD = "Trois hiboux sous la lune"  # noqa: S105


def test_a_family_sets_a_new_password_from_the_login_page(
    demo_server, browser, tmp_path
):
    journey = Journey(browser, demo_server)
    try:
        journey.click("link", "Se connecter")
        journey.click("link", "Mot de passe oublié ?")
        journey.fill("Adresse e-mail", "Famille.Bernard@ent-demo.fr")
        journey.click("button", "M'envoyer un lien")
        journey.sees("Consultez vos courriels")

        emails = demo_server.work_the_queue(tmp_path)
        assert len(emails) == 1
        assert "To: famille.bernard@ent-demo.fr" in emails[0]
        assert "Votre identifiant : famille.bernard" in emails[0]
        link = re.search(r"http://\S+/mot-de-passe-oublie/\S+/", emails[0]).group(0)
        assert link.startswith(demo_server)

        journey.page.goto(link)
        journey.fill("Nouveau mot de passe", NEW_PASSWORD)
        journey.fill("Confirmation du nouveau mot de passe", NEW_PASSWORD)
        journey.click("button", "Enregistrer mon mot de passe")
        journey.sees("Votre nouveau mot de passe est enregistré")

        journey.click("link", "Se connecter")
        journey.fill("Identifiant", "famille.bernard")
        journey.fill("Mot de passe", NEW_PASSWORD, exact=True)
        journey.click("button", "Se connecter")
        journey.click("link", "Mon compte")
        journey.sees("Identifiant : famille.bernard")

        # The link worked once.
        journey.page.goto(link)
        journey.sees("Ce lien ne fonctionne plus")
    finally:
        journey.close()
