"""The admin is closed by default to school staff (issue 12, points 1 and 3).

Every admin URL pattern is walked: it is either on the staff allowlist, with a
test below proving that what it shows stays in the person's reach, or it
answers 404 to teachers and directors. A view that a later Wagtail adds is
neither, and fails the walk until someone decides.
"""

import sys

from django.test import TestCase
from django.urls import resolve
from django.utils import timezone
from django.utils.html import escape

from wagtail.admin.models import EditingSession
from wagtail.images import get_image_model
from wagtail.models import Page, UploadedFile

from accounts.models import Membership, ScopeGroup
from home.admin_access import STAFF_ADMIN_VIEWS, media_in_reach
from news.models import NewsPage
from pupils.models import Pupil
from schools.models import ClassroomPage, SchoolPage
from tests.admin_urls import admin_patterns, secrets_for, url_for
from tests.conftest import user
from tests.factories import DocumentFactory

# Each allowlisted view, and the test of this module that proves its scope.
SCOPE_TESTS = {
    **dict.fromkeys(
        [
            "wagtailadmin_home",
            "wagtailadmin_login",
            "wagtailadmin_logout",
            "wagtailadmin_account",
            "wagtailadmin_javascript_catalog",
            "wagtail_localize:javascript_catalog",
            "wagtailadmin_sprite",
            "wagtailadmin_dismissibles",
            "wagtailadmin_block_preview",
            "wagtailadmin_choose_page_external_link",
            "wagtailadmin_choose_page_email_link",
            "wagtailadmin_choose_page_phone_link",
            "wagtailadmin_choose_page_anchor_link",
        ],
        "test_views_without_objects_name_nothing_out_of_reach",
    ),
    **dict.fromkeys(
        [
            "wagtailadmin_explore_root",
            "wagtailadmin_explore",
            "wagtailadmin_explore_results",
            "wagtailadmin_api:pages:listing",
            "wagtailadmin_api:pages:detail",
            "wagtailadmin_pages:search",
            "wagtailadmin_pages:search_results",
        ],
        "test_explorer_search_and_page_menu_list_visible_pages_only",
    ),
    **dict.fromkeys(
        [
            "wagtailadmin_pages:add_subpage",
            "wagtailadmin_pages:add",
            "wagtailadmin_pages:preview_on_add",
            "wagtailadmin_pages:edit",
            "wagtailadmin_pages:preview_on_edit",
            "wagtailadmin_pages:view_draft",
            "wagtailadmin_pages:delete",
            "wagtailadmin_pages:unpublish",
            "wagtailadmin_pages:move",
            "wagtailadmin_pages:move_confirm",
            "wagtailadmin_pages:copy",
            "wagtailadmin_pages:lock",
            "wagtailadmin_pages:unlock",
            "wagtailadmin_pages:revisions_index",
            "wagtailadmin_pages:revisions_view",
            "wagtailadmin_pages:revisions_compare",
            "wagtailadmin_pages:revisions_revert",
            "wagtailadmin_pages:revisions_unschedule",
            "wagtailadmin_pages:history",
            "wagtailadmin_pages:history_results",
            "wagtailadmin_pages:workflow_history",
            "wagtailadmin_pages:workflow_history_detail",
            "wagtailadmin_pages:workflow_action",
            "wagtailadmin_pages:collect_workflow_action_data",
            "wagtailadmin_pages:confirm_workflow_cancellation",
            "wagtailadmin_pages:workflow_preview",
            "wagtailadmin_editing_sessions:ping",
        ],
        "test_page_views_refuse_pages_out_of_sight",
    ),
    "wagtailadmin_editing_sessions:release": "test_editing_sessions_are_their_own",
    "wagtail_bulk_action": "test_bulk_actions_name_only_what_is_in_reach",
    **dict.fromkeys(
        [
            "wagtailadmin_choose_page",
            "wagtailadmin_choose_page_child",
            "wagtailadmin_choose_page_search",
        ],
        "test_page_chooser_offers_visible_pages_only",
    ),
    **dict.fromkeys(
        ["wagtailadmin_tag_autocomplete", "wagtailadmin_tag_model_autocomplete"],
        "test_tag_autocomplete_suggests_only_tags_of_what_they_see",
    ),
    **dict.fromkeys(
        [
            "wagtailimages_chooser:choose",
            "wagtailimages_chooser:choose_results",
            "wagtailimages_chooser:chosen",
            "wagtailimages_chooser:create",
            "wagtailimages:index",
            "wagtailimages:index_results",
            "wagtailimages:add",
            "wagtailimages:edit",
            "wagtailimages:preview",
            "wagtailimages:add_multiple",
            "wagtailimages:edit_multiple",
        ],
        "test_images_of_other_collections_are_out_of_reach",
    ),
    **dict.fromkeys(
        [
            "wagtaildocs_chooser:choose",
            "wagtaildocs_chooser:choose_results",
            "wagtaildocs_chooser:chosen",
            "wagtaildocs_chooser:create",
            "wagtaildocs:index",
            "wagtaildocs:index_results",
            "wagtaildocs:add",
            "wagtaildocs:edit",
            "wagtaildocs:add_multiple",
            "wagtaildocs:edit_multiple",
        ],
        "test_documents_of_other_collections_are_out_of_reach",
    ),
    **dict.fromkeys(
        [
            "wagtailimages:create_multiple_from_uploaded_image",
            "wagtailimages:delete_upload_multiple",
            "wagtaildocs:create_multiple_from_uploaded_document",
            "wagtaildocs:delete_upload_multiple",
        ],
        "test_uploads_of_other_people_are_out_of_reach",
    ),
    **dict.fromkeys(
        [
            "memberships:index",
            "memberships:index_results",
            "memberships:add",
            "memberships:edit",
            "memberships:delete",
            "memberships:history",
            "memberships:history_results",
            "memberships:usage",
            "pupils:index",
            "pupils:index_results",
            "pupils:add",
            "pupils:edit",
            "pupils:delete",
            "pupils:history",
            "pupils:history_results",
            "pupils:usage",
        ],
        "test_members_and_pupils_of_other_schools_are_out_of_reach",
    ),
    **dict.fromkeys(
        [
            "memberships:add_to_class",
            "memberships:suggestions",
            "pupils:record_consent",
        ],
        "test_finding_people_and_recording_consents_stay_in_their_school",
    ),
    "pupils:consent_history": (
        "test_consent_histories_of_other_schools_are_out_of_reach"
    ),
    **dict.fromkeys(
        [
            "acknowledgement_reports",
            "acknowledgement_report",
            "acknowledgement_remind",
            "acknowledgement_export",
        ],
        "test_acknowledgement_reports_of_other_schools_are_out_of_reach",
    ),
    **dict.fromkeys(
        [
            "invitations_index",
            "invitations_send_all",
            "invitations_send_one",
            "invitations_print_sheets",
        ],
        "test_invitations_of_other_schools_are_out_of_reach",
    ),
    "departures_pupil_left": "test_pupils_of_other_schools_cannot_be_marked_as_left",
    "editor_guide": "test_editor_guide_is_the_same_for_everyone_and_names_nobody",
    **dict.fromkeys(
        [
            "onde_index",
            "onde_upload",
            "onde_preview",
            "onde_apply",
            "onde_progress",
            "onde_status",
        ],
        "test_onde_imports_of_other_schools_are_out_of_reach",
    ),
}


class Foreign:
    """Objects of Les Coquelicots, the other school, and what they show."""

    def __init__(self):
        school = SchoolPage.objects.get(slug="les-coquelicots")
        self.page = NewsPage.objects.get(slug="atelier-peinture-avec-les-parents")
        self.school = school
        images = get_image_model().objects.filter(
            collection__name__in=[school.title, "PS-MS de Mme Chevalier"]
        )
        self.image = (
            images.first()
            or get_image_model()
            .objects.exclude(collection__name__icontains="Jules")
            .first()
        )
        collection = ScopeGroup.objects.get(page=school, role="directors").collection
        self.document = DocumentFactory(
            title="Compte rendu du conseil d'école des Coquelicots",
            collection=collection,
        )
        self.pupil = Pupil.objects.get(first_name="Tom")
        self.membership = Membership.objects.get(user__username="famille.petit")
        self.revision = self.page.latest_revision


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


class AllowlistTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.foreign = Foreign()

    def assert_nothing_foreign(self, response, person, context=""):
        html = body(response)
        for secret in secrets_for(person):
            self.assertNotIn(secret, html, context)


def refused(response):
    """A 404, a 403, or Wagtail's "no permission" redirect to the dashboard."""
    return response.status_code in {403, 404} or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


class AdminWalkTests(AllowlistTestCase):
    def assert_refused(self, response, url):
        if response.status_code == 405:
            response = self.client.post(url)
        self.assertTrue(refused(response), response.status_code)

    """Every admin pattern, as a teacher and as a director of Jules-Ferry."""

    def test_every_allowed_view_has_a_scope_test(self):
        module = sys.modules[__name__]
        for name in STAFF_ADMIN_VIEWS:
            with self.subTest(name=name):
                self.assertIn(name, SCOPE_TESTS)
                test_name = SCOPE_TESTS[name]
                self.assertTrue(
                    any(
                        hasattr(value, test_name)
                        for value in vars(module).values()
                        if isinstance(value, type)
                    ),
                    test_name,
                )
        self.assertEqual(set(SCOPE_TESTS), set(STAFF_ADMIN_VIEWS))

    def test_every_admin_pattern_is_allowed_and_scoped_or_a_404(self):
        patterns = list(admin_patterns())
        self.assertGreater(len(patterns), 200)
        names = {name for _route, name in patterns}
        for name in STAFF_ADMIN_VIEWS:
            self.assertIn(name, names, "an allowed view that no longer exists")
        for username in ("ens.moreau", "dir.lefevre"):
            person = user(username)
            self.client.force_login(person)
            secrets = secrets_for(person)
            for route, name in patterns:
                path, names_foreign = url_for(route, name, self.foreign)
                query = f"?id={self.foreign.page.pk}&q=atelier&term=a"
                with self.subTest(user=username, route=route, path=path):
                    self.assertEqual(
                        resolve(path).url_name, name and name.split(":")[-1]
                    )
                    response = self.client.get(path + query)
                    if name == "wagtailadmin_logout":
                        self.client.force_login(person)
                    if name not in STAFF_ADMIN_VIEWS:
                        self.assertEqual(response.status_code, 404)
                        self.assertEqual(
                            self.client.post(path + query).status_code, 404
                        )
                        continue
                    if names_foreign or name == "wagtail_bulk_action":
                        self.assert_refused(response, path + query)
                    html = body(response)
                    for secret in secrets:
                        self.assertNotIn(secret, html)


class StaffScopeTests(AllowlistTestCase):
    """What each allowed view shows stays within the person's reach."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.garnier = ClassroomPage.objects.get(slug="ce1-garnier")
        # Reserved to the directors, in a class that Mme Roux teaches.
        cls.reserved = NewsPage.objects.get(slug="equipe-educative-pour-un-eleve")
        cls.poems = NewsPage.objects.get(slug="les-poesies-de-lhiver")

    def as_user(self, username):
        person = user(username)
        self.client.force_login(person)
        return person

    def test_views_without_objects_name_nothing_out_of_reach(self):
        for username in ("ens.moreau", "dir.lefevre"):
            person = self.as_user(username)
            for url in (
                "/admin/",
                "/admin/account/",
                "/admin/jsi18n/",
                "/admin/localize/jsi18n/",
                "/admin/sprite/",
                "/admin/choose-external-link/",
                "/admin/choose-email-link/",
                "/admin/choose-phone-link/",
                "/admin/choose-anchor-link/",
                "/admin/block-preview/?id=news.NewsPage.body.paragraph",
            ):
                with self.subTest(user=username, url=url):
                    response = self.client.get(url)
                    self.assertIn(response.status_code, {200, 400, 404})
                    self.assert_nothing_foreign(response, person)
            # The site's counts are the team's: not on a teacher's dashboard.
            dashboard = self.client.get("/admin/")
            self.assertEqual(dashboard.status_code, 200)
            self.assertNotContains(dashboard, "w-summary__list")
            response = self.client.patch(
                "/admin/dismissibles/", "{}", content_type="application/json"
            )
            self.assertEqual(response.status_code, 200)
        self.client.get("/admin/logout/")
        self.assertEqual(self.client.get("/admin/account/").status_code, 302)

    def test_explorer_search_and_page_menu_list_visible_pages_only(self):
        self.as_user("ens.roux")
        listing = self.client.get(f"/admin/pages/{self.garnier.pk}/")
        self.assertContains(listing, escape(self.poems.title))
        self.assertNotContains(listing, self.reserved.title)
        results = self.client.get(f"/admin/pages/{self.garnier.pk}/results/")
        self.assertNotContains(results, self.reserved.title)
        api = self.client.get(
            f"/admin/api/main/pages/?child_of={self.garnier.pk}&for_explorer=1"
        )
        listed = [item["id"] for item in api.json()["items"]]
        self.assertIn(self.poems.pk, listed)
        self.assertNotContains(api, self.reserved.title)
        api = self.client.get(f"/admin/api/main/pages/?descendant_of={self.garnier.pk}")
        self.assertNotContains(api, self.reserved.title)
        # The API's search answers, within the pages they may see.
        api = self.client.get("/admin/api/main/pages/?search=%C3%A9quipe")
        self.assertEqual(api.status_code, 200)
        self.assertNotContains(api, self.reserved.title)
        api = self.client.get("/admin/api/main/pages/?search=po%C3%A9sies")
        self.assertIn(self.poems.pk, [item["id"] for item in api.json()["items"]])
        self.assertEqual(
            self.client.get(f"/admin/api/main/pages/{self.reserved.pk}/").status_code,
            404,
        )
        for url in (
            "/admin/pages/search/?q=%C3%A9quipe",
            "/admin/pages/search/results/?q=%C3%A9quipe",
        ):
            with self.subTest(url=url):
                self.assertNotContains(self.client.get(url), self.reserved.title)
        self.assertEqual(
            self.client.get(f"/admin/pages/{self.reserved.pk}/").status_code, 404
        )
        # Their director sees it.
        self.as_user("dir.lefevre")
        listing = self.client.get(f"/admin/pages/{self.garnier.pk}/")
        self.assertContains(listing, self.reserved.title)

    def test_page_views_refuse_pages_out_of_sight(self):
        """Directors-only news is the directors' in the admin too (point 3)."""
        teacher = user("ens.roux")
        # A draft with a new title: not for the teachers either.
        revision = self.reserved.save_revision(user=user("dir.lefevre"))
        self.reserved.title = "Équipe éducative : brouillon confidentiel"
        draft = self.reserved.save_revision(user=user("dir.lefevre"))
        self.reserved.refresh_from_db()
        self.assertFalse(self.reserved.permissions_for_user(teacher).can_edit())
        self.assertFalse(
            self.reserved.permissions_for_user(teacher).can_view_revisions()
        )
        self.assertTrue(self.poems.permissions_for_user(teacher).can_edit())
        self.as_user("ens.roux")
        for page, secret in (
            (self.reserved, "Équipe éducative"),
            (self.foreign.page, self.foreign.page.title),
        ):
            pk = page.pk
            for url in (
                f"/admin/pages/{pk}/edit/",
                f"/admin/pages/{pk}/edit/preview/",
                f"/admin/pages/{pk}/view_draft/",
                f"/admin/pages/{pk}/revisions/",
                f"/admin/pages/{pk}/revisions/{draft.pk}/view/",
                f"/admin/pages/{pk}/revisions/{revision.pk}/revert/",
                f"/admin/pages/{pk}/revisions/compare/earliest...latest/",
                f"/admin/pages/{pk}/history/",
                f"/admin/pages/{pk}/history/results/",
                f"/admin/pages/{pk}/workflow_history/",
                f"/admin/pages/{pk}/delete/",
                f"/admin/pages/{pk}/unpublish/",
                f"/admin/pages/{pk}/move/",
                f"/admin/pages/{pk}/copy/",
                f"/admin/pages/{pk}/lock/",
                f"/admin/pages/{pk}/add_subpage/",
                f"/admin/pages/add/news/newspage/{pk}/",
                f"/admin/pages/{self.poems.pk}/move/{pk}/confirm/",
            ):
                with self.subTest(url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn(secret, body(response))
                    self.assertNotIn("brouillon confidentiel", body(response))
            response = self.client.post(f"/admin/pages/{pk}/edit/preview/", {})
            self.assertEqual(response.status_code, 404)
        # A revision or a validation of another page, named with their own.
        for url in (
            f"/admin/pages/{self.poems.pk}/revisions/{draft.pk}/view/",
            f"/admin/pages/{self.poems.pk}/revisions/{draft.pk}/revert/",
            f"/admin/pages/{self.poems.pk}/workflow_history/detail/999999/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("brouillon confidentiel", body(response))
        # Their own class's news: open.
        self.assertEqual(
            self.client.get(f"/admin/pages/{self.poems.pk}/edit/").status_code, 200
        )
        # The director of the school edits it, draft included.
        self.as_user("dir.lefevre")
        response = self.client.get(f"/admin/pages/{self.reserved.pk}/edit/")
        self.assertContains(response, "brouillon confidentiel")

    def test_editing_sessions_are_their_own(self):
        director = user("dir.lefevre")
        from django.contrib.contenttypes.models import ContentType

        session = EditingSession.objects.create(
            user=director,
            last_seen_at=timezone.now(),
            content_type=ContentType.objects.get_for_model(Page),
            object_id=str(self.reserved.pk),
        )
        self.as_user("ens.roux")
        ping = f"/admin/editing-sessions/ping/wagtailcore/page/{self.reserved.pk}/1/"
        response = self.client.post(ping)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Lefèvre", body(response))
        self.client.post(f"/admin/editing-sessions/release/{session.pk}/")
        self.assertTrue(EditingSession.objects.filter(pk=session.pk).exists())
        own = self.client.post(
            f"/admin/editing-sessions/ping/wagtailcore/page/{self.poems.pk}/0/"
        )
        self.assertEqual(own.status_code, 200)

    def test_bulk_actions_name_only_what_is_in_reach(self):
        self.as_user("ens.roux")
        for query in (
            f"id={self.reserved.pk}",
            f"id={self.poems.pk}&id={self.reserved.pk}",
            f"id={self.foreign.page.pk}",
            f"id=all&childOf={self.garnier.pk}",
            "id=all",
        ):
            with self.subTest(query=query):
                response = self.client.get(
                    f"/admin/bulk/wagtailcore/page/delete/?{query}"
                )
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Équipe éducative", body(response))
        response = self.client.get(
            f"/admin/bulk/wagtailcore/page/unpublish/?id={self.poems.pk}"
        )
        self.assertContains(response, escape(self.poems.title))
        self.as_user("dir.lefevre")
        response = self.client.get(
            f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={self.garnier.pk}"
        )
        self.assertContains(response, "Équipe éducative")
        image = self.foreign.image.pk
        for action in ("add_tags", "add_to_collection", "delete"):
            with self.subTest(action=action):
                response = self.client.get(
                    f"/admin/bulk/wagtailimages/image/{action}/?id={image}"
                )
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(self.foreign.image.title, body(response))

    def test_page_chooser_offers_visible_pages_only(self):
        self.as_user("ens.roux")
        browse = self.client.get(f"/admin/choose-page/{self.garnier.pk}/")
        self.assertIn(escape(self.poems.title), browse.json()["html"])
        self.assertNotIn(escape(self.reserved.title), browse.json()["html"])
        search = self.client.get("/admin/choose-page/search/?q=%C3%A9quipe")
        self.assertNotContains(search, self.reserved.title)
        self.assertEqual(
            self.client.get(f"/admin/choose-page/{self.reserved.pk}/").status_code, 404
        )
        root = self.client.get("/admin/choose-page/")
        self.assertEqual(root.status_code, 200)

    def test_tag_autocomplete_suggests_only_tags_of_what_they_see(self):
        self.as_user("ens.moreau")
        for url in ("/admin/tag-autocomplete/", "/admin/tag-autocomplete/taggit/tag/"):
            with self.subTest(url=url):
                # "arts plastiques": Les Coquelicots' news only; "direction":
                # the directors' news only.
                self.assertNotIn(
                    "arts plastiques", self.client.get(url + "?term=a").json()
                )
                self.assertEqual(self.client.get(url + "?term=direc").json(), [])
                self.assertIn("sortie", self.client.get(url + "?term=sor").json())
        self.as_user("dir.lefevre")
        self.assertEqual(
            self.client.get("/admin/tag-autocomplete/?term=direc").json(), ["direction"]
        )
        self.assertEqual(
            self.client.get("/admin/tag-autocomplete/auth/user/?term=a").status_code,
            404,
        )

    def test_images_of_other_collections_are_out_of_reach(self):
        image = self.foreign.image
        person = self.as_user("dir.lefevre")
        for url in (
            f"/admin/images/chooser/chosen/{image.pk}/",
            f"/admin/images/{image.pk}/",
            f"/admin/images/{image.pk}/preview/original/",
            f"/admin/images/multiple/{image.pk}/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(image.title, body(response))
        for url in (
            "/admin/images/",
            "/admin/images/results/",
            "/admin/images/chooser/",
            "/admin/images/chooser/results/?q=a",
            "/admin/images/add/",
            "/admin/images/multiple/add/",
            "/admin/images/chooser/create/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assert_nothing_foreign(response, person)
        own = media_in_reach(get_image_model(), person).first()
        self.assertContains(self.client.get("/admin/images/"), escape(own.title))

    def test_documents_of_other_collections_are_out_of_reach(self):
        document = self.foreign.document
        person = self.as_user("dir.lefevre")
        for url in (
            f"/admin/documents/chooser/chosen/{document.pk}/",
            f"/admin/documents/edit/{document.pk}/",
            f"/admin/documents/multiple/{document.pk}/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(document.title, body(response))
        for url in (
            "/admin/documents/",
            "/admin/documents/results/",
            "/admin/documents/chooser/",
            "/admin/documents/chooser/results/?q=compte",
            "/admin/documents/add/",
            "/admin/documents/multiple/add/",
            "/admin/documents/chooser/create/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assert_nothing_foreign(response, person)

    def test_uploads_of_other_people_are_out_of_reach(self):
        from django.core.files.base import ContentFile

        upload = UploadedFile.objects.create(
            file=ContentFile(b"GIF89a", name="photo.gif"),
            for_content_type=None,
            uploaded_by_user=user("dir.chevalier"),
        )
        self.as_user("dir.lefevre")
        for url in (
            f"/admin/images/multiple/create_from_uploaded_image/{upload.pk}/",
            f"/admin/images/multiple/delete_upload/{upload.pk}/",
            f"/admin/documents/multiple/create_from_uploaded_document/{upload.pk}/",
            f"/admin/documents/multiple/delete_upload/{upload.pk}/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url).status_code, 404)
        self.assertTrue(UploadedFile.objects.filter(pk=upload.pk).exists())

    def test_members_and_pupils_of_other_schools_are_out_of_reach(self):
        person = self.as_user("dir.lefevre")
        for url in (
            "/admin/pupils/",
            "/admin/pupils/results/?q=o",
            "/admin/pupils/new/",
            "/admin/memberships/",
            "/admin/memberships/results/?q=famille",
            "/admin/memberships/new/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assert_nothing_foreign(response, person)
        self.assertContains(self.client.get("/admin/pupils/"), "Léa M.")
        for kind, pk in (
            ("pupils", self.foreign.pupil.pk),
            ("memberships", self.foreign.membership.pk),
        ):
            for view in ("edit", "delete", "history", "history-results", "usage"):
                url = f"/admin/{kind}/{view}/{pk}/"
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
        # Teachers manage no one.
        self.as_user("ens.moreau")
        response = self.client.get("/admin/pupils/")
        self.assertTrue(refused(response))

    def test_finding_people_and_recording_consents_stay_in_their_school(self):
        person = self.as_user("dir.lefevre")
        other_class = ClassroomPage.objects.get(slug="ps-ms-chevalier")
        memberships = Membership.objects.count()
        # Suggestions: the people of their school only, whatever they type.
        for text in ("famille", "ent-demo", "a", "e", "Petit", "Chevalier"):
            with self.subTest(text=text):
                response = self.client.get(
                    "/admin/memberships/suggestions/", {"q": text}
                )
                self.assertEqual(response.status_code, 200)
                self.assert_nothing_foreign(response, person)
        # Adding: never to another school's class, never naming its people.
        for data in (
            {"person": "Petit", "classroom": other_class.pk, "role": "family"},
            {"person": "famille.leroy@ent-demo.fr", "classroom": other_class.pk},
        ):
            response = self.client.post("/admin/memberships/add-to-class/", data)
            self.assertEqual(response.status_code, 200)
            self.assert_nothing_foreign(response, person)
        self.assertEqual(Membership.objects.count(), memberships)
        # Consents: another school's pupil is a 404, and keeps its own.
        consents = self.foreign.pupil.image_consents.count()
        response = self.client.post(
            f"/admin/pupils/consent/{self.foreign.pupil.pk}/",
            {"medium": "ent", "given": "no"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.foreign.pupil.image_consents.count(), consents)
        # Teachers find, add and record nothing.
        self.as_user("ens.moreau")
        for response in (
            self.client.get("/admin/memberships/suggestions/", {"q": "Leroy"}),
            self.client.post(
                "/admin/pupils/consent/1/", {"medium": "ent", "given": "no"}
            ),
        ):
            self.assertTrue(refused(response))

    def test_pupils_of_other_schools_cannot_be_marked_as_left(self):
        self.as_user("dir.lefevre")
        url = f"/admin/departs/eleve/{self.foreign.pupil.pk}/"
        self.assertEqual(self.client.get(url).status_code, 404)
        response = self.client.post(url, {"reason": "Déménagement"})
        self.assertEqual(response.status_code, 404)
        self.foreign.pupil.refresh_from_db()
        self.assertIsNone(self.foreign.pupil.left_on)
        own = Pupil.objects.get(first_name="Léa")
        response = self.client.get(f"/admin/departs/eleve/{own.pk}/")
        self.assertContains(response, "Léa M.")
        # Teachers record no departure, not even in their own class.
        self.as_user("ens.moreau")
        response = self.client.post(
            f"/admin/departs/eleve/{own.pk}/", {"reason": "Déménagement"}
        )
        self.assertTrue(refused(response))
        own.refresh_from_db()
        self.assertIsNone(own.left_on)

    def test_consent_histories_of_other_schools_are_out_of_reach(self):
        person = self.as_user("dir.lefevre")
        own = Pupil.objects.get(first_name="Léa")
        response = self.client.get(f"/admin/pupils/consent/{own.pk}/history/")
        self.assertContains(response, "Léa M.")
        self.assert_nothing_foreign(response, person)
        foreign = f"/admin/pupils/consent/{self.foreign.pupil.pk}/history/"
        self.assertEqual(self.client.get(foreign).status_code, 404)
        for pk in (0, 10**12):
            url = f"/admin/pupils/consent/{pk}/history/"
            self.assertEqual(self.client.get(url).status_code, 404)
        # Teachers manage no pupil's consents.
        self.as_user("ens.moreau")
        response = self.client.get(f"/admin/pupils/consent/{own.pk}/history/")
        self.assertTrue(refused(response))

    def test_acknowledgement_reports_of_other_schools_are_out_of_reach(self):
        news = self.foreign.page
        news.acknowledgement_required = True
        news.save_revision().publish()
        person = self.as_user("dir.lefevre")
        listing = self.client.get("/admin/accuses-de-lecture/")
        self.assertEqual(listing.status_code, 200)
        self.assert_nothing_foreign(listing, person)
        for url in (
            f"/admin/accuses-de-lecture/{news.pk}/",
            f"/admin/accuses-de-lecture/{news.pk}/export.csv",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(news.title, body(response))
        self.assertEqual(
            self.client.post(
                f"/admin/accuses-de-lecture/{news.pk}/relance/"
            ).status_code,
            404,
        )

    def test_invitations_of_other_schools_are_out_of_reach(self):
        """The director lists, invites and prints for their school only;
        teachers reach none of it."""
        foreign_class = ClassroomPage.objects.child_of(self.foreign.school).first()
        family = self.foreign.membership.user
        person = self.as_user("dir.lefevre")
        listing = self.client.get("/admin/invitations/")
        self.assertEqual(listing.status_code, 200)
        self.assert_nothing_foreign(listing, person)
        self.assertNotContains(listing, family.username)
        for url in (
            f"/admin/invitations/?classe={foreign_class.pk}",
            f"/admin/invitations/?classe={self.foreign.page.pk}",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        for url, data in (
            (f"/admin/invitations/{family.pk}/renvoyer/", {}),
            (f"/admin/invitations/classe/{foreign_class.pk}/fiches/", {}),
            ("/admin/invitations/envoyer/", {"classe": foreign_class.pk}),
        ):
            with self.subTest(url=url):
                response = self.client.post(url, data)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(family.username, body(response))
        self.as_user("ens.moreau")
        self.assertEqual(self.client.get("/admin/invitations/").status_code, 404)
        self.assertEqual(
            self.client.post("/admin/invitations/envoyer/").status_code, 404
        )

    def test_onde_imports_of_other_schools_are_out_of_reach(self):
        """Directors import into their school only; teachers not at all
        (more in tests/test_onboarding_onde.py)."""
        from onboarding.models import OndeImport

        foreign = OndeImport.objects.create(
            school=self.foreign.school,
            file_name="CSVExtraction.csv",
            summary={"pupils": [{"pupil": "Secret C.", "lines": [2]}]},
        )
        self.as_user("ens.moreau")
        self.assertEqual(self.client.get("/admin/onde/").status_code, 404)
        person = self.as_user("dir.lefevre")
        index = self.client.get("/admin/onde/")
        self.assertEqual(index.status_code, 200)
        self.assert_nothing_foreign(index, person)
        self.assertNotContains(index, self.foreign.school.title)
        urls = [
            f"/admin/onde/ecole/{self.foreign.school.pk}/",
            f"/admin/onde/{foreign.pk}/",
            f"/admin/onde/{foreign.pk}/progression/",
            f"/admin/onde/{foreign.pk}/etat.json",
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Secret C.", body(response))
        response = self.client.post(f"/admin/onde/{foreign.pk}/appliquer/")
        self.assertEqual(response.status_code, 404)
        foreign.refresh_from_db()
        self.assertEqual(foreign.status, OndeImport.Status.PREVIEWED)

    def test_editor_guide_is_the_same_for_everyone_and_names_nobody(self):
        """The guide is one Markdown file of the repository: what a teacher
        reads there is what a director and the team read, and it names no
        page, person or object of the demo."""
        pages = {}
        for username in ("ens.moreau", "dir.lefevre", "ien.dubois"):
            person = self.as_user(username)
            response = self.client.get("/admin/guide/")
            self.assertEqual(response.status_code, 200)
            self.assert_nothing_foreign(response, person)
            pages[username] = response.context["guide"]
        self.assertEqual(len(set(pages.values())), 1)
        self.assertIn("Guide de l'éditeur", body(response))
        self.client.get("/admin/logout/")
        self.assertEqual(self.client.get("/admin/guide/").status_code, 302)


class WholeAdminTests(TestCase):
    """The district team keeps Wagtail's whole admin; families none of it."""

    def test_the_team_reaches_views_closed_to_staff(self):
        self.client.force_login(user("admin"))
        for url in (
            "/admin/users/",
            "/admin/groups/",
            "/admin/reports/site-history/",
            "/admin/collections/",
            "/admin/workflows/list/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        self.client.force_login(user("dir.lefevre"))
        for url in ("/admin/users/", "/admin/reports/site-history/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_families_and_visitors_get_the_login_page(self):
        self.assertEqual(self.client.get("/admin/")["Location"][:13], "/admin/login/")
        self.client.force_login(user("famille.martin"))
        self.assertIn("/admin/login/", self.client.get("/admin/")["Location"])
        self.assertEqual(self.client.get("/admin/users/").status_code, 404)
