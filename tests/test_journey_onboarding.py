"""A school opened to its families, end to end (issue 15), in Chromium on the
demo as shipped, as new users live it: the director imports the school's
ONDE extraction, sees the import through, and invites the families; a
parent opens the invitation e-mail, chooses a password and is signed in;
later, having forgotten it, she sets a new one from the login page.

E-mails and the import go through the notifications worker, run here on the
demo's database with a file mail backend (``DemoServer.work_the_queue``)."""

import re

import pytest

from onboarding import sample
from tests.conftest import skip_without_chromium
from tests.journeys import Journey

pytestmark = pytest.mark.browser

skip_without_chromium()

CLASSES = ["CP de Mme Moreau", "CE1 de M. Garnier"]
FIRST_PASSWORD = "Cartable-Vert-2026!"  # noqa: S105
NEW_PASSWORD = "Deux lapins dans le pré"  # noqa: S105


def link_in(email, path):
    return re.search(rf"http://\S+/{path}/\S+/", email).group(0)


def test_a_school_is_opened_to_its_families(demo_server, browser, tmp_path):
    rows = sample.onde_rows(CLASSES, pupils=12, email_share=1.0)
    extraction = tmp_path / "CSVExtraction.csv"
    extraction.write_bytes(sample.onde_file(rows))
    guardian = rows[0]
    address = guardian["Courriel"]

    # The director imports her school's extraction and invites its families.
    director = Journey(browser, demo_server, "dir.lefevre")
    try:
        director.click("link", "Modifier le site")
        director.click("link", "Importer depuis ONDE")
        director.click("link", "Déposer son fichier ONDE")
        director.choose_file("Extraction ONDE", str(extraction))
        director.click("button", "Voir l'aperçu de l'import")
        director.sees("Élèves du fichier")
        director.click("button", "Appliquer l'import")
        demo_server.work_the_queue(tmp_path / "import")
        director.sees("L'import est terminé.")
        director.click("link", "Inviter les familles")
        director.click("button", "Inviter tous ceux qui n’ont pas activé leur compte")
        director.sees("en cours d’envoi")
    finally:
        director.close()
    emails = demo_server.work_the_queue(tmp_path / "invitations")
    invitation = next(email for email in emails if f"To: {address}" in email)

    # The parent opens the e-mail's link, chooses a password, is signed in.
    parent = Journey(browser, demo_server)
    try:
        parent.page.goto(link_in(invitation, "activer"))
        parent.sees("Choisissez votre mot de passe")
        parent.fill("Nouveau mot de passe", FIRST_PASSWORD, exact=True)
        parent.fill("Confirmation du nouveau mot de passe", FIRST_PASSWORD)
        parent.click("button", "Activer mon compte")
        parent.sees("Votre compte est activé")
        parent.click("link", "Mon compte")
        parent.sees(guardian["Prénom élève"])
        parent.click("button", "Se déconnecter")

        # Weeks later, the password is forgotten: the login page brings it back.
        parent.click("link", "Se connecter")
        parent.click("link", "Mot de passe oublié ?")
        parent.fill("Adresse e-mail", address.upper())
        parent.click("button", "M'envoyer un lien")
        parent.sees("Consultez vos courriels")
        emails = demo_server.work_the_queue(tmp_path / "reset")
        reset = next(email for email in emails if f"To: {address}" in email)
        parent.page.goto(link_in(reset, "mot-de-passe-oublie"))
        parent.fill("Nouveau mot de passe", NEW_PASSWORD)
        parent.fill("Confirmation du nouveau mot de passe", NEW_PASSWORD)
        parent.click("button", "Enregistrer mon mot de passe")
        parent.sees("Votre nouveau mot de passe est enregistré")

        username = re.search(r"Votre identifiant : (\S+)", reset).group(1)
        parent.click("link", "Se connecter")
        parent.fill("Identifiant", username)
        parent.fill("Mot de passe", NEW_PASSWORD, exact=True)
        parent.click("button", "Se connecter")
        parent.click("link", "Mon fil")
        parent.sees("Mon fil")
    finally:
        parent.close()
