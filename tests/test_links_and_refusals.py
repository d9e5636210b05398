"""Issue 12, points 2, 4 and 5: a destination is read the way the form reads
it, a link never gives its target away, and a refusal names nothing its
reader may not see."""

import json
import re

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from news.models import NewsPage
from pupils.models import Pupil
from schools.models import ClassroomPage, SchoolPage
from tests.conftest import user
from visibility.audience import can_view

Image = get_image_model()


def unescaped(response):
    return response.content.decode().replace("&#x27;", "'")


class CraftedDestinationTests(TestCase):
    """A director of Jules-Ferry tries to take a class's community news to
    another class or school, whatever the request looks like (point 2)."""

    def setUp(self):
        self.news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        self.neighbour = ClassroomPage.objects.get(slug="ce1-garnier")
        self.school = SchoolPage.objects.get(slug="jules-ferry")
        self.client.force_login(user("dir.lefevre"))
        self.count = Page.objects.count()

    def copy_data(self, **fields):
        return {
            "new_title": "Sortie au musée (copie)",
            "new_slug": "sortie-au-musee-copie",
            "copy_subpages": False,
            "publish_copies": True,
            **fields,
        }

    def assert_nothing_moved_or_created(self):
        self.assertEqual(Page.objects.count(), self.count)
        self.assertFalse(Page.objects.filter(slug="sortie-au-musee-copie").exists())
        self.news.refresh_from_db()
        self.assertEqual(self.news.get_parent().slug, "cp-moreau")

    def test_copies_with_crafted_destination_ids_are_refused(self):
        pk = self.neighbour.pk
        for value in (f" {pk}", f"+{pk}", f"0{pk}", f"{pk} ", self.school.pk):
            with self.subTest(value=value):
                response = self.client.post(
                    f"/admin/pages/{self.news.pk}/copy/",
                    self.copy_data(new_parent_page=value),
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "seule l&#x27;équipe de circonscription")
                self.assert_nothing_moved_or_created()

    def test_a_copy_with_a_duplicated_destination_is_refused(self):
        own = self.news.get_parent()
        response = self.client.post(
            f"/admin/pages/{self.news.pk}/copy/",
            self.copy_data(new_parent_page=[own.pk, self.neighbour.pk]),
        )
        self.assertEqual(response.status_code, 200)
        self.assert_nothing_moved_or_created()

    def test_a_copy_with_the_bulk_fields_or_as_json_changes_nothing(self):
        response = self.client.post(
            f"/admin/pages/{self.news.pk}/copy/",
            self.copy_data(chooser=self.neighbour.pk),
        )
        self.assertEqual(response.status_code, 200)
        response = self.client.post(
            f"/admin/pages/{self.news.pk}/copy/",
            json.dumps(self.copy_data(new_parent_page=self.neighbour.pk)),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200)
        self.assert_nothing_moved_or_created()

    def test_nothing_goes_to_another_school(self):
        other = SchoolPage.objects.get(slug="les-coquelicots")
        self.client.post(
            f"/admin/pages/{self.news.pk}/copy/",
            self.copy_data(new_parent_page=f" {other.pk}"),
        )
        self.client.post(f"/admin/pages/{self.news.pk}/move/{other.pk}/confirm/")
        self.client.post(
            f"/admin/bulk/wagtailcore/page/move/?id={self.news.pk}",
            {"chooser": f"+{other.pk}"},
        )
        self.assert_nothing_moved_or_created()

    def test_a_copy_in_its_own_class_is_still_allowed(self):
        self.client.post(
            f"/admin/pages/{self.news.pk}/copy/",
            self.copy_data(new_parent_page=self.news.get_parent().pk),
        )
        copy = Page.objects.get(slug="sortie-au-musee-copie")
        self.assertEqual(copy.get_parent().slug, "cp-moreau")

    def test_bulk_moves_with_crafted_destinations_are_refused(self):
        pk = self.neighbour.pk
        url = f"/admin/bulk/wagtailcore/page/move/?id={self.news.pk}"
        for data in (
            {"chooser": f" {pk}"},
            {"chooser": f"+{pk}"},
            {"chooser": f"0{pk}"},
            {"chooser": [self.news.get_parent().pk, pk]},
            {"chooser": self.school.pk},
        ):
            with self.subTest(data=data):
                self.client.post(url, data)
                self.assert_nothing_moved_or_created()
        self.client.post(url, {"new_parent_page": pk})
        self.client.post(
            url, json.dumps({"chooser": pk}), content_type="application/json"
        )
        self.assert_nothing_moved_or_created()

    def test_moves_are_refused_whatever_the_way(self):
        for destination in (self.neighbour, self.school):
            with self.subTest(destination=destination.slug):
                response = self.client.post(
                    f"/admin/pages/{self.news.pk}/move/{destination.pk}/confirm/",
                    follow=True,
                )
                self.assertContains(response, "seule l&#x27;équipe de circonscription")
                self.client.post(
                    f"/admin/pages/{self.news.pk}/move/",
                    {"new_parent_page": f" {destination.pk}"},
                )
                self.assert_nothing_moved_or_created()

    def test_the_district_team_still_may(self):
        self.client.force_login(user("ien.dubois"))
        self.client.post(
            f"/admin/pages/{self.news.pk}/copy/",
            self.copy_data(new_parent_page=self.neighbour.pk),
        )
        copy = Page.objects.get(slug="sortie-au-musee-copie")
        self.assertEqual(copy.get_parent().slug, "ce1-garnier")


class LinkTargetTests(TestCase):
    """A link shows its address only to those who may see its target, and
    editors link only to what they may see (point 4)."""

    def setUp(self):
        self.public = NewsPage.objects.get(slug="fete-de-lecole-le-samedi-27-juin")
        self.staff = NewsPage.objects.get(
            slug="conseil-des-maitres-du-lundi-7-decembre"
        )

    def link_body(self, target):
        return streamfield(
            [
                (
                    "paragraph",
                    rich_text(
                        f'<p>Voir aussi <a linktype="page" id="{target.pk}">'
                        "le compte rendu</a>.</p>"
                    ),
                )
            ]
        )

    def edit(self, page, body, action="action-publish"):
        return self.client.post(
            f"/admin/pages/{page.pk}/edit/",
            nested_form_data(
                {
                    action: action,
                    "title": page.title,
                    "slug": page.slug,
                    "audience": page.audience,
                    "date": page.date.isoformat(),
                    "intro": page.intro,
                    "body": body,
                    "tags": "",
                }
            ),
        )

    def test_readers_who_may_not_see_the_target_get_the_text_only(self):
        self.client.force_login(user("ien.dubois"))
        self.assertEqual(
            self.edit(self.public, self.link_body(self.staff)).status_code, 302
        )
        self.client.logout()
        readers = {
            "visiteur": None,
            "famille": "famille.leroy",
            "enseignante": "ens.moreau",
        }
        pages = {}
        for name, username in readers.items():
            client = self.client_class()
            if username:
                client.force_login(user(username))
            pages[name] = client.get(self.public.url).content.decode()
        for name in ("visiteur", "famille"):
            with self.subTest(reader=name):
                html = pages[name]
                self.assertIn("le compte rendu", html)
                link = re.search(r"<a[^>]*>le compte rendu</a>", html).group(0)
                self.assertEqual(link, "<a>le compte rendu</a>")
                self.assertNotIn(self.staff.url, html)
                self.assertNotIn(self.staff.title, html)
        self.assertIn(
            f'<a href="{self.staff.url}">le compte rendu</a>', pages["enseignante"]
        )

    def test_an_editor_cannot_link_to_a_page_out_of_sight(self):
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        hidden = NewsPage.objects.get(slug="dossier-de-sortie-scolaire-a-valider")
        teacher = user("ens.moreau")
        self.assertFalse(can_view(teacher, hidden))
        self.client.force_login(teacher)
        response = self.edit(news, self.link_body(hidden), action="action-submit")
        self.assertEqual(response.status_code, 200)
        html = unescaped(response)
        self.assertIn("pointe vers quelque chose que vous ne pouvez pas utiliser", html)
        self.assertNotIn(hidden.title, html)
        news.refresh_from_db()
        self.assertNotIn(
            f'id="{hidden.pk}"', str(news.get_latest_revision_as_object().body.raw_data)
        )
        # A page she may see can be linked.
        response = self.edit(news, self.link_body(self.staff), action="action-submit")
        self.assertEqual(response.status_code, 302)

    def test_the_editor_does_not_show_the_address_of_a_hidden_target(self):
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        hidden = NewsPage.objects.get(slug="dossier-de-sortie-scolaire-a-valider")
        self.client.force_login(user("ien.dubois"))
        self.edit(news, self.link_body(hidden))
        self.assertIn(
            hidden.url,
            self.client.get(f"/admin/pages/{news.pk}/edit/").content.decode(),
        )
        self.client.force_login(user("ens.moreau"))
        html = self.client.get(f"/admin/pages/{news.pk}/edit/").content.decode()
        self.assertIn("le compte rendu", html)
        self.assertNotIn(hidden.url, html)
        self.assertNotIn(hidden.slug, html)
        # Sent back by her editor, the link stays as the team made it.
        from wagtail.admin.rich_text.converters.contentstate import (
            ContentstateConverter,
        )

        from pages import links

        converter = ContentstateConverter(features=["link"])
        token = links._reader.set(user("ens.moreau"))
        try:
            state = converter.from_database_format(
                f'<p><a linktype="page" id="{hidden.pk}">le compte rendu</a></p>'
            )
        finally:
            links._reader.reset(token)
        self.assertNotIn(hidden.url, state)
        self.assertIn(
            f'<a linktype="page" id="{hidden.pk}">le compte rendu</a>',
            converter.to_database_format(state),
        )

    def test_documents_and_images_in_rich_text_are_those_one_may_choose(self):
        from pages.links import forbidden_references

        teacher = user("ens.moreau")
        own = Image.objects.get(title="Photo de la classe de CP")
        foreign = Image.objects.get(title="Les peintures des petits")
        document = get_document_model().objects.get(
            title="Ordre du jour du conseil des maîtres"
        )

        def embed(image):
            return (
                f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt=""/>'
            )

        self.assertEqual(forbidden_references(teacher, [embed(own)]), 0)
        self.assertEqual(forbidden_references(teacher, [embed(foreign)]), 1)
        link = f'<a linktype="document" id="{document.pk}">ordre du jour</a>'
        self.assertEqual(forbidden_references(user("ens.benoit"), [link]), 1)
        self.assertEqual(forbidden_references(user("dir.lefevre"), [link]), 0)
        self.assertEqual(
            forbidden_references(AnonymousUser(), ['<a linktype="page" id="x1">a</a>']),
            1,
        )


class RefusalsNameNothingHiddenTests(TestCase):
    """Refusals about moves, copies, images and pupils name only what their
    reader may see (point 5)."""

    def setUp(self):
        self.director = user("dir.lefevre")
        self.client.force_login(self.director)
        self.hidden = ClassroomPage.objects.get(slug="ps-ms-chevalier")
        self.assertFalse(can_view(self.director, self.hidden))

    def test_a_copy_refusal_does_not_name_the_destination(self):
        news = NewsPage.objects.get(slug="notre-journal-de-classe-est-en-ligne")
        for value in (self.hidden.pk, f" {self.hidden.pk}"):
            with self.subTest(value=value):
                response = self.client.post(
                    f"/admin/pages/{news.pk}/copy/",
                    {
                        "new_title": "Journal (copie)",
                        "new_slug": news.slug,
                        "new_parent_page": value,
                    },
                )
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(self.hidden.title, unescaped(response))
        self.assertFalse(Page.objects.filter(title="Journal (copie)").exists())

    def test_a_move_refusal_does_not_name_the_destination(self):
        news = NewsPage.objects.get(slug="notre-journal-de-classe-est-en-ligne")
        parent = news.get_parent()
        response = self.client.post(
            f"/admin/pages/{news.pk}/move/{self.hidden.pk}/confirm/", follow=True
        )
        # An address naming a page out of sight is a 404 (home.admin_access).
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.hidden.title, unescaped(response))
        self.assertEqual(Page.objects.get(pk=news.pk).get_parent().pk, parent.pk)

    def test_a_bulk_move_refusal_does_not_name_the_destination(self):
        news = NewsPage.objects.get(slug="notre-journal-de-classe-est-en-ligne")
        response = self.client.post(
            f"/admin/bulk/wagtailcore/page/move/?id={news.pk}",
            {"chooser": self.hidden.pk},
        )
        self.assertNotIn(self.hidden.title, unescaped(response))
        news.refresh_from_db()
        self.assertEqual(news.get_parent().slug, "cm2-lefevre")

    def test_an_image_of_another_class_is_not_named(self):
        teacher = user("ens.garnier")
        photo = Image.objects.get(title="Photo de groupe au musée")
        self.client.force_login(teacher)
        news = NewsPage.objects.get(slug="les-poesies-de-lhiver")
        response = self.client.post(
            f"/admin/pages/{news.pk}/edit/",
            nested_form_data(
                {
                    "action-submit": "action-submit",
                    "title": news.title,
                    "slug": news.slug,
                    "audience": news.audience,
                    "date": news.date.isoformat(),
                    "intro": news.intro,
                    "body": streamfield(
                        [("image", {"image": photo.pk, "alt_text": "", "caption": ""})]
                    ),
                    "tags": "",
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        html = unescaped(response)
        self.assertNotIn(photo.title, html)
        # The picture is dropped from what the form received (pages.blocks).
        latest = NewsPage.objects.get(pk=news.pk).get_latest_revision()
        body = latest.content["body"] if latest else []
        self.assertNotIn(f'"image": {photo.pk}', json.dumps(body))

    def test_an_image_rights_refusal_names_only_the_readers_pupils(self):
        photo = Image.objects.get(title="Photo de la classe de CP")
        photo.pupils.add(Pupil.objects.get(first_name="Linh"))
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        self.client.force_login(user("ens.moreau"))
        response = self.client.post(
            f"/admin/pages/{news.pk}/edit/",
            nested_form_data(
                {
                    "action-submit": "action-submit",
                    "title": news.title,
                    "slug": news.slug,
                    "audience": news.audience,
                    "date": news.date.isoformat(),
                    "intro": news.intro,
                    "body": streamfield(
                        [("image", {"image": photo.pk, "alt_text": "", "caption": ""})]
                    ),
                    "tags": "",
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        html = unescaped(response)
        self.assertIn("Inès B.", html)
        self.assertNotIn("Linh", html)
        self.assertIn("1 autre élève", html)

    def test_the_e_mail_about_a_removed_photo_names_each_readers_pupils(self):
        from django.core import mail

        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        news.owner = user("ens.garnier")
        news.save()
        self.client.force_login(user("famille.martin"))
        lea = Pupil.objects.get(first_name="Léa")
        self.client.post("/mon-compte/", {"pupil": lea.pk, "medium": "ent"})
        bodies = {message.to[0].split("@")[0]: message.body for message in mail.outbox}
        self.assertIn("Léa M.", bodies["dir.lefevre"])
        self.assertNotIn("Léa", bodies["ens.garnier"])
        self.assertIn("1 élève", bodies["ens.garnier"])

    def test_pupils_of_other_classes_are_not_listed_but_stay_named(self):
        from mediafiles.forms import ImageForm

        photo = Image.objects.get(title="Photo de la classe de CP")
        linh = Pupil.objects.get(first_name="Linh")
        photo.pupils.add(linh)
        form_class = type(
            "Form",
            (ImageForm,),
            {
                "Meta": type(
                    "Meta",
                    (),
                    {"model": Image, "fields": ["collection", "title", "pupils"]},
                )
            },
        )
        teacher = user("ens.moreau")
        self.client.force_login(teacher)
        html = self.client.get(f"/admin/images/{photo.pk}/").content.decode()
        self.assertIn("Inès B.", html)
        self.assertNotIn("Linh", html)
        jules = Pupil.objects.get(first_name="Jules")
        form = form_class(
            {
                "collection": photo.collection_id,
                "title": photo.title,
                "pupils": [jules.pk],
            },
            instance=photo,
            user=teacher,
        )
        self.assertTrue(form.is_valid(), form.errors)
        form.save()
        self.assertEqual(
            {str(pupil) for pupil in photo.pupils.all()}, {"Jules L.", "Linh N."}
        )
