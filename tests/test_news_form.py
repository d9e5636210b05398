"""The news form, shaped for the task (issue 14, item 2): the audience said
as a sentence naming the place with its reach, a photo dropped into the form
itself, the team's fields hidden from school staff, one main button."""

import io
import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from PIL import Image as PILImage

from accounts.models import ScopeGroup
from news.models import NewsPage
from pupils.models import ImageConsent, Medium, Pupil
from schools.models import ClassroomPage, SchoolPage
from tests.conftest import user
from tests.factories import ClassroomPageFactory

Image = get_image_model()


def jpeg(name="sortie.jpg"):
    """A small real JPEG naming its camera, as a phone sends it."""
    picture = PILImage.new("RGB", (64, 48), "#465f9d")
    exif = PILImage.Exif()
    exif[0x010F] = "Téléphone de la classe"
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def add_url(place):
    return f"/admin/pages/add/news/newspage/{place.pk}/"


def news_data(title="Sortie à la ferme pédagogique", action="action-publish", **extra):
    data = nested_form_data(
        {
            "title": title,
            "audience": "community",
            "date": "2026-03-12",
            "intro": "",
            "body": streamfield(
                [
                    (
                        "paragraph",
                        rich_text(
                            "<p>Nous avons vu les chèvres et les poules. "
                            "Les enfants ont adoré.</p>"
                        ),
                    )
                ]
            ),
            "tags": "",
        }
    )
    if action:
        data[action] = action
    data.update(extra)
    return data


def errors(response):
    form = response.context and response.context.get("form")
    return form.errors.as_json() if form else response.status_code


def classroom(slug):
    return ClassroomPage.objects.get(slug=slug)


def checked_audience(html):
    match = re.search(r'<input[^>]*name="audience"[^>]*value="(\w+)"[^>]*checked', html)
    return match.group(1) if match else None


class AudienceAndReachTests(TestCase):
    def test_a_class_news_defaults_to_its_class_community(self):
        # The CM2 is open to everyone: its news still starts for its community.
        self.client.force_login(user("dir.lefevre"))
        html = self.client.get(add_url(classroom("cm2-lefevre"))).content.decode()
        self.assertEqual(checked_audience(html), "community")
        self.assertIn("Les familles et l&#x27;équipe du CM2 de M. Lefèvre", html)
        self.assertIn("Tout le monde (public)", html)
        self.assertIn("La direction de l&#x27;École élémentaire Jules-Ferry", html)

    def test_a_teacher_gets_the_same_default_locked(self):
        self.client.force_login(user("ens.moreau"))
        html = self.client.get(add_url(classroom("cp-moreau"))).content.decode()
        self.assertEqual(checked_audience(html), "community")
        self.assertIn("L&#x27;équipe du CP de Mme Moreau", html)

    def test_the_form_says_how_many_people_it_reaches(self):
        self.client.force_login(user("dir.lefevre"))
        html = self.client.get(add_url(classroom("cp-moreau"))).content.decode()
        # Two families (Martin, Leroy); Mme Moreau and the director.
        self.assertIn(
            "Les familles et l&#x27;équipe du CP de Mme Moreau — 2 familles et "
            "2 membres de l&#x27;équipe",
            html,
        )
        self.assertIn(
            "L&#x27;équipe du CP de Mme Moreau — 2 membres de l&#x27;équipe", html
        )
        self.assertNotIn("aucun compte famille", html)

    def test_a_class_without_families_is_warned(self):
        school = SchoolPage.objects.get(slug="jules-ferry")
        empty = ClassroomPageFactory(parent=school, title="CM1 de M. Morel")
        self.client.force_login(user("dir.lefevre"))
        html = self.client.get(add_url(empty)).content.decode()
        self.assertIn(
            "Cette classe n&#x27;a encore aucun compte famille : aucune famille "
            "ne sera prévenue",
            html,
        )
        self.assertIn(
            "Les familles et l&#x27;équipe du CM1 de M. Morel — 1 membre", html
        )

    def test_the_school_and_district_are_named_too(self):
        self.client.force_login(user("dir.lefevre"))
        school = SchoolPage.objects.get(slug="jules-ferry")
        html = self.client.get(add_url(school)).content.decode()
        self.assertIn("Les familles et l&#x27;équipe de l&#x27;École élémentaire", html)
        self.client.force_login(user("ien.dubois"))
        index = Page.objects.get(slug="actualites")
        html = self.client.get(add_url(index)).content.decode()
        self.assertIn("Les directeurs et directrices d&#x27;école", html)


class HiddenFieldsTests(TestCase):
    TEAM_ONLY = [
        'name="slug"',
        'name="seo_title"',
        'name="search_description"',
        'name="show_in_menus"',
        'name="go_live_at"',
        'name="expire_at"',
    ]

    def test_school_staff_see_no_slug_seo_menu_or_schedule(self):
        for username, place in (
            ("dir.lefevre", "cm2-lefevre"),
            ("ens.moreau", "cp-moreau"),
        ):
            self.client.force_login(user(username))
            html = self.client.get(add_url(classroom(place))).content.decode()
            for field in self.TEAM_ONLY:
                self.assertNotIn(field, html, (username, field))
            self.assertIn('name="photo"', html)

    def test_the_team_keeps_them(self):
        self.client.force_login(user("ien.dubois"))
        html = self.client.get(add_url(classroom("cp-moreau"))).content.decode()
        for field in self.TEAM_ONLY:
            self.assertIn(field, html, field)

    def test_the_text_opens_on_an_empty_paragraph(self):
        self.client.force_login(user("ens.moreau"))
        response = self.client.get(add_url(classroom("cp-moreau")))
        form = response.context["form"]
        body = form.initial["body"]
        self.assertEqual([block.block_type for block in body], ["paragraph"])

    def test_the_slug_and_introduction_are_made_for_them(self):
        self.client.force_login(user("dir.lefevre"))
        response = self.client.post(add_url(classroom("cm2-lefevre")), news_data())
        self.assertEqual(response.status_code, 302, errors(response))
        news = NewsPage.objects.get(title="Sortie à la ferme pédagogique")
        self.assertEqual(news.slug, "sortie-a-la-ferme-pedagogique")
        self.assertEqual(news.intro, "Nous avons vu les chèvres et les poules.")
        self.assertEqual(news.audience, "community")
        self.assertTrue(news.live)


class PhotoTests(TestCase):
    def setUp(self):
        self.client.force_login(user("dir.lefevre"))
        self.place = classroom("cp-moreau")

    def test_a_photo_is_stored_in_the_class_collection_with_its_pupils(self):
        lea = Pupil.objects.get(first_name="Léa")
        response = self.client.post(
            add_url(self.place),
            news_data(photo=jpeg(), photo_pupils=[str(lea.pk)]),
        )
        self.assertEqual(response.status_code, 302, errors(response))
        news = NewsPage.objects.get(title="Sortie à la ferme pédagogique")
        blocks = [block for block in news.body if block.block_type == "image"]
        self.assertEqual(len(blocks), 1)
        image = blocks[0].value["image"]
        collection = ScopeGroup.objects.get(
            page=self.place, role=ScopeGroup.Role.TEACHERS
        ).collection
        self.assertEqual(image.collection, collection)
        self.assertEqual(list(image.pupils.all()), [lea])
        self.assertTrue(image.has_identifiable_people)
        self.assertEqual(blocks[0].value["alt_text"], news.title)
        with image.open_file() as stored:
            self.assertNotIn(0x010F, PILImage.open(stored).getexif())
        self.assertTrue(news.live)

    def test_nobody_recognisable_is_said_once(self):
        response = self.client.post(
            add_url(self.place), news_data(photo=jpeg(), photo_nobody="on")
        )
        self.assertEqual(response.status_code, 302)
        image = Image.objects.get(title="Sortie à la ferme pédagogique")
        self.assertFalse(image.has_identifiable_people)

    def test_a_pupil_without_consent_refuses_it_and_creates_nothing(self):
        ines = Pupil.objects.get(first_name="Inès")
        images, pages = Image.objects.count(), Page.objects.count()
        response = self.client.post(
            add_url(self.place),
            news_data(photo=jpeg(), photo_pupils=[str(ines.pk)]),
        )
        self.assertEqual(response.status_code, 200)
        html = response.content.decode().replace("&#x27;", "'")
        self.assertIn("ne peut pas être montrée", html)
        self.assertIn("Inès B.", html)
        self.assertEqual(Image.objects.count(), images)
        self.assertEqual(Page.objects.count(), pages)

    def test_public_news_need_the_web_consent(self):
        # The CM2 is open to everyone; Zoé's family consents to the ENT only.
        zoe = Pupil.objects.create(
            classroom=classroom("cm2-lefevre"), first_name="Zoé", last_initial="D"
        )
        ImageConsent.objects.create(pupil=zoe, medium=Medium.ENT, given=True)
        images, pages = Image.objects.count(), Page.objects.count()
        response = self.client.post(
            add_url(classroom("cm2-lefevre")),
            news_data(photo=jpeg(), photo_pupils=[str(zoe.pk)], audience="public"),
        )
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("le web public", html)
        self.assertIn("Zoé D.", html)
        self.assertEqual(Image.objects.count(), images)
        self.assertEqual(Page.objects.count(), pages)
        # For the class's community, the ENT consent is enough.
        response = self.client.post(
            add_url(classroom("cm2-lefevre")),
            news_data(photo=jpeg(), photo_pupils=[str(zoe.pk)]),
        )
        self.assertEqual(response.status_code, 302, errors(response))

    def test_a_broken_file_is_refused_in_french(self):
        broken = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff not a picture")
        pages = Page.objects.count()
        response = self.client.post(add_url(self.place), news_data(photo=broken))
        self.assertEqual(response.status_code, 200)
        self.assertIn("n&#x27;est pas une image", response.content.decode())
        self.assertEqual(Page.objects.count(), pages)

    def test_only_the_pupils_of_the_class_are_offered(self):
        html = self.client.get(add_url(self.place)).content.decode()
        self.assertIn("Léa M.", html)
        self.assertNotIn("Nora B.", html)  # CE1
        self.client.force_login(user("ens.garnier"))
        html = self.client.get(add_url(classroom("ce1-garnier"))).content.decode()
        self.assertIn("Nora B.", html)
        self.assertNotIn("Léa M.", html)

    def test_a_teacher_sends_it_for_validation(self):
        self.client.force_login(user("ens.moreau"))
        lea = Pupil.objects.get(first_name="Léa")
        response = self.client.post(
            add_url(self.place),
            news_data(action="action-submit", photo=jpeg(), photo_pupils=[str(lea.pk)]),
        )
        self.assertEqual(response.status_code, 302, errors(response))
        news = NewsPage.objects.get(title="Sortie à la ferme pédagogique")
        self.assertFalse(news.live)
        self.assertEqual(news.current_workflow_state.status, "in_progress")
        revision = news.get_latest_revision_as_object()
        self.assertEqual(
            [block.block_type for block in revision.body], ["paragraph", "image"]
        )


class MainButtonTests(TestCase):
    def main_button(self, html):
        match = re.search(
            r'<footer[^>]*>.*?<button[^>]*name="(action-[\w-]+)"[^>]*>.*?'
            r"<em[^>]*>([^<]+)</em>",
            html,
            re.S,
        )
        return match.group(1), match.group(2).strip()

    def test_a_director_publishes(self):
        self.client.force_login(user("dir.lefevre"))
        html = self.client.get(add_url(classroom("cm2-lefevre"))).content.decode()
        self.assertEqual(self.main_button(html), ("action-publish", "Publier"))

    def test_a_teacher_sends_for_validation(self):
        self.client.force_login(user("ens.moreau"))
        html = self.client.get(add_url(classroom("cp-moreau"))).content.decode()
        self.assertIn("Envoyer pour validation", html)
        self.assertEqual(self.main_button(html)[0], "action-submit")

    def test_editing_keeps_the_main_button(self):
        self.client.force_login(user("ens.moreau"))
        news = NewsPage.objects.child_of(classroom("cp-moreau")).first()
        html = self.client.get(f"/admin/pages/{news.pk}/edit/").content.decode()
        self.assertIn("Envoyer pour validation", html)


class NoAccidentalDraftTests(TestCase):
    def test_autosave_is_off(self):
        self.assertEqual(settings.WAGTAIL_AUTOSAVE_INTERVAL, 0)
        self.client.force_login(user("ens.moreau"))
        response = self.client.get(add_url(classroom("cp-moreau")))
        self.assertFalse(response.context["autosave_enabled"])


class SidePanelTests(TestCase):
    def test_privacy_and_locale_are_the_teams(self):
        self.client.force_login(user("dir.lefevre"))
        news = NewsPage.objects.child_of(classroom("cm2-lefevre")).first() or (
            NewsPage.objects.descendant_of(classroom("cp-moreau")).first()
        )
        for url in (add_url(classroom("cm2-lefevre")), f"/admin/pages/{news.pk}/edit/"):
            html = self.client.get(url).content.decode()
            self.assertNotIn("Visible pour tous une fois publiée", html, url)
            self.assertNotIn("Région :", html, url)
            self.assertNotIn("Modifier les règles de confidentialité", html, url)
        self.client.force_login(user("ien.dubois"))
        html = self.client.get(f"/admin/pages/{news.pk}/edit/").content.decode()
        self.assertIn("Modifier les règles de confidentialité", html)
