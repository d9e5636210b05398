"""Journey: a director publishes a class news item with a photo for the
families of her class (issue 14: 23 actions before, goal ≤ 8)."""

import io
import json
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import skip_without_chromium
from tests.journeys import DEMO_PASSWORD, Journey

pytestmark = pytest.mark.browser
skip_without_chromium()

TITLE = "Notre visite de la caserne des pompiers"

# A family of the CM2 and a pupil whose family consents to the ENT, so that
# the journey works whatever families the demo gives that class.
SETUP = f"""
import json
from django.contrib.auth import get_user_model
from accounts.models import Membership
from pupils.models import ImageConsent, Medium, Pupil
from schools.models import ClassroomPage
cm2 = ClassroomPage.objects.get(slug="cm2-lefevre")
family, _ = get_user_model().objects.get_or_create(
    username="famille.durand",
    defaults={{"first_name": "Anne", "last_name": "Durand",
               "email": "famille.durand@example.org"}},
)
family.set_password({DEMO_PASSWORD!r})
family.save()
Membership.objects.get_or_create(
    user=family, role="family", school=cm2.get_parent().specific, classroom=cm2
)
pupil, _ = Pupil.objects.get_or_create(
    classroom=cm2, first_name="Zoé", last_initial="D"
)
pupil.families.add(family)
ImageConsent.objects.create(pupil=pupil, medium=Medium.ENT, given=True)
print(json.dumps({{"class_url": cm2.url}}))
"""

CHECK = f"""
import json
from news.models import NewsPage
news = NewsPage.objects.get(title={TITLE!r})
images = [block.value["image"] for block in news.body if block.block_type == "image"]
print(json.dumps({{
    "live": news.live,
    "audience": news.audience,
    "parent": news.get_parent().slug,
    "collection": images[0].collection.name if images else None,
    "pupils": [str(pupil) for pupil in images[0].pupils.all()] if images else [],
}}))
"""


def small_jpeg(path):
    picture = Image.new("RGB", (320, 240), "#c9191e")
    exif = Image.Exif()
    exif[0x010F] = "Téléphone de l'école"
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif)
    path.write_bytes(buffer.getvalue())
    return path


def test_a_director_publishes_a_class_news_with_a_photo(browser, demo_server, tmp_path):
    setup = json.loads(
        demo_server.manage("shell", "-c", SETUP).strip().splitlines()[-1]
    )
    photo = small_jpeg(tmp_path / "pompiers.jpg")

    journey = Journey(browser, demo_server, "dir.lefevre")
    page = journey.page
    try:
        journey.click("link", "Modifier le site")
        journey.click("link", "Publier une actualité : CM2 de M. Lefèvre")
        # The audience is already the class's families, and says how many.
        expect(
            page.get_by_text(
                re.compile(
                    r"Les familles et l'équipe du CM2 de M\. Lefèvre — \d+ famille"
                )
            ).first
        ).to_be_visible()
        journey.type_in(
            page.get_by_role("textbox", name="Titre*", exact=True), TITLE, "the title"
        )
        journey.type_in(
            page.get_by_role("region", name="Paragraphe").get_by_role("textbox"),
            "Les élèves ont découvert le camion et la grande échelle.",
            "the text",
        )
        # Not an action: Draftail keeps the text in the form a moment later.
        page.wait_for_function(
            "() => document.querySelector('[name=\"body-0-value\"]')"
            ".value.includes('camion')"
        )
        journey.choose_file("Photo", photo, exact=True)
        journey.check("Zoé D.")
        journey.click("button", "Publier", exact=True)
        errors = page.locator(".error-message, .w-field__errors")
        assert not page.get_by_text("erreurs de validation").count(), [
            text for text in errors.all_inner_texts() if text.strip()
        ]
        journey.sees(TITLE)
        journey.within_budget(8)
    finally:
        journey.close()

    outcome = json.loads(
        demo_server.manage("shell", "-c", CHECK).strip().splitlines()[-1]
    )
    assert outcome["live"], outcome
    assert outcome["audience"] == "community"
    assert outcome["parent"] == "cm2-lefevre"
    assert outcome["collection"] == "CM2 de M. Lefèvre"
    assert outcome["pupils"] == ["Zoé D."]

    family = Journey(browser, demo_server, "famille.durand")
    try:
        family.page.goto(demo_server + setup["class_url"])
        family.sees(TITLE)
        family.page.get_by_role("link", name=TITLE).first.click()
        family.sees("Les élèves ont découvert le camion et la grande échelle.")
        picture = family.page.get_by_role("img", name=TITLE)
        assert picture.count() == 1
        assert picture.first.evaluate("image => image.naturalWidth") > 0
    finally:
        family.close()
