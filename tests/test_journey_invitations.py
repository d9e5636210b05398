"""Journeys of families activating their accounts (issue 15, item 3): one
opens the link of its invitation e-mail, the other types the code of its
printed login sheet; each chooses a password and is signed in."""

import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import skip_without_chromium
from tests.journeys import Journey

pytestmark = pytest.mark.browser
skip_without_chromium()

PASSWORD = "Cartable-Bleu-2026!"

NEW_FAMILY = """
from django.contrib.auth import get_user_model
from accounts.models import Membership
from schools.models import ClassroomPage
cp = ClassroomPage.objects.get(slug="cp-moreau")
person = get_user_model().objects.create(
    username="{username}", first_name="{first_name}", last_name="{last_name}",
    email="{email}",
)
person.set_unusable_password()
person.save()
Membership.objects.create(
    user=person, role="family", school=cp.get_parent().specific, classroom=cp
)
"""

# The invitation as the director's click records it, and the e-mail the
# worker sends, caught by Django's in-memory mail backend.
INVITE = """
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test.utils import setup_test_environment
setup_test_environment()
from invitations.emails import invite, send_invitations
people = get_user_model().objects.filter(username="{username}")
invite(people)
send_invitations.call([people.get().pk])
print(mail.outbox[-1].body)
"""

PRINT = """
from schools.models import ClassroomPage
from invitations.sheets import login_sheets
pdf, pages = login_sheets(ClassroomPage.objects.get(slug="cp-moreau"))
open("{path}", "wb").write(pdf)
print(pages)
"""

STATE = """
import json
from django.contrib.auth import get_user_model
person = get_user_model().objects.get(username="{username}")
print(json.dumps(person.has_usable_password()))
"""


def activated(demo_server, username):
    return json.loads(demo_server.shell(STATE.format(username=username)))


def choose_password(journey):
    journey.fill("Nouveau mot de passe", PASSWORD, exact=True)
    journey.fill("Confirmation du nouveau mot de passe", PASSWORD)
    journey.click("button", "Activer mon compte")
    journey.sees("Votre compte est activé")


def test_a_family_activates_its_account_from_the_invitation_email(browser, demo_server):
    demo_server.shell(
        NEW_FAMILY.format(
            username="famille.durand",
            first_name="Nadia",
            last_name="Durand",
            email="famille.durand@exemple.fr",
        ),
    )
    body = demo_server.shell(INVITE.format(username="famille.durand"))
    assert "Votre identifiant est : famille.durand" in body
    path = re.search(r"https?://[^/\s]+(/activer/\S+/)", body).group(1)
    journey = Journey(browser, demo_server)
    try:
        journey.page.goto(demo_server + path)
        journey.sees("Choisissez votre mot de passe")
        choose_password(journey)
        journey.sees("Nadia Durand")
        journey.within_budget(3)
        # The link worked once.
        journey.page.goto(demo_server + path)
        journey.sees("Cette invitation n’est plus valable")
    finally:
        journey.close()
    assert activated(demo_server, "famille.durand")


def test_a_family_activates_its_account_with_the_code_of_its_sheet(
    browser, demo_server, tmp_path
):
    demo_server.shell(
        NEW_FAMILY.format(
            username="famille.kone", first_name="Awa", last_name="Koné", email=""
        ),
    )
    sheets = tmp_path / "fiches.pdf"
    assert demo_server.shell(PRINT.format(path=sheets)) == "1"
    (text,) = [
        page.extract_text()
        for page in PdfReader(io.BytesIO(Path(sheets).read_bytes())).pages
    ]
    assert "Identifiant : famille.kone" in text
    code = re.search(r"Code à usage unique : (\S+)", text).group(1)
    journey = Journey(browser, demo_server)
    try:
        journey.page.goto(demo_server + "/activer-mon-compte/")
        journey.fill("Identifiant", "famille.kone")
        journey.fill("Code à usage unique", code)
        journey.click("button", "Continuer")
        choose_password(journey)
        journey.sees("Awa Koné")
        journey.within_budget(6)
    finally:
        journey.close()
    assert activated(demo_server, "famille.kone")
