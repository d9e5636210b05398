"""The resource library (DESIGN §6): proposing, moderating, finding."""

import re
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.documents import get_document_model
from wagtail.models import TaskState
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data

import pytest

from accounts.models import ScopeGroup
from resources.models import Licence, ResourceIndexPage, ResourcePage, Subject
from schools.models import Level
from tests.conftest import user
from tests.factories import DocumentFactory, ResourcePageFactory
from visibility.audience import Audience, visible_pages

GEOMETRY = "Géométrie au cycle 3 : reproduire des figures"
SOLIDS = "Les solides géométriques en manipulation"
STAFF_GUIDE = "Évaluations repères CP : guide de passation"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="French stemming comes from PostgreSQL's full-text search",
)


def library():
    return ResourceIndexPage.objects.get(slug="ressources")


def titles(response):
    """The titles of the resources listed on a library page, in order."""
    return [resource.title for resource in response.context["library"].page.object_list]


def count_shown(response):
    return response.context["library"].page.paginator.count


def proposal_data(**overrides):
    data = {
        "title": "Rituels de numération en CE1",
        "summary": "Un rituel quotidien de dix minutes sur les nombres jusqu'à 1000.",
        "document": "",
        "link": "https://numeration.circo-demo.fr/ce1",
        "video_url": "",
        "subject": Subject.objects.get(slug="mathematiques").pk,
        "tags": "numération, rituel",
        "licence": Licence.CC_BY,
        "author": "Camille Moreau, école Jules-Ferry",
        "source": "",
        "audience": Audience.STAFF,
        "date": "2026-11-20",
        "comments": {"count": 0},
    }
    data.update(overrides)
    data = nested_form_data(data)
    data["levels"] = [Level.objects.get(code="CE1").pk]
    return data


class ProposalTests(WagtailPageTestCase):
    """A teacher proposes, the district team moderates."""

    def setUp(self):
        self.client.force_login(user("ens.moreau"))
        self.add_url = f"/admin/pages/add/resources/resourcepage/{library().pk}/"

    def test_every_teacher_and_director_may_propose_but_not_publish(self):
        for username in ("ens.moreau", "ens.roux", "dir.lefevre"):
            permissions = library().permissions_for_user(user(username))
            self.assertTrue(permissions.can_add_subpage(), username)
            self.assertFalse(permissions.can_publish_subpage(), username)
        for username in ("famille.martin", "sans.role"):
            self.assertFalse(
                library().permissions_for_user(user(username)).can_add_subpage()
            )

    def test_the_form_holds_what_a_teacher_needs_in_french(self):
        response = self.client.get(self.add_url)
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        # No SEO or scheduling tabs.
        self.assertNotIn("Promotion", content)
        self.assertNotIn("search_description", content)
        self.assertNotIn("go_live_at", content)
        # Licence and author: why, in one sentence, and what each licence allows.
        self.assertIn("Sans auteur ni licence", content)
        self.assertIn("creativecommons.org/licenses/by-sa/4.0/deed.fr", content)
        # Who decides, said at the top: the district team. The audience, the
        # date and the choice among the library's files are the team's.
        self.assertIn("L’équipe de circonscription décide", content)
        fields = response.context["form"].fields
        for name in ("audience", "date", "document"):
            self.assertNotIn(name, fields)
        # The file is chosen in the form itself, not through a chooser.
        self.assertIn('type="file"', content)
        self.assertNotIn("Choisir un document", content)
        # The author is the teacher, until they say otherwise.
        self.assertEqual(response.context["form"].initial["author"], "Isabelle Moreau")
        # One main button that says what happens.
        menu = response.context["action_menu"]
        self.assertEqual(menu.default_item.name, "action-submit")
        self.assertIn("Envoyer pour validation", content)

    def test_the_team_keeps_its_fields_and_its_buttons(self):
        self.client.force_login(user("cpc.marchand"))
        response = self.client.get(self.add_url)
        fields = response.context["form"].fields
        for name in ("audience", "date", "document", "file"):
            self.assertIn(name, fields)
        self.assertFalse(fields["audience"].disabled)
        self.assertNotIn("Envoyer pour validation", response.content.decode())

    def test_a_proposal_goes_to_the_team_and_the_teacher_sees_its_state(self):
        response = self.client.post(
            self.add_url, proposal_data(**{"action-submit": "1"})
        )
        self.assertEqual(response.status_code, 302)
        proposal = ResourcePage.objects.get(title="Rituels de numération en CE1")
        self.assertFalse(proposal.live)
        self.assertEqual(proposal.owner, user("ens.moreau"))
        state = proposal.current_workflow_state
        self.assertEqual(state.status, "in_progress")
        task = state.current_task_state.task.specific
        self.assertEqual(
            set(task.groups.values_list("name", flat=True)),
            {"Équipe de circonscription"},
        )
        # The teacher's dashboard lists it with its state.
        dashboard = self.client.get("/admin/").content.decode()
        self.assertIn("Rituels de numération en CE1", dashboard)
        self.assertIn("Modération par l’équipe de circonscription", dashboard)
        # Neither visitors nor other teachers see a proposal.
        self.client.logout()
        self.assertNotContains(
            self.client.get("/ressources/?q=numeration"), "Rituels de numération"
        )

    def test_the_team_publishes_or_sends_back_with_a_comment(self):
        self.client.post(self.add_url, proposal_data(**{"action-submit": "1"}))
        first = ResourcePage.objects.get(title="Rituels de numération en CE1")
        self.client.post(
            self.add_url,
            proposal_data(
                title="Dictées flash au CE1",
                link="https://dictees.circo-demo.fr/",
                **{"action-submit": "1"},
            ),
        )
        second = ResourcePage.objects.get(title="Dictées flash au CE1")

        self.client.force_login(user("cpc.marchand"))
        for page, action, comment in (
            (first, "approve", ""),
            (second, "reject", "Merci de préciser la source des textes."),
        ):
            task_state = page.current_workflow_state.current_task_state
            response = self.client.post(
                f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/",
                {"comment": comment},
            )
            self.assertIn(response.status_code, (200, 302))

        first.refresh_from_db()
        second.refresh_from_db()
        self.assertTrue(first.live)
        self.assertFalse(second.live)
        rejected = TaskState.objects.filter(
            workflow_state__base_content_type__isnull=False,
            workflow_state__object_id=str(second.pk),
        ).latest("pk")
        self.assertEqual(rejected.status, TaskState.STATUS_REJECTED)
        self.assertEqual(rejected.comment, "Merci de préciser la source des textes.")
        # The proposing teacher reads the comment on their page.
        self.client.force_login(user("ens.moreau"))
        edit = self.client.get(f"/admin/pages/{second.pk}/edit/").content.decode()
        self.assertIn("Merci de préciser la source des textes.", edit)

    def test_a_teacher_cannot_publish_nor_widen_the_audience(self):
        self.client.post(
            self.add_url,
            proposal_data(audience=Audience.PUBLIC, **{"action-publish": "1"}),
        )
        proposal = ResourcePage.objects.get(title="Rituels de numération en CE1")
        self.assertFalse(proposal.live)
        self.assertEqual(proposal.audience, Audience.STAFF)

    def test_a_teacher_edits_their_own_proposals_only(self):
        self.client.post(self.add_url, proposal_data())
        proposal = ResourcePage.objects.get(title="Rituels de numération en CE1")
        self.assertTrue(proposal.permissions_for_user(user("ens.moreau")).can_edit())
        self.assertFalse(proposal.permissions_for_user(user("ens.roux")).can_edit())
        published = ResourcePage.objects.get(title=GEOMETRY)
        self.assertFalse(published.permissions_for_user(user("ens.moreau")).can_edit())

    def test_families_cannot_open_the_form(self):
        self.client.force_login(user("famille.martin"))
        response = self.client.get(self.add_url)
        self.assertNotEqual(response.status_code, 200)


class ValidationTests(TestCase):
    """Bad input gets a French message and changes nothing."""

    def setUp(self):
        self.client.force_login(user("ens.moreau"))
        self.add_url = f"/admin/pages/add/resources/resourcepage/{library().pk}/"
        self.before = ResourcePage.objects.count()

    def refused(self, data, field=None):
        response = self.client.post(self.add_url, data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(ResourcePage.objects.count(), self.before)
        form = response.context["form"]
        return form.errors[field] if field else form.non_field_errors()

    def test_licence_and_author_are_mandatory(self):
        data = proposal_data(licence="", author="", **{"action-submit": "1"})
        self.assertEqual(self.refused(data, "licence"), ["Champ requis."])
        self.assertEqual(self.refused(data, "author"), ["Champ requis."])

    def test_a_proposal_needs_the_resource_itself_and_only_one(self):
        errors = self.refused(proposal_data(link="", **{"action-submit": "1"}))
        self.assertIn("Indiquez la ressource elle-même", " ".join(errors))
        errors = self.refused(proposal_data(video_url="https://vimeo.com/76979871"))
        self.assertIn("une seule des trois", " ".join(errors))

    def test_a_video_must_be_embeddable(self):
        errors = self.refused(
            proposal_data(link="", video_url="https://exemple.fr/video.mp4"),
            "video_url",
        )
        self.assertIn("ne peut pas être intégrée", errors[0])

    def test_all_rights_reserved_can_never_be_public(self):
        self.client.force_login(user("cpc.marchand"))
        errors = self.refused(
            proposal_data(
                licence=Licence.ALL_RIGHTS_RESERVED,
                audience=Audience.PUBLIC,
                **{"action-publish": "1"},
            ),
            "audience",
        )
        self.assertIn("tous droits réservés", errors[0])
        # Whatever the way in: the model refuses it too.
        with self.assertRaises(ValidationError):
            ResourcePageFactory(
                parent=library(),
                title="Manuel numérisé",
                licence=Licence.ALL_RIGHTS_RESERVED,
                audience=Audience.PUBLIC,
            )
        published = ResourcePage.objects.get(title=GEOMETRY)
        published.licence = Licence.ALL_RIGHTS_RESERVED
        with self.assertRaises(ValidationError):
            published.save_revision().publish()

    def test_a_teacher_cannot_name_a_file_of_another_collection(self):
        school_collection = ScopeGroup.objects.get(
            page__slug="jules-ferry", role=ScopeGroup.Role.DIRECTORS
        ).collection
        foreign = DocumentFactory(
            title="Compte rendu du conseil d'école", collection=school_collection
        )
        self.client.post(
            self.add_url,
            proposal_data(link="", document=foreign.pk, **{"action-submit": "1"}),
        )
        # The form has no such field for a teacher: nothing refers to it.
        self.assertFalse(ResourcePage.objects.filter(document=foreign).exists())

    def upload(self, name, content, **overrides):
        data = proposal_data(**{"link": "", "action-submit": "1", **overrides})
        data = {key: value for key, value in data.items() if value is not None}
        data["file"] = SimpleUploadedFile(name, content)
        return self.client.post(self.add_url, data)

    def test_a_hostile_file_in_the_form_is_refused_and_nothing_is_kept(self):
        documents = get_document_model().objects.count()
        response = self.upload("fiche.pdf", b"<html><script>alert(1)</script></html>")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["file"])
        self.assertEqual(ResourcePage.objects.count(), self.before)
        self.assertEqual(get_document_model().objects.count(), documents)

    def test_a_file_and_a_link_are_one_too_many(self):
        worksheet = DocumentFactory.build().file.read()
        documents = get_document_model().objects.count()
        response = self.upload(
            "fiche.pdf", worksheet, link="https://numeration.circo-demo.fr/ce1"
        )
        self.assertEqual(response.status_code, 200)
        errors = " ".join(response.context["form"].non_field_errors())
        self.assertIn("une seule des trois", errors)
        self.assertEqual(ResourcePage.objects.count(), self.before)
        self.assertEqual(get_document_model().objects.count(), documents)

    def test_a_hostile_file_is_refused_in_the_library_collection(self):
        collection = ScopeGroup.objects.get(
            page=library(), role=ScopeGroup.Role.LIBRARY
        ).collection
        before = get_document_model().objects.count()
        response = self.client.post(
            "/admin/documents/add/",
            {
                "title": "Fiche de lecture",
                "file": SimpleUploadedFile(
                    "fiche.pdf", b"<html><script>alert(1)</script></html>"
                ),
                "collection": collection.pk,
                "tags": "",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(get_document_model().objects.count(), before)
        self.assertTrue(response.context["form"].errors["file"])

    def test_a_teacher_uploads_a_worksheet_in_the_form(self):
        collection = ScopeGroup.objects.get(
            page=library(), role=ScopeGroup.Role.LIBRARY
        ).collection
        worksheet = DocumentFactory.build().file.read()
        response = self.upload("fiche.pdf", worksheet)
        self.assertEqual(response.status_code, 302)
        proposal = ResourcePage.objects.get(title="Rituels de numération en CE1")
        self.assertEqual(proposal.kind, "document")
        self.assertEqual(proposal.document.title, "Rituels de numération en CE1")
        self.assertEqual(proposal.document.collection, collection)
        self.assertEqual(proposal.document.uploaded_by_user, user("ens.moreau"))
        self.assertEqual(proposal.current_workflow_state.status, "in_progress")

    def test_a_teacher_replaces_the_file_of_their_draft(self):
        first = DocumentFactory.build(title="Première version").file.read()
        self.upload("fiche.pdf", first, **{"action-submit": None})
        draft = ResourcePage.objects.get(title="Rituels de numération en CE1")
        old = draft.document
        edit_url = f"/admin/pages/{draft.pk}/edit/"
        self.assertContains(
            self.client.get(edit_url), "Le fichier actuel est « Rituels de numération"
        )
        data = proposal_data(link="", **{"action-submit": "1"})
        data["file"] = SimpleUploadedFile(
            "fiche-v2.pdf", DocumentFactory.build(title="Seconde").file.read()
        )
        self.assertEqual(self.client.post(edit_url, data).status_code, 302)
        draft.refresh_from_db()
        self.assertNotEqual(draft.document_id, old.pk)
        self.assertEqual(
            draft.get_latest_revision_as_object().document_id, draft.document_id
        )

    def test_the_team_gives_one_file_not_two(self):
        self.client.force_login(user("cpc.marchand"))
        chosen = DocumentFactory(title="Fiche déjà dans la bibliothèque")
        response = self.upload(
            "fiche.pdf", DocumentFactory.build().file.read(), document=chosen.pk
        )
        self.assertEqual(response.status_code, 200)
        errors = " ".join(response.context["form"].non_field_errors())
        self.assertIn("une seule des trois", errors)
        self.assertEqual(ResourcePage.objects.count(), self.before)


class FindingTests(TestCase):
    """Facets, French search, sorting, shareable URLs, bad input."""

    def get(self, **params):
        return self.client.get("/ressources/?" + urlencode(params, doseq=True))

    def expected(self, user, **filters):
        resources = visible_pages(ResourcePage.objects.live(), user).filter(**filters)
        return set(resources.distinct().values_list("title", flat=True))

    def test_facets_combine_values_or_within_and_across(self):
        anonymous = AnonymousUser()
        response = self.get(cycle="3", matiere="mathematiques")
        self.assertEqual(
            set(titles(response)),
            self.expected(anonymous, levels__cycle=3, subject__slug="mathematiques"),
        )
        self.assertEqual(set(titles(response)), {GEOMETRY, SOLIDS})
        # A third facet narrows...
        self.assertEqual(
            titles(self.get(cycle="3", matiere="mathematiques", type="video")),
            [SOLIDS],
        )
        # ... two values of one facet widen.
        both = self.get(niveau=["GS", "CP"])
        self.assertEqual(
            set(titles(both)), self.expected(anonymous, levels__code__in=["GS", "CP"])
        )
        self.assertGreater(count_shown(both), count_shown(self.get(niveau="GS")))

    def test_each_value_counts_what_ticking_it_would_give(self):
        response = self.get(matiere="mathematiques")
        facets = {view.facet.param: view for view in response.context["library"].facets}
        for view in facets.values():
            for value in view.values:
                if value.count:
                    params = {"matiere": "mathematiques", view.facet.param: value.value}
                    if view.facet.param == "matiere":
                        params = {"matiere": value.value}
                    self.assertEqual(
                        count_shown(self.get(**params)),
                        value.count,
                        f"{view.facet.param}={value.value}",
                    )
        cycles = {value.value: value.count for value in facets["cycle"].values}
        self.assertEqual(cycles["3"], 2)
        self.assertEqual(cycles["1"], 0)

    def test_every_state_has_a_shareable_url(self):
        params = {"q": "géométrie", "cycle": "3", "tri": "titre"}
        response = self.get(**params)
        html = response.content.decode()
        self.assertIn('value="géométrie"', html)
        self.assertRegex(html, r'name="cycle" value="3"\s+checked')
        self.assertRegex(html, r'<option value="titre" selected>')
        # Removing one filter keeps the others.
        removals = {
            label: url
            for _facet, label, url in response.context["library"].active_filters
        }
        self.assertEqual(removals["Cycle 3"], "?q=g%C3%A9om%C3%A9trie&tri=titre")

    def test_accents_do_not_matter(self):
        for query in ("geometrie", "GÉOMÉTRIE", "Géométrie"):
            self.assertIn(GEOMETRY, titles(self.get(q=query)), query)

    @on_postgresql
    def test_french_words_find_their_family(self):
        found = titles(self.get(q="geometrie"))
        self.assertIn(SOLIDS, found)  # « géométriques »
        self.assertIn(GEOMETRY, titles(self.get(q="géométriques")))
        self.assertIn("Chanter en anglais au cycle 2", titles(self.get(q="chanson")))

    def test_sorting(self):
        listed = titles(self.get(tri="titre"))
        self.assertEqual(listed, sorted(listed, key=str.lower))
        newest = [
            page.date
            for page in self.get(tri="recent").context["library"].page.object_list
        ]
        self.assertEqual(newest, sorted(newest, reverse=True))

    def test_bad_input_gives_a_page_not_an_error(self):
        for params in (
            {"page": "abc"},
            {"page": "9999"},
            {"page": "-1"},
            {"cycle": "9", "niveau": "6E", "licence": "gpl", "type": "pdf"},
            {"tri": "'; DROP TABLE"},
            {"tri": "pertinence"},
            {"q": '"\x00'},
            {"q": "a" * 5000},
            {"etiquette": "x" * 500},
        ):
            response = self.get(**params)
            self.assertEqual(response.status_code, 200, params)
        # Unknown values are ignored rather than emptying the list.
        self.assertEqual(count_shown(self.get(cycle="9")), count_shown(self.get()))

    def test_tags_link_to_their_facet(self):
        page = self.client.get(ResourcePage.objects.get(title=SOLIDS).url)
        self.assertContains(page, "?etiquette=geometrie")
        listed = titles(self.get(etiquette="geometrie"))
        self.assertEqual(set(listed), {GEOMETRY, SOLIDS})

    def test_the_resource_page_tells_how_to_credit_and_what_is_related(self):
        response = self.client.get(ResourcePage.objects.get(title=GEOMETRY).url)
        self.assertContains(
            response,
            "« Géométrie au cycle 3 : reproduire des figures », Équipe de "
            "circonscription (mission mathématiques), licence CC BY-SA "
            "(https://creativecommons.org/licenses/by-sa/4.0/deed.fr)",
        )
        related = [page.title for page in response.context["related_resources"]]
        self.assertEqual(related, [SOLIDS])
        # Related resources go through the audience too: staff see theirs.
        self.client.force_login(user("ens.moreau"))
        response = self.client.get(ResourcePage.objects.get(title=GEOMETRY).url)
        related = [page.title for page in response.context["related_resources"]]
        self.assertIn("Calcul mental au CM : défis quotidiens", related)
        self.assertContains(response, "Télécharger")


class LibraryQueryCountTests(TestCase):
    """Facet counts and search cost a fixed number of queries, whatever the
    number of resources."""

    STATES = [
        {},
        {"q": "géométrie", "cycle": "3", "type": "document", "licence": "cc-by-sa"},
        {"niveau": ["CM1", "CM2"], "matiere": "mathematiques", "tri": "titre"},
    ]

    def queries(self, params):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/ressources/?" + urlencode(params, doseq=True))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def measure(self):
        counts = {}
        for username in (None, "ens.moreau"):
            if username:
                self.client.force_login(user(username))
            else:
                self.client.logout()
            for index, params in enumerate(self.STATES):
                self.queries(params)  # warm the site caches
                counts[(username, index)] = self.queries(params)
        return counts

    def test_same_queries_with_fifty_more_resources(self):
        before = self.measure()
        for number in range(50):
            ResourcePageFactory(
                parent=library(),
                title=f"Géométrie : fiche supplémentaire {number}",
                audience=Audience.PUBLIC if number % 2 else Audience.STAFF,
                levels=["CM1", "CM2"],
                tags=[f"outil {number}", "géométrie"],
            )
        self.assertEqual(self.measure(), before)


class LibraryAudienceTests(TestCase):
    """Staff resources are invisible to families and visitors on every
    channel: listing, counts, library search, site search, feed, sitemap,
    the page and its file."""

    @classmethod
    def setUpTestData(cls):
        cls.staff = ResourcePage.objects.get(title=STAFF_GUIDE)
        cls.public = ResourcePage.objects.get(title=GEOMETRY)

    def channels(self):
        return {
            "listing": self.client.get("/ressources/"),
            "library search": self.client.get("/ressources/?q=evaluations"),
            "site search": self.client.get("/recherche/?q=evaluations"),
            "Atom feed": self.client.get("/ressources/atom/"),
            "RSS feed": self.client.get("/ressources/rss/"),
            "sitemap": self.client.get("/sitemap.xml"),
        }

    def assert_closed(self):
        for channel, response in self.channels().items():
            self.assertEqual(response.status_code, 200, channel)
            self.assertNotContains(response, "passation", msg_prefix=channel)
            self.assertNotContains(response, self.staff.slug, msg_prefix=channel)
        page = self.client.get(self.staff.url)
        self.assertIn(page.status_code, (302, 403))
        self.assertNotContains(page, "passation", status_code=page.status_code)
        download = self.client.get(self.staff.document.url)
        self.assertIn(download.status_code, (302, 403))
        # Facet counts do not betray them either.
        listing = self.client.get("/ressources/")
        licences = {
            value.value: value.count
            for view in listing.context["library"].facets
            if view.facet.param == "licence"
            for value in view.values
        }
        self.assertEqual(licences["all-rights-reserved"], 0)

    def test_visitors(self):
        self.assert_closed()
        self.assertContains(self.client.get("/ressources/rss/"), self.public.title)
        self.assertContains(self.client.get("/ressources/atom/"), self.public.title)
        self.assertContains(self.client.get("/sitemap.xml"), self.public.slug)
        self.assertEqual(self.client.get(self.public.document.url).status_code, 200)

    def test_families(self):
        self.client.force_login(user("famille.martin"))
        self.assert_closed()

    def test_staff(self):
        for username in ("ens.moreau", "dir.chevalier", "ien.dubois"):
            self.client.force_login(user(username))
            listing = self.client.get("/ressources/")
            self.assertIn(STAFF_GUIDE, titles(listing), username)
            self.assertContains(self.client.get(self.staff.url), "passation")
            self.assertEqual(self.client.get(self.staff.document.url).status_code, 200)
            self.assertContains(
                self.client.get("/ressources/?q=evaluations"), "passation"
            )
            # The public feed stays public whoever reads it.
            for feed in ("/ressources/atom/", "/ressources/rss/"):
                self.assertNotContains(self.client.get(feed), "passation")


def test_the_demo_manifest_lists_the_library(tmp_path, db):
    import json

    from django.core.management import call_command

    path = tmp_path / "manifest.json"
    call_command("seed_demo", force=True, manifest=path, stdout=open("/dev/null", "w"))
    manifest = json.loads(path.read_text())
    resources = [page for page in manifest["pages"] if page["kind"] == "resource"]
    audiences = {page["audience"] for page in resources}
    assert audiences == {"public", "staff"}
    assert any(re.search("Géométrie au cycle 3", page["title"]) for page in resources)
    assert manifest["channels"]["library"] == "/ressources/?q={q}"


class ProposeLinkTests(TestCase):
    """« Proposer une ressource » on the public library: for staff only."""

    def link_shown(self):
        response = self.client.get("/ressources/")
        self.assertEqual(response.status_code, 200)
        add_url = f"/admin/pages/add/resources/resourcepage/{library().pk}/"
        shown = "Proposer une ressource" in response.content.decode()
        self.assertEqual(shown, add_url in response.content.decode())
        return shown

    def test_teachers_directors_and_the_team_see_it(self):
        for username in ("ens.moreau", "ens.roux", "dir.lefevre", "cpc.marchand"):
            self.client.force_login(user(username))
            self.assertTrue(self.link_shown(), username)

    def test_families_visitors_and_people_without_a_role_do_not(self):
        self.assertFalse(self.link_shown())
        for username in ("famille.martin", "famille.leroy", "sans.role"):
            self.client.force_login(user(username))
            self.assertFalse(self.link_shown(), username)

    def test_the_link_leads_straight_to_the_form(self):
        self.client.force_login(user("ens.garnier"))
        response = self.client.get(
            f"/admin/pages/add/resources/resourcepage/{library().pk}/"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Envoyer pour validation", response.content.decode())


class PhoneLayoutTests(TestCase):
    """Results before filters in the page; the filters apply at once with the
    library's script, and still with a button without it."""

    def test_results_come_before_filters_and_the_script_is_self_hosted(self):
        content = self.client.get("/ressources/").content.decode()
        self.assertLess(
            content.index('id="library-results"'), content.index('id="library-filters"')
        )
        self.assertIn('src="/static/js/library.js"', content)
        self.assertNotIn("<script>", content)
        # Without the script, a button applies the filters.
        self.assertRegex(
            content, r"<noscript><button[^>]*>Appliquer les filtres</button></noscript>"
        )
