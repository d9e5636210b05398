"""Children's photos appear only where their families consent (DESIGN §5)."""

import re

from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.test import TestCase

from wagtail.images import get_image_model
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from mediafiles.access import may_see
from mediafiles.models import CustomDocument
from news.models import NewsPage
from pupils.models import ImageConsent, Medium, Pupil
from tests.conftest import user

Image = get_image_model()


def image_blocks(page, image=None):
    page.refresh_from_db()
    return [
        block
        for block in page.body
        if block.block_type == "image" and image in (None, block.value["image"])
    ]


class PublishingRulesTests(TestCase):
    def setUp(self):
        self.client.force_login(user("dir.lefevre"))

    def publish_with_photo(self, news, image, action="action-publish"):
        actions = {action: action} if action else {}
        return self.client.post(
            f"/admin/pages/{news.pk}/edit/",
            nested_form_data(
                {
                    **actions,
                    "title": news.title,
                    "slug": news.slug,
                    "audience": news.audience,
                    "date": news.date.isoformat(),
                    "intro": news.intro,
                    "body": streamfield(
                        [
                            ("paragraph", rich_text("<p>Retour en images.</p>")),
                            (
                                "image",
                                {"image": image.pk, "alt_text": "", "caption": ""},
                            ),
                        ]
                    ),
                    "tags": "",
                }
            ),
        )

    def test_no_web_consent_no_public_page(self):
        news = NewsPage.objects.get(slug="fete-de-lecole-le-samedi-27-juin")
        photo = Image.objects.get(title="Photo de groupe au musée")
        response = self.publish_with_photo(news, photo)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode().replace("&#x27;", "'")
        self.assertIn("Photo de groupe au musée", html)
        self.assertIn("le web public", html)
        self.assertIn("Jules L.", html)
        self.assertNotIn("Léa M.", html.split("pas d'accord pour")[1][:40])
        self.assertFalse(image_blocks(news, photo))

    def test_a_draft_with_the_photo_is_kept(self):
        news = NewsPage.objects.get(slug="fete-de-lecole-le-samedi-27-juin")
        photo = Image.objects.get(title="Photo de groupe au musée")
        response = self.publish_with_photo(news, photo, action=None)
        self.assertEqual(response.status_code, 302)
        news.refresh_from_db()
        draft = news.get_latest_revision_as_object()
        self.assertEqual(draft.body[1].value["image"], photo)
        self.assertFalse(image_blocks(news, photo))  # the live page is unchanged

    def test_ent_consent_is_enough_for_the_class_community(self):
        news = NewsPage.objects.get(slug="decloisonnement-en-lecture-avec-le-ce1")
        photo = Image.objects.get(title="Photo de groupe au musée")
        response = self.publish_with_photo(news, photo)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(image_blocks(news)), 1)

    def test_a_pupil_without_any_decision_blocks_the_photo_everywhere(self):
        news = NewsPage.objects.get(slug="decloisonnement-en-lecture-avec-le-ce1")
        photo = Image.objects.get(title="Photo de la classe de CP")
        response = self.publish_with_photo(news, photo)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Inès B.", response.content.decode())

    def test_people_nobody_named_stay_off_the_public_web(self):
        self.client.force_login(user("ien.dubois"))
        photo = Image.objects.get(title="Les courges du potager")
        photo.has_identifiable_people = True
        photo.save()
        news = NewsPage.objects.get(slug="fete-de-lecole-le-samedi-27-juin")
        response = self.publish_with_photo(news, photo)
        self.assertContains(response, "ne nomme aucun élève")
        private = NewsPage.objects.get(slug="reunion-de-rentree-avec-les-familles")
        self.assertEqual(self.publish_with_photo(private, photo).status_code, 302)

    def test_teachers_cannot_submit_it_for_validation_either(self):
        self.client.force_login(user("ens.moreau"))
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        photo = Image.objects.get(title="Photo de la classe de CP")
        response = self.publish_with_photo(news, photo, action="action-submit")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Inès B.", response.content.decode())

    def test_photos_of_another_school_cannot_be_used_even_by_a_crafted_request(self):
        news = NewsPage.objects.get(slug="reunion-de-rentree-avec-les-familles")
        foreign = Image.objects.get(title="Les peintures des petits")
        response = self.publish_with_photo(news, foreign)
        self.assertEqual(response.status_code, 200)
        # The form drops the picture (pages.blocks) and does not name it.
        self.assertNotContains(response, foreign.title)
        self.assertFalse(image_blocks(news, foreign))


class WithdrawalTests(TestCase):
    def test_a_family_withdraws_and_the_photo_leaves_the_page_at_once(self):
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        photo = Image.objects.get(title="Photo de groupe au musée")
        self.assertEqual(len(image_blocks(news)), 1)
        family = self.client_class()
        family.force_login(user("famille.leroy"))
        page_html = family.get(news.url).content.decode()
        rendition_url = re.search(r'src="(/images/\d+/[^"]+)"', page_html).group(1)
        self.assertEqual(family.get(rendition_url).status_code, 200)

        martin = self.client_class()
        martin.force_login(user("famille.martin"))
        lea = Pupil.objects.get(first_name="Léa")
        response = martin.post(
            "/mon-compte/", {"pupil": lea.pk, "medium": Medium.WEB}, follow=True
        )
        self.assertContains(response, "Accord retiré")
        # Léa still has her ENT consent: the photo stays on the class page.
        self.assertEqual(len(image_blocks(news)), 1)

        response = martin.post(
            "/mon-compte/", {"pupil": lea.pk, "medium": Medium.ENT}, follow=True
        )
        self.assertFalse(image_blocks(news))
        self.assertNotIn(photo.title, family.get(news.url).content.decode())
        self.assertEqual(family.get(rendition_url).status_code, 403)

        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertIn("Sortie au musée des Beaux-Arts", message.subject)
        self.assertIn("dir.lefevre@ent-demo.fr", message.to)
        self.assertIn("Léa M.", message.body)

    def test_the_account_page_shows_each_child_and_decision(self):
        self.client.force_login(user("famille.martin"))
        html = self.client.get("/mon-compte/").content.decode()
        self.assertIn("Léa M. · CP de Mme Moreau", html)
        self.assertIn("Tom M. · PS-MS de Mme Chevalier", html)
        self.assertIn("Photos autorisées sur l&#x27;ENT (membres seulement)", html)
        self.assertIn("Pas de photos sur le web public", html)

    def test_a_family_cannot_decide_for_another_familys_child(self):
        self.client.force_login(user("famille.martin"))
        jules = Pupil.objects.get(first_name="Jules")
        count = ImageConsent.objects.count()
        response = self.client.post(
            "/mon-compte/", {"pupil": jules.pk, "medium": Medium.ENT}, follow=True
        )
        self.assertContains(response, "pas pu être enregistré")
        self.assertEqual(ImageConsent.objects.count(), count)

    def test_the_director_records_paper_consents(self):
        self.client.force_login(user("dir.lefevre"))
        ines = Pupil.objects.get(first_name="Inès")
        response = self.client.post(
            f"/admin/pupils/edit/{ines.pk}/",
            {
                "classroom": ines.classroom_id,
                "first_name": "Inès",
                "last_initial": "B",
                "families": [],
                "consent_ent": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(ines.consents(Medium.ENT))
        self.assertFalse(ines.consents(Medium.WEB))
        record = ines.image_consents.get()
        self.assertEqual(record.recorded_by.username, "dir.lefevre")

        tom = Pupil.objects.get(first_name="Tom")
        self.assertEqual(
            self.client.get(f"/admin/pupils/edit/{tom.pk}/").status_code, 404
        )
        listing = self.client.get("/admin/pupils/").content.decode()
        self.assertIn("Inès B.", listing)
        self.assertNotIn("Tom M.", listing)


class MediaLeakTests(TestCase):
    """Every image and document of every non-public demo page, requested by
    anonymous visitors and by people of another school, by every URL we serve
    and every name one could guess."""

    # For a page of a class: a family of another class of the same school; for
    # a page of a school: a family of another school.
    OUTSIDERS = {
        "cp-moreau": "famille.bernard",
        "ps-ms-chevalier": "famille.petit",
        "gs-perrin": "famille.martin",
        "jules-ferry": "famille.nguyen",
        "les-coquelicots": "famille.nguyen",
    }

    def test_no_private_media_reaches_outsiders(self):
        from visibility.models import PageAudience

        team = self.client_class()
        team.force_login(user("ien.dubois"))
        checked = 0
        for news in NewsPage.objects.live().exclude(
            pk__in=PageAudience.objects.filter(audience="public").values("page")
        ):
            team.get(news.url)  # renders the page, so its renditions exist
            urls = []
            for block in news.body:
                if block.block_type not in ("image", "document"):
                    continue
                item = block.value[block.block_type]
                if may_see(AnonymousUser(), item):
                    continue  # also on a public page: public by design
                name = item.file.name.rsplit("/", 1)[-1]
                if isinstance(item, CustomDocument):
                    urls.append(item.url)
                else:
                    urls += [rendition.url for rendition in item.renditions.all()]
                urls += [
                    f"/media/original_images/{name}",
                    f"/media/documents/{name}",
                    f"/media/{item.file.name}",
                    f"/private_media/{item.file.name}",
                    f"/images/{item.pk}/{name}",
                ]
                if isinstance(item, CustomDocument):
                    urls.append(f"/documents/{item.pk}/{name}")
            parts = news.url.strip("/").split("/")
            outsider = self.OUTSIDERS.get(
                parts[2] if len(parts) > 3 else parts[1], "famille.petit"
            )
            for username in (None, outsider):
                client = self.client_class()
                if username:
                    client.force_login(user(username))
                for url in urls:
                    with self.subTest(page=news.slug, url=url, who=username):
                        response = client.get(url)
                        self.assertIn(response.status_code, {302, 403, 404})
                        checked += 1
        self.assertGreater(checked, 20)

    def test_private_media_responses_are_never_cached_or_sniffed(self):
        self.client.force_login(user("famille.leroy"))
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        html = self.client.get(news.url).content.decode()
        rendition_url = re.search(r'src="(/images/\d+/[^"]+)"', html).group(1)
        response = self.client.get(rendition_url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("default-src 'none'", response["Content-Security-Policy"])

        self.client.force_login(user("famille.petit"))
        document = CustomDocument.objects.get(title__startswith="Menus")
        response = self.client.get(document.url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertIn("no-store", response["Cache-Control"])


class MediaChoosersTests(TestCase):
    def test_editors_choose_only_their_schools_pictures(self):
        self.client.force_login(user("dir.lefevre"))
        html = self.client.get("/admin/images/chooser/").json()["html"]
        self.assertIn("Photo de groupe au musée", html)
        self.assertNotIn("Les peintures des petits", html)
        html = self.client.get("/admin/images/").content.decode()
        self.assertNotIn("Les peintures des petits", html)

    def test_pupils_of_other_schools_cannot_be_named_on_a_photo(self):
        from mediafiles.forms import ImageForm

        form_class = type(
            "Form",
            (ImageForm,),
            {
                "Meta": type(
                    "Meta", (), {"model": Image, "fields": ["collection", "pupils"]}
                )
            },
        )
        form = form_class(user=user("dir.lefevre"))
        names = {str(pupil) for pupil in form.fields["pupils"].queryset}
        self.assertIn("Jules L.", names)
        self.assertNotIn("Tom M.", names)


class RuleEveryPathTests(TestCase):
    """The rule holds whatever the way in (found in review)."""

    def test_drag_and_drop_uploads_are_stripped_too(self):
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile

        from PIL import Image as PILImage

        from tests.test_uploads import jpeg_with_gps_and_xmp

        self.client.force_login(user("ien.dubois"))
        response = self.client.post(
            "/admin/images/multiple/add/",
            {
                "files[]": SimpleUploadedFile("sortie.jpg", jpeg_with_gps_and_xmp()),
                "collection": 1,
            },
        )
        self.assertTrue(response.json()["success"])
        image = Image.objects.get(pk=response.json()["image_id"])
        with image.file.open("rb") as stored:
            data = stored.read()
        with PILImage.open(io.BytesIO(data)) as result:
            self.assertFalse(result.getexif())
        self.assertNotIn(b"SN-123456", data)
        self.assertEqual((image.width, image.height), (800, 1200))

    def test_standard_pages_obey_the_rule(self):
        from home.models import StandardPage

        self.client.force_login(user("ien.dubois"))
        page = StandardPage.objects.get(slug="a-propos")
        photo = Image.objects.get(title="Photo de la classe de CP")
        response = self.client.post(
            f"/admin/pages/{page.pk}/edit/",
            nested_form_data(
                {
                    "title": page.title,
                    "slug": page.slug,
                    "intro": page.intro,
                    "body": streamfield(
                        [("image", {"image": photo.pk, "alt_text": "", "caption": ""})]
                    ),
                    "action-publish": "action-publish",
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Inès B.", response.content.decode())

    def test_moving_a_page_to_a_public_place_takes_refused_photos_off(self):
        from news.models import NewsIndexPage

        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        news.audience = "public"
        news.save_revision().publish()
        photo = Image.objects.get(title="Photo de groupe au musée")
        self.assertTrue(image_blocks(news, photo))  # community under the class
        news.move(NewsIndexPage.objects.get(), pos="last-child")
        self.assertFalse(image_blocks(news, photo))  # Jules: no web consent

    def test_naming_a_pupil_on_a_shown_photo_checks_it_again(self):
        photo = Image.objects.get(title="Les courges du potager")
        news = NewsPage.objects.get(
            slug="le-potager-de-lecole-a-donne-ses-premieres-courges"
        )
        self.assertTrue(image_blocks(news, photo))
        photo.pupils.add(Pupil.objects.get(first_name="Linh"))
        self.assertFalse(image_blocks(news, photo))

    def test_withdrawing_the_ent_withdraws_the_web_too(self):
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        photo = Image.objects.get(title="Photo de groupe au musée")
        self.client.force_login(user("famille.martin"))
        lea = Pupil.objects.get(first_name="Léa")
        self.client.post("/mon-compte/", {"pupil": lea.pk, "medium": Medium.ENT})
        self.assertFalse(lea.consents(Medium.WEB))
        self.assertFalse(image_blocks(news, photo))

    def test_a_withdrawal_keeps_the_editors_draft(self):
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        news.title = "Sortie au musée des Beaux-Arts (brouillon)"
        news.save_revision()
        ImageConsent.objects.create(
            pupil=Pupil.objects.get(first_name="Jules"), medium=Medium.ENT, given=False
        )
        news.refresh_from_db()
        self.assertTrue(news.has_unpublished_changes)
        draft = news.get_latest_revision_as_object()
        self.assertEqual(draft.title, "Sortie au musée des Beaux-Arts (brouillon)")
        self.assertFalse([b for b in draft.body if b.block_type == "image"])
        self.assertFalse(image_blocks(news))

    def test_named_pupils_count_even_when_the_box_is_unticked(self):
        from pupils.rights import missing_consent

        photo = Image.objects.get(title="Photo de groupe au musée")
        photo.has_identifiable_people = False
        self.assertIn("Jules L.", missing_consent(photo, "public"))

    def test_an_upload_completed_later_is_stripped_too(self):
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile

        from PIL import Image as PILImage

        from tests.test_uploads import jpeg_with_gps_and_xmp

        self.client.force_login(user("ien.dubois"))
        response = self.client.post(
            "/admin/images/multiple/add/",
            {"files[]": SimpleUploadedFile("sortie.jpg", jpeg_with_gps_and_xmp())},
        )
        upload_id = response.json()["uploaded_file_id"]
        prefix = f"uploaded-image-{upload_id}"
        response = self.client.post(
            f"/admin/images/multiple/create_from_uploaded_image/{upload_id}/",
            {
                f"{prefix}-title": "Sortie",
                f"{prefix}-collection": 1,
                f"{prefix}-licence": "cc-by",
                f"{prefix}-tags": "",
            },
        )
        self.assertTrue(response.json()["success"])
        image = Image.objects.get(pk=response.json()["image_id"])
        with image.file.open("rb") as stored:
            data = stored.read()
        with PILImage.open(io.BytesIO(data)) as result:
            self.assertFalse(result.getexif())
        self.assertNotIn(b"SN-123456", data)
