"""Leaks found by an outside review of the admin, closed."""

import html
import json
from html import escape

from django.test import TestCase

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import nested_form_data, streamfield

from accounts.models import Membership
from news.models import NewsPage
from schools.models import ClassroomPage
from tests.conftest import user

Image = get_image_model()
Document = get_document_model()


def unescaped(response):
    return html.unescape(response.content.decode())


class MediaOfOtherSchoolsInPageFormsTests(TestCase):
    """Ids of another school's pictures and documents, sent in a page's body,
    are neither used nor named by the form shown again."""

    def setUp(self):
        self.teacher = user("ens.blanc")
        self.client.force_login(self.teacher)
        self.classroom = ClassroomPage.objects.filter(
            pk__in=Membership.objects.filter(user=self.teacher).values("classroom")
        ).first()

    def post_body(self, body, submit):
        data = {
            "title": "Le potager de la classe",
            "slug": "le-potager-de-la-classe",
            "audience": "community",
            "date": "2026-12-02",
            "intro": "Nos premières salades.",
            "body": streamfield(body),
            "tags": "",
        }
        if submit:
            data["action-submit"] = "action-submit"
        NewsPage.objects.filter(slug="le-potager-de-la-classe").delete()
        return self.client.post(
            f"/admin/pages/add/news/newspage/{self.classroom.pk}/",
            nested_form_data(data),
            follow=True,
        )

    def hidden(self, model):
        from mediafiles.access import may_see

        hidden = [
            item for item in model.objects.all() if not may_see(self.teacher, item)
        ]
        self.assertTrue(hidden, "the demo holds media this teacher may not see")
        return hidden

    def assert_not_used(self, kind, item):
        """A draft may be kept (Wagtail defers required fields), never with
        the other school's picture or document in it."""
        for news in NewsPage.objects.filter(slug="le-potager-de-la-classe"):
            body = news.get_latest_revision().content["body"]
            self.assertNotIn(f'"{kind}": {item.pk}', json.dumps(body))

    def test_another_schools_images_are_neither_used_nor_named(self):
        for photo in self.hidden(Image):
            for submit in (False, True):
                with self.subTest(photo=photo.pk, submit=submit):
                    response = self.post_body(
                        [("image", {"image": photo.pk, "alt_text": "", "caption": ""})],
                        submit,
                    )
                    self.assertNotIn(photo.title, unescaped(response))
                    self.assertNotIn("accord pour", unescaped(response))
                    self.assert_not_used("image", photo)

    def test_another_schools_documents_are_neither_used_nor_named(self):
        for document in self.hidden(Document):
            with self.subTest(document=document.pk):
                response = self.post_body(
                    [("document", {"document": document.pk, "title": ""})], False
                )
                self.assertNotIn(document.title, unescaped(response))
                self.assert_not_used("document", document)


class ReportsOfATeacherWhoLeftTests(TestCase):
    """A teacher taken off a class keeps nothing of its families."""

    def test_the_author_loses_the_report_with_the_class(self):
        news = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
        # Mme Roux, who teaches two other classes, also taught this one.
        teacher = user("ens.roux")
        classroom = news.get_parent().specific
        membership = Membership.objects.create(
            user=teacher,
            role=Membership.Role.TEACHER,
            school=classroom.get_parent().specific,
            classroom=classroom,
        )
        news.owner = teacher
        news.save(update_fields=["owner"])
        self.client.force_login(teacher)
        report = f"/admin/accuses-de-lecture/{news.pk}/"
        self.assertEqual(self.client.get(report).status_code, 200)
        membership.delete()
        for url in (report, report + "export.csv"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(news.title, unescaped(response))
        response = self.client.post(report + "relance/")
        self.assertEqual(response.status_code, 404)


class AliasesTests(TestCase):
    """An alias would carry its source's later audience and text into another
    class: school staff make copies, never aliases."""

    def test_a_directors_alias_is_a_plain_copy(self):
        from wagtail.models import Page

        director = user("dir.lefevre")
        self.client.force_login(director)
        news = (
            NewsPage.objects.filter(audience="public", owner__isnull=True)
            .descendant_of(Page.objects.get(slug="jules-ferry"))
            .first()
        )
        other_class = (
            ClassroomPage.objects.descendant_of(Page.objects.get(slug="jules-ferry"))
            .exclude(pk=news.get_parent().pk)
            .first()
        )
        self.client.post(
            f"/admin/pages/{news.pk}/copy/",
            {
                "new_title": news.title,
                "new_slug": "copie-alias",
                "new_parent_page": other_class.pk,
                "alias": "on",
                "publish_copies": "on",
            },
        )
        copy = Page.objects.get(slug="copie-alias")
        self.assertIsNone(copy.alias_of_id)
        # The source made private later stays out of the other class.
        news.audience = "community"
        news.body = []
        news.save_revision(user=director).publish()
        copy.refresh_from_db()
        self.assertIsNone(copy.alias_of_id)


class DraftsReservedToDirectorsTests(TestCase):
    """A director narrowing a class's news to directors in a draft: the
    class's teachers no longer open it (nor its draft, revisions, title)."""

    SECRET = "Signalement confidentiel famille Bernard"

    @classmethod
    def setUpTestData(cls):
        cls.news = NewsPage.objects.get(slug="les-poesies-de-lhiver")
        cls.classroom = cls.news.get_parent()

    def setUp(self):
        self.teacher = (
            Membership.objects.filter(
                classroom=self.classroom, role=Membership.Role.TEACHER
            )
            .order_by("pk")
            .first()
            .user
        )

    def narrow_in_a_draft(self):
        news = NewsPage.objects.get(pk=self.news.pk)
        news.title = self.SECRET
        news.audience = "directors"
        return news.save_revision(user=user("dir.lefevre"))

    def test_teachers_do_not_open_a_draft_reserved_to_directors(self):
        revision = self.narrow_in_a_draft()
        self.client.force_login(self.teacher)
        pk = self.news.pk
        for url in (
            f"/admin/pages/{pk}/edit/",
            f"/admin/pages/{pk}/view_draft/",
            f"/admin/pages/{pk}/revisions/",
            f"/admin/pages/{pk}/revisions/{revision.pk}/view/",
            f"/admin/pages/{self.classroom.pk}/",
            "/admin/pages/search/?q=signalement",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertIn(response.status_code, {200, 404})
                self.assertNotIn(self.SECRET, unescaped(response))
        self.assertEqual(self.client.get(f"/admin/pages/{pk}/edit/").status_code, 404)
        # The director works on it.
        self.client.force_login(user("dir.lefevre"))
        self.assertContains(self.client.get(f"/admin/pages/{pk}/edit/"), "confidentiel")

    def test_the_dashboard_forgets_what_a_teacher_may_no_longer_see(self):
        news = NewsPage.objects.get(pk=self.news.pk)
        news.save_revision(user=self.teacher, log_action=True)
        self.client.force_login(self.teacher)
        self.assertContains(self.client.get("/admin/"), escape(news.title))
        self.narrow_in_a_draft().publish()
        self.assertNotContains(self.client.get("/admin/"), self.SECRET)


class MediaTagsTests(TestCase):
    """The tag filter of the images and documents listings and choosers
    offers only tags used within the reader's collections."""

    def test_a_tag_used_only_in_another_school_is_not_offered(self):
        from mediafiles.access import may_choose

        director = user("dir.chevalier")
        photo = next(
            image for image in Image.objects.all() if not may_choose(director, image)
        )
        photo.tags.add("secret-tag-jf")
        document = next(
            item for item in Document.objects.all() if not may_choose(director, item)
        )
        document.tags.add("doc-secret-jf")
        self.client.force_login(director)
        for url in ("/admin/images/", "/admin/images/chooser/", "/admin/documents/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "secret-tag-jf")
                self.assertNotContains(response, "doc-secret-jf")
        # The team still sees every tag.
        self.client.force_login(user("ien.dubois"))
        self.assertContains(self.client.get("/admin/images/"), "secret-tag-jf")
