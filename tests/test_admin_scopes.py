"""Editors touch exactly their part of the tree, in the Wagtail admin."""

from django.contrib.auth.models import Group
from django.test import TestCase

from wagtail.models import Collection, GroupPagePermission, WorkflowPage
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from accounts.models import Membership, ScopeGroup
from news.models import NewsPage
from schools.models import ClassroomPage, SchoolIndexPage, SchoolPage
from tests.conftest import user
from tests.factories import ClassroomPageFactory, ImageFactory, SchoolPageFactory
from visibility.audience import Audience


class DirectorAdminTests(TestCase):
    """Paul Lefèvre directs Jules-Ferry; Les Coquelicots is another school."""

    @classmethod
    def setUpTestData(cls):
        cls.own_school = SchoolPage.objects.get(slug="jules-ferry")
        cls.other_school = SchoolPage.objects.get(slug="les-coquelicots")
        cls.other_class = ClassroomPage.objects.get(slug="ps-ms-chevalier")
        cls.other_news = NewsPage.objects.get(slug="atelier-peinture-avec-les-parents")

    def setUp(self):
        self.client.force_login(user("dir.lefevre"))

    def test_explorer_opens_on_their_school_and_the_library_only(self):
        response = self.client.get("/admin/pages/", follow=True)
        listed = [page.title for page in response.context["pages"]]
        self.assertEqual(listed, ["Écoles", "Ressources"])
        schools = self.client.get(f"/admin/pages/{self.own_school.get_parent().pk}/")
        html = schools.content.decode()
        self.assertIn("École élémentaire Jules-Ferry", html)
        self.assertNotIn("Les Coquelicots", html)
        html = self.client.get(f"/admin/pages/{self.own_school.pk}/").content.decode()
        self.assertIn("CP de Mme Moreau", html)

    def test_other_schools_pages_are_closed_by_id(self):
        for page in (self.other_school, self.other_class, self.other_news):
            for url in (
                f"/admin/pages/{page.pk}/",
                f"/admin/pages/{page.pk}/edit/",
                f"/admin/pages/{page.pk}/edit/preview/",
                f"/admin/pages/{page.pk}/revisions/",
                f"/admin/pages/{page.pk}/history/",
                f"/admin/pages/{page.pk}/copy/",
                f"/admin/pages/{page.pk}/move/",
                f"/admin/pages/{page.pk}/privacy/",
                f"/admin/pages/{page.pk}/delete/",
                f"/admin/pages/{page.pk}/unpublish/",
                f"/admin/pages/add/news/newspage/{page.pk}/",
            ):
                with self.subTest(url=url):
                    response = self.client.get(url)
                    self.assertIn(response.status_code, {302, 403, 404})
                    self.assertNotIn(page.title, response.content.decode())

    def test_admin_search_and_page_chooser_hide_other_schools(self):
        for url in (
            "/admin/pages/search/?q=atelier",
            "/admin/choose-page/search/?q=atelier",
            f"/admin/choose-page/{self.other_school.pk}/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertNotIn("Atelier peinture", response.content.decode())

    def test_director_publishes_in_their_school(self):
        news = NewsPage.objects.get(slug="reunion-de-rentree-avec-les-familles")
        perms = news.permissions_for_user(user("dir.lefevre"))
        self.assertTrue(perms.can_publish())
        self.assertTrue(perms.can_set_view_restrictions())
        self.assertFalse(
            self.other_news.permissions_for_user(user("dir.lefevre")).can_edit()
        )


class TeacherAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.classroom = ClassroomPage.objects.get(slug="cp-moreau")
        cls.neighbour = ClassroomPage.objects.get(slug="ce1-garnier")

    def setUp(self):
        self.client.force_login(user("ens.moreau"))

    def test_teacher_edits_their_class_but_cannot_publish(self):
        perms = self.classroom.permissions_for_user(user("ens.moreau"))
        self.assertTrue(perms.can_edit())
        self.assertTrue(perms.can_add_subpage())
        self.assertFalse(perms.can_publish())
        self.assertFalse(
            self.neighbour.permissions_for_user(user("ens.moreau")).can_edit()
        )

    def test_audience_is_locked_for_those_who_cannot_publish(self):
        response = self.client.get(
            f"/admin/pages/add/news/newspage/{self.classroom.pk}/"
        )
        field = response.context["form"].fields["audience"]
        self.assertTrue(field.disabled)
        self.assertIn("directeur", str(field.help_text))

        # A crafted POST cannot widen it: the locked field keeps its value.
        self.client.post(
            f"/admin/pages/add/news/newspage/{self.classroom.pk}/",
            nested_form_data(
                {
                    "title": "Goûter de Noël",
                    "slug": "gouter-de-noel",
                    "audience": Audience.PUBLIC,
                    "date": "2026-12-18",
                    "intro": "Chaque enfant apporte un gâteau.",
                    "body": {"count": 0},
                    "tags": "",
                }
            ),
        )
        news = NewsPage.objects.get(slug="gouter-de-noel")
        self.assertEqual(news.audience, Audience.COMMUNITY)
        self.assertFalse(news.live)

    def test_teacher_news_goes_to_the_directors_validation(self):
        workflow = WorkflowPage.objects.get(
            page=SchoolPage.objects.get(slug="jules-ferry")
        ).workflow
        self.assertEqual(self.classroom.get_workflow(), workflow)
        approvers = set(
            workflow.tasks.get().specific.groups.values_list("name", flat=True)
        )
        directors = ScopeGroup.objects.get(
            page=self.classroom.get_parent(), role="directors"
        ).group.name
        self.assertIn(directors, approvers)

    def test_a_teacher_of_two_classes_explores_those_two_only(self):
        self.client.force_login(user("ens.roux"))
        root = self.client.get("/admin/pages/", follow=True)
        self.assertEqual(
            [page.title for page in root.context["pages"]], ["Écoles", "Ressources"]
        )
        school = self.classroom.get_parent()
        html = self.client.get(f"/admin/pages/{school.pk}/").content.decode()
        self.assertIn("CE1 de M. Garnier", html)
        self.assertIn("CE2-CM1 de Mme Roux", html)
        for other in ("CP de Mme Moreau", "CM2 de M. Lefèvre", "Conseil des maîtres"):
            self.assertNotIn(other, html)

    def test_a_teachers_explorer_filters_by_no_one_outside_their_school(self):
        # Wagtail offers to filter by every page's owner and editor and by
        # every site of the district: names from other schools.
        self.client.force_login(user("ens.roux"))
        other_director = user("dir.chevalier").get_full_name()
        other_news = NewsPage.objects.get(slug="atelier-peinture-avec-les-parents")
        other_news.save_revision(user=user("dir.chevalier"))
        for url in (
            "/admin/pages/",
            f"/admin/pages/{self.neighbour.pk}/",
            f"/admin/pages/{self.neighbour.pk}/results/",
        ):
            with self.subTest(url=url):
                response = self.client.get(url, follow=True)
                self.assertEqual(response.status_code, 200)
                fields = set(response.context["filters"].form.fields)
                self.assertEqual(
                    fields,
                    {"latest_revision_created_at", "has_child_pages", "content_type"},
                )
                self.assertNotIn(other_director, response.content.decode())

    def test_the_district_team_keeps_wagtails_filters(self):
        self.client.force_login(user("ien.dubois"))
        response = self.client.get(f"/admin/pages/{self.classroom.pk}/")
        self.assertIn("owner", response.context["filters"].form.fields)

    def test_an_archived_class_is_read_only_for_its_teachers(self):
        self.classroom.unpublish()
        teacher = user("ens.moreau")
        self.assertFalse(self.classroom.permissions_for_user(teacher).can_edit())
        self.classroom.save_revision().publish()
        teacher = user("ens.moreau")
        self.assertTrue(self.classroom.permissions_for_user(teacher).can_edit())

    def test_families_have_no_admin(self):
        self.client.force_login(user("famille.martin"))
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])


class ProvisioningTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.team_member = user("ien.dubois")
        cls.index = SchoolIndexPage.objects.get()

    def setUp(self):
        self.client.force_login(self.team_member)

    def test_creating_a_school_in_the_admin_provisions_it(self):
        self.assertCanCreate(
            self.index,
            SchoolPage,
            nested_form_data(
                {
                    "title": "École élémentaire Paul-Bert",
                    "slug": "paul-bert",
                    "audience": Audience.PUBLIC,
                    "uai": "0451099z",
                    "kind": "elementaire",
                    "director_name": "Mme Renaud",
                    "presentation": rich_text(""),
                    "street_address": "5 rue Paul-Bert",
                    "postcode": "45100",
                    "city": "Saint-Aubin-sur-Loire",
                    "phone": "",
                    "email": "",
                }
            ),
        )
        school = SchoolPage.objects.get(slug="paul-bert")
        self.assertEqual(school.uai, "0451099Z")
        directors = ScopeGroup.objects.get(page=school, role="directors")
        self.assertIn("Paul-Bert", directors.group.name)
        self.assertEqual(directors.collection.name, school.title)
        codenames = set(
            GroupPagePermission.objects.filter(
                group=directors.group, page=school
            ).values_list("permission__codename", flat=True)
        )
        self.assertEqual(
            codenames,
            {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"},
        )
        self.assertEqual(
            WorkflowPage.objects.get(page=school).workflow.name[:10], "Validation"
        )

    def test_a_class_gets_its_teachers_group_and_collection(self):
        school = SchoolPageFactory(parent=self.index, slug="ecole-test", uai="0451098Y")
        classroom = ClassroomPageFactory(
            parent=school, title="CE1 de M. Petit", slug="ce1-petit"
        )
        teachers = ScopeGroup.objects.get(page=classroom, role="teachers")
        school_collection = ScopeGroup.objects.get(
            page=school, role="directors"
        ).collection
        self.assertEqual(teachers.collection.get_parent(), school_collection)

        # A teacher membership puts the person in the group; removing it,
        # out of it at once.
        teacher = user("ens.blanc")
        membership = Membership.objects.create(
            user=teacher, role="teacher", school=school, classroom=classroom
        )
        self.assertIn(teachers.group, teacher.groups.all())
        membership.delete()
        self.assertNotIn(teachers.group, teacher.groups.all())

    def test_renaming_keeps_names_consistent(self):
        school = SchoolPageFactory(
            parent=self.index, slug="ecole-renommee", uai="0451097X"
        )
        school.title = "École primaire Louise-Michel"
        school.save_revision().publish()
        directors = ScopeGroup.objects.get(page=school, role="directors")
        self.assertIn("Louise-Michel", directors.group.name)
        self.assertEqual(directors.collection.name, "École primaire Louise-Michel")
        self.assertIn("Louise-Michel", directors.workflow.name)

    def test_deleting_a_school_cleans_up(self):
        school = SchoolPageFactory(
            parent=self.index, slug="ecole-fermee", uai="0451096W"
        )
        classroom = ClassroomPageFactory(parent=school, slug="cp-ferme")
        groups = list(
            ScopeGroup.objects.filter(page__in=[school, classroom]).values_list(
                "group_id", flat=True
            )
        )
        class_collection = ScopeGroup.objects.get(page=classroom).collection
        school_collection = ScopeGroup.objects.get(page=school).collection
        ImageFactory(title="Photo du potager", collection=class_collection)
        workflow = WorkflowPage.objects.get(page=school).workflow

        school.delete()

        self.assertFalse(Group.objects.filter(pk__in=groups).exists())
        school_collection.refresh_from_db()
        self.assertTrue(school_collection.name.startswith("Archive"))
        workflow.refresh_from_db()
        self.assertFalse(workflow.active)

    def test_empty_collections_go_with_their_class(self):
        school = SchoolPage.objects.get(slug="marie-curie")
        classroom = ClassroomPageFactory(parent=school, slug="classe-ephemere")
        collection = ScopeGroup.objects.get(page=classroom).collection
        classroom.delete()
        self.assertFalse(Collection.objects.filter(pk=collection.pk).exists())


class MembershipAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.classroom = ClassroomPage.objects.get(slug="cp-moreau")
        cls.other_class = ClassroomPage.objects.get(slug="ps-ms-chevalier")

    def setUp(self):
        self.client.force_login(user("dir.lefevre"))

    def add(self, **data):
        return self.client.post(
            "/admin/memberships/new/",
            {"email": "", "role": "family", "classroom": self.classroom.pk, **data},
        )

    def test_director_adds_a_family_to_a_class_of_their_school(self):
        response = self.add(email="Famille.Petit@ent-demo.fr")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            Membership.objects.filter(
                user__username="famille.petit", classroom=self.classroom
            ).exists()
        )

    def test_unknown_email_is_refused_in_french(self):
        response = self.add(email="inconnu@example.fr")
        self.assertContains(response, "Aucun compte n")
        self.assertFalse(
            Membership.objects.filter(
                classroom=self.classroom, user__email="inconnu@example.fr"
            ).exists()
        )

    def test_duplicate_is_refused(self):
        count = Membership.objects.count()
        response = self.add(email="famille.leroy@ent-demo.fr")
        self.assertContains(response, "déjà")
        self.assertEqual(Membership.objects.count(), count)

    def test_class_of_another_school_is_refused(self):
        count = Membership.objects.count()
        response = self.add(
            email="famille.bernard@ent-demo.fr", classroom=self.other_class.pk
        )
        self.assertContains(response, "appartient à une autre école")
        self.assertEqual(Membership.objects.count(), count)

    def test_directors_cannot_name_directors(self):
        response = self.add(email="ens.moreau@ent-demo.fr", role="director")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(
            Membership.objects.filter(
                user__username="ens.moreau", role="director"
            ).exists()
        )

    def test_memberships_of_other_schools_are_out_of_reach(self):
        listing = self.client.get("/admin/memberships/").content.decode()
        self.assertIn("Sandrine Leroy (famille.leroy@ent-demo.fr)", listing)
        self.assertNotIn("famille.petit", listing)
        foreign = Membership.objects.get(user__username="famille.petit")
        for url in (
            f"/admin/memberships/edit/{foreign.pk}/",
            f"/admin/memberships/delete/{foreign.pk}/",
            f"/admin/memberships/history/{foreign.pk}/",
            f"/admin/memberships/usage/{foreign.pk}/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url).status_code, 404)
        self.assertTrue(Membership.objects.filter(pk=foreign.pk).exists())

    def test_removing_a_membership_takes_effect_on_the_next_request(self):
        family = self.client_class()
        family.force_login(user("famille.leroy"))
        url = "/ecoles/jules-ferry/cp-moreau/sortie-au-musee-des-beaux-arts/"
        self.assertEqual(family.get(url).status_code, 200)
        membership = Membership.objects.get(user__username="famille.leroy")
        response = self.client.post(f"/admin/memberships/delete/{membership.pk}/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(family.get(url).status_code, 403)
