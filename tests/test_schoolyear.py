"""Opening a new school year (issue 16, item 1): the district team's
rollover with its preview, pupils and families following, teachers assigned
again, last year's classes archived read-only then deleted, consents asked
again. Run on the demo district, with ONDE files written here."""

import datetime
import html
import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import RequestFactory

from wagtail.models import ModelLogEntry, PageLogEntry

import pytest
import time_machine

from accounts.forms import AddToClassForm
from accounts.models import Membership
from home.dashboard import pupils_without_consent
from news.models import NewsPage
from onboarding import sample
from onboarding.models import OndeImport
from pupils.forms import PupilForm
from pupils.models import Pupil
from schools.models import ClassroomPage, SchoolPage, current_school_year
from schoolyear.models import Rollover
from schoolyear.rollover import next_school_year
from schoolyear.views import IndexView
from tests.conftest import login, user

pytestmark = pytest.mark.django_db

OLD = current_school_year()
NEW = next_school_year()
INDEX = "/admin/annee-scolaire/"
PREVIEW = f"/admin/annee-scolaire/{NEW}/"
APPLY = f"/admin/annee-scolaire/{NEW}/ouvrir/"


def row(last, first, born, label, level, guardian="", email=""):
    return {
        "Nom de famille élève": last,
        "Prénom élève": first,
        "Date naissance": born,
        "Niveau": level,
        "Libellé classe": label,
        "Civilité Responsable": "Mme" if guardian else "",
        "Nom responsable": last if guardian else "",
        "Prénom responsable": guardian,
        "Courriel": email,
    }


# Jules-Ferry next year: Léa and Jules go up to the CE1, Nora to the CE2-CM1,
# Chloé to the CM2; Adam (CM2) goes to the collège and Inès moves away; Zoé
# arrives in the CP.
JULES_FERRY_NEXT = sample.onde_file(
    [
        row("MARTIN", "Léa", "12/03/2020", "CE1 de M. Garnier", "CE1"),
        row("LEROY", "Jules", "04/07/2020", "CE1 de M. Garnier", "CE1"),
        row("BERNARD", "Nora", "21/01/2019", "CE2-CM1 de Mme Roux", "CE2"),
        row("DUPUIS", "Chloé", "30/05/2016", "CM2 de M. Lefèvre", "CM2"),
        row(
            "DURAND",
            "Zoé",
            "02/02/2021",
            "CP de Mme Moreau",
            "CP",
            guardian="Aline",
            email="aline.durand@example.fr",
        ),
    ]
)


def text(response):
    return html.unescape(response.content.decode())


def school(slug):
    return SchoolPage.objects.get(slug=slug)


def old_class(slug):
    return ClassroomPage.objects.get(slug=slug)


def new_class(school_slug, title):
    return ClassroomPage.objects.get(
        title=title, school_year=NEW, path__startswith=school(school_slug).path
    )


def pupil(first_name):
    return Pupil.objects.get(first_name=first_name)


def prepare(client, onde=JULES_FERRY_NEXT, copy=("les-coquelicots",)):
    """The team's form: Jules-Ferry from its ONDE file, the schools in
    ``copy`` by copying their classes, the others not now."""
    data = {"school_year": NEW, "opens_on": f"{NEW[:4]}-09-01"}
    for each in SchoolPage.objects.all():
        data[f"source_{each.pk}"] = ""
    data[f"source_{school('jules-ferry').pk}"] = "onde"
    data[f"file_{school('jules-ferry').pk}"] = SimpleUploadedFile(
        "CSVExtraction.csv", onde, content_type="text/csv"
    )
    for slug in copy:
        data[f"source_{school(slug).pk}"] = "copy"
    return client.post(INDEX, data)


def snapshot():
    """Every row the rollover could write, counted."""
    return {
        "classes": ClassroomPage.objects.count(),
        "archived": ClassroomPage.objects.filter(archived_on__isnull=False).count(),
        "memberships": sorted(
            Membership.objects.values_list("user_id", "role", "classroom_id")
        ),
        "pupils": sorted(Pupil.objects.values_list("pk", "classroom_id", "left_on")),
        "page_log": PageLogEntry.objects.count(),
        "model_log": ModelLogEntry.objects.count(),
        "imports": OndeImport.objects.count(),
    }


@pytest.fixture(autouse=True)
def summer():
    """The summer holidays before the new year: when the team opens it."""
    with time_machine.travel(datetime.datetime(int(OLD[5:]), 7, 8, 9, 0)):
        yield


@pytest.fixture
def team(client):
    return login(client, "ien.dubois")


def open_year(team):
    assert prepare(team).status_code == 302
    response = team.post(APPLY)
    assert response.status_code == 302
    return response


# The preview


def test_the_form_proposes_the_next_year_and_refuses_bad_input(team):
    response = team.get(INDEX)
    assert response.status_code == 200
    assert f'value="{NEW}"' in response.content.decode()
    before = snapshot()
    response = team.post(INDEX, {"school_year": OLD, "opens_on": "2027-09-01"})
    assert f"Choisissez l'année scolaire qui suit celle en cours ({NEW})" in text(
        response
    )
    response = team.post(INDEX, {"school_year": NEW, "opens_on": "2025-01-01"})
    assert f"La rentrée {NEW} a lieu entre le 1er juillet et le 30 septembre" in (
        text(response)
    )
    response = prepare(team, onde=b"Nom;Classe\r\nMARTIN;CP\r\n")
    assert response.status_code == 200
    assert "Libellé classe" in response.content.decode()
    assert snapshot() == before
    assert not Rollover.objects.exists()


def test_nothing_prepared_is_nothing_to_open(team):
    assert team.post(APPLY).status_code == 404


def test_the_year_cannot_be_opened_before_the_year_in_progress_is_over(team):
    with time_machine.travel(datetime.datetime(int(OLD[5:]), 6, 15, 9, 0)):
        assert prepare(team).status_code == 302
        before = snapshot()
        opens_from = f"1er juillet {OLD[5:]}"
        assert f"peut être ouverte à partir du {opens_from}" in text(team.get(PREVIEW))
        response = team.post(APPLY, follow=True)
        assert f"peut être ouverte à partir du {opens_from}" in text(response)
        assert snapshot() == before


def test_the_preview_shows_moves_archives_and_departures_without_writing(team):
    before_rollovers = Rollover.objects.count()
    assert prepare(team).status_code == 302
    assert Rollover.objects.count() == before_rollovers + 2
    before = snapshot()
    response = team.get(PREVIEW)
    page = text(response)
    assert response.status_code == 200
    # Who moves where, and the families following.
    assert "Léa M.: CP de Mme Moreau → CE1 de M. Garnier · Élodie Martin" in page
    assert "Nora B.: CE1 de M. Garnier → CE2-CM1 de Mme Roux" in page
    # Classes created, teachers of last year's class of the same title.
    assert "CE1 de M. Garnier · CE1" in page
    assert "Thomas Garnier" in page
    assert "1 nouvel élève, créé par l'import ONDE" in page
    # Leaving, and the families leaving with them.
    assert (
        "Adam C. (CM2 de M. Lefèvre) · familles quittant l'école : Marc Caron" in page
    )
    assert "Inès B. (CP de Mme Moreau)" in page
    # Archived, with their news counts; the copied school too.
    assert f"CP de Mme Moreau ({OLD}) · 2 actualités" in page
    assert "PS-MS de Mme Chevalier" in page
    assert f"Ouvrir l'année {NEW}" in page
    assert snapshot() == before


# Applying


def test_apply_moves_pupils_and_families_reassigns_teachers_and_archives(team):
    lea, nora, adam = pupil("Léa"), pupil("Nora"), pupil("Adam")
    open_year(team)

    ce1 = new_class("jules-ferry", "CE1 de M. Garnier")
    cp = new_class("jules-ferry", "CP de Mme Moreau")
    assert ce1.live and ce1.school_year == NEW
    assert [level.code for level in ce1.levels.all()] == ["CE1"]
    assert Pupil.objects.get(pk=lea.pk).classroom == ce1
    assert Pupil.objects.get(pk=nora.pk).classroom == new_class(
        "jules-ferry", "CE2-CM1 de Mme Roux"
    )
    # Families follow their children, and keep last year's class to read.
    martin = user("famille.martin")
    assert Membership.objects.filter(user=martin, role="family", classroom=ce1).exists()
    assert Membership.objects.filter(
        user=martin, role="family", classroom=old_class("cp-moreau")
    ).exists()
    # Teachers are assigned again to the class of the same title.
    # (Mme Roux also taught in last year's CE1.)
    assert list(ce1.teachers) == [user("ens.garnier"), user("ens.roux")]
    assert list(cp.teachers) == [user("ens.moreau")]
    assert user("ens.garnier").groups.filter(scope__page=ce1).exists()
    # Adam left: his family's access to the school ended.
    adam.refresh_from_db()
    assert adam.left_on == datetime.date.today()
    assert not Membership.objects.filter(user=user("famille.caron")).exists()
    # Last year's classes are archived, with the log saying so.
    for slug in ("cp-moreau", "ce1-garnier", "cm2-lefevre", "ps-ms-chevalier"):
        assert old_class(slug).archived_on == datetime.date.today()
    assert PageLogEntry.objects.filter(
        action="ent.class.archived", page=old_class("cp-moreau")
    ).exists()
    entry = PageLogEntry.objects.get(
        action="ent.rollover.applied", page=school("jules-ferry")
    )
    assert entry.user == user("ien.dubois")
    assert entry.data["pupils_moved"] == 4
    assert entry.data["pupils_leaving"] == 2
    # Copied structure: same titles and levels, teachers assigned, pupils
    # left to the ONDE file.
    ps_ms = new_class("les-coquelicots", "PS-MS de Mme Chevalier")
    assert sorted(level.code for level in ps_ms.levels.all()) == ["MS", "PS"]
    assert list(ps_ms.teachers) == [user("dir.chevalier")]
    assert pupil("Tom").classroom == old_class("ps-ms-chevalier")
    # The new pupil's import is ready to confirm in « Import from ONDE ».
    ready = OndeImport.objects.get(
        school=school("jules-ferry"), status=OndeImport.Status.PREVIEWED
    )
    assert ready.summary["counts"]["pupils"]["create"] == 1
    # Schools not chosen are left as they were.
    assert old_class("cp-ce1-faure").archived_on is None


def test_the_new_pupils_import_then_fills_the_new_classes(team):
    open_year(team)
    ready = OndeImport.objects.get(
        school=school("jules-ferry"), status=OndeImport.Status.PREVIEWED
    )
    team.post(f"/admin/onde/{ready.pk}/appliquer/")
    zoe = Pupil.objects.get(first_name="Zoé", last_initial="D")
    assert zoe.classroom == new_class("jules-ferry", "CP de Mme Moreau")
    # Pupils already moved are found again, not created twice.
    assert Pupil.objects.filter(first_name="Léa").count() == 1
    assert pupil("Léa").classroom == new_class("jules-ferry", "CE1 de M. Garnier")


def test_a_second_opening_changes_nothing(team):
    open_year(team)
    before = snapshot()
    mails = len(mail.outbox)
    response = team.post(APPLY)
    assert response.status_code == 302
    assert snapshot() == before
    # The same form sent again, then applied again: still nothing.
    assert prepare(team).status_code == 302
    page = text(team.get(PREVIEW))
    assert "Plus rien à faire dans cette école." in page
    team.post(APPLY)
    after = snapshot()
    assert after == before
    assert len(mail.outbox) == mails


# Archived classes


def test_archived_class_is_read_only_for_its_director_and_teacher(team, client):
    open_year(team)
    old_cp = old_class("cp-moreau")
    news = NewsPage.objects.child_of(old_cp).first()
    for username in ("ens.moreau", "dir.lefevre"):
        login(client, username)
        for page in (old_cp, news):
            response = client.get(f"/admin/pages/{page.pk}/edit/")
            assert response.status_code in (302, 403, 404), username
            assert not page.permissions_for_user(user(username)).can_edit()
        response = client.get(f"/admin/pages/add/news/newspage/{old_cp.pk}/")
        assert response.status_code in (302, 403, 404)
        assert not old_cp.permissions_for_user(user(username)).can_add_subpage()
    # The new class is theirs to edit.
    login(client, "ens.moreau")
    new_cp = new_class("jules-ferry", "CP de Mme Moreau")
    assert client.get(f"/admin/pages/{new_cp.pk}/edit/").status_code == 200
    # The team keeps every right.
    login(client, "ien.dubois")
    assert team.get(f"/admin/pages/{old_cp.pk}/edit/").status_code == 200
    # Its photos stay as the class published them.
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_image_model())
    photo = get_image_model().objects.get(title="Photo de groupe au musée")
    teacher = user("ens.moreau")
    assert not permission_policy.user_has_permission_for_instance(
        teacher, "change", photo
    )
    login(client, "ens.moreau")
    assert client.post(
        f"/admin/images/{photo.pk}/", {"title": "Autre"}
    ).status_code in (
        302,
        403,
        404,
    )
    photo.refresh_from_db()
    assert photo.title == "Photo de groupe au musée"


def test_archived_class_stays_readable_by_its_old_family_only(team, client):
    open_year(team)
    old_cp = old_class("cp-moreau")
    news = NewsPage.objects.child_of(old_cp).live().first()
    login(client, "famille.martin")
    response = client.get(old_cp.url)
    assert response.status_code == 200
    assert f"Classe archivée de l'année {OLD}" in text(response)
    assert client.get(news.url).status_code == 200
    # The school page lists it apart, after this year's classes.
    school_page = text(client.get(school("jules-ferry").url))
    archives = school_page.index("Classes archivées des années passées")
    assert school_page.index(f"CP de Mme Moreau</a> ({OLD})") > archives
    assert school_page.index("CE1 de M. Garnier") < archives
    login(client, "famille.bernard")
    assert client.get(old_cp.url).status_code == 403
    assert client.get(news.url).status_code == 403


def test_archived_classes_are_no_place_to_publish_nor_to_pick(team, client):
    from home.dashboard import publishing_places

    open_year(team)
    places = publishing_places(user("ens.moreau"))
    assert old_class("cp-moreau") not in places
    assert new_class("jules-ferry", "CP de Mme Moreau") in places
    director = user("dir.lefevre")
    for form in (AddToClassForm(for_user=director), PupilForm(for_user=director)):
        offered = form.fields["classroom"].queryset
        assert old_class("cp-moreau") not in offered
        assert new_class("jules-ferry", "CP de Mme Moreau") in offered


def test_delete_old_archives_after_the_archive_period_only(team, settings):
    open_year(team)
    old_cp = old_class("cp-moreau")
    news_ids = list(NewsPage.objects.child_of(old_cp).values_list("pk", flat=True))
    assert news_ids
    memberships = Membership.objects.filter(classroom=old_cp)
    assert memberships.exists()
    days = settings.ENT_ARCHIVE_DAYS
    today = datetime.date.today()
    with time_machine.travel(today + datetime.timedelta(days=days)):
        call_command("delete_old_archives", stdout=io.StringIO())
    assert ClassroomPage.objects.filter(pk=old_cp.pk).exists()
    with time_machine.travel(today + datetime.timedelta(days=days + 1)):
        kept = io.StringIO()
        call_command("delete_old_archives", stdout=io.StringIO(), stderr=kept)
    assert not ClassroomPage.objects.filter(pk=old_cp.pk).exists()
    assert not NewsPage.objects.filter(pk__in=news_ids).exists()
    assert not Membership.objects.filter(classroom_id=old_cp.pk).exists()
    assert PageLogEntry.objects.filter(
        action="ent.class.deleted", page_id=old_cp.pk
    ).exists()
    # The new year's classes and the pupils in them are untouched; a class
    # whose pupils were never placed (copied structure) waits.
    assert pupil("Léa").classroom == new_class("jules-ferry", "CE1 de M. Garnier")
    assert ClassroomPage.objects.filter(slug="ps-ms-chevalier").exists()
    assert "PS-MS de Mme Chevalier" in kept.getvalue()


# Who may open a year


def test_staff_get_a_404_and_the_view_refuses_them_itself(client):
    for username in ("dir.lefevre", "ens.moreau"):
        login(client, username)
        assert client.get(INDEX).status_code == 404
        assert client.get(PREVIEW).status_code == 404
        assert client.post(APPLY).status_code == 404
    request = RequestFactory().get(INDEX)
    request.user = user("dir.lefevre")
    from django.http import Http404

    with pytest.raises(Http404):
        IndexView.as_view()(request)


# Consents asked again


def test_the_consent_email_goes_to_families_with_present_children_only(team):
    mail.outbox = []
    open_year(team)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        f"famille.{name}@ent-demo.fr"
        # Tom (PS-MS) and Hugo, Jade: Les Coquelicots' classes were copied,
        # its pupils are still present, placed later from the ONDE file.
        for name in ("martin", "leroy", "bernard", "dupuis", "petit", "lopez")
    )
    martin = next(m for m in mail.outbox if m.to == ["famille.martin@ent-demo.fr"])
    assert NEW in martin.subject
    assert "Léa M. (CE1 de M. Garnier)" in martin.body
    assert "/mon-compte/" in martin.body or "compte" in martin.body


def test_my_account_shows_the_task_for_the_new_year(team, client):
    open_year(team)
    login(client, "famille.martin")
    assert "À faire" not in client.get("/mon-compte/").content.decode()
    with time_machine.travel(datetime.date(int(NEW[:4]), 9, 2)):
        login(client, "famille.martin")
        page = text(client.get("/mon-compte/"))
        assert f"À faire : indiquez votre accord pour l'année {NEW}" in page
        assert "Léa M. (CE1 de M. Garnier)" in page
        # A pupil who left asks nothing of their family.
        login(client, "famille.caron")
        assert "À faire" not in client.get("/mon-compte/").content.decode()


def test_directors_dashboard_counts_present_pupils_of_this_year_only(team, client):
    open_year(team)
    with time_machine.travel(datetime.date(int(NEW[:4]), 9, 2)):
        missing = set(pupils_without_consent(user("dir.lefevre")))
        login(client, "dir.lefevre")
        page = text(client.get("/admin/"))
        # Les Coquelicots' classes were copied: its pupils, not placed yet,
        # are still there and still to ask.
        copied = set(pupils_without_consent(user("dir.chevalier")))
    # Adam and Inès left; those who stay are asked for the new year.
    assert missing == {pupil("Léa"), pupil("Jules"), pupil("Nora"), pupil("Chloé")}
    assert "4 élèves de votre école n'ont aucun accord" in page
    assert pupil("Tom") in copied


def test_a_copied_school_places_its_pupils_from_its_onde_file_later(team):
    open_year(team)
    tom, hugo = pupil("Tom"), pupil("Hugo")
    copied = new_class("les-coquelicots", "MS-GS de Mme Benoît")
    coquelicots = school("les-coquelicots")
    data = {"school_year": NEW, "opens_on": f"{NEW[:4]}-09-01"}
    for each in SchoolPage.objects.all():
        data[f"source_{each.pk}"] = ""
    data[f"source_{coquelicots.pk}"] = "onde"
    data[f"file_{coquelicots.pk}"] = SimpleUploadedFile(
        "CSVExtraction.csv",
        sample.onde_file(
            [
                row("MARTIN", "Tom", "08/11/2022", "MS-GS de Mme Benoît", "MS"),
                row("LOPEZ", "Jade", "17/04/2021", "MS-GS de Mme Benoît", "GS"),
            ]
        ),
    )
    assert team.post(INDEX, data).status_code == 302
    page = text(team.get(PREVIEW))
    assert "Tom M.: PS-MS de Mme Chevalier → MS-GS de Mme Benoît" in page
    assert "Hugo P. (GS de M. Perrin) · familles quittant l'école : Laura Petit" in page
    classes = ClassroomPage.objects.count()
    team.post(APPLY)
    # The copied classes are found again, not created twice.
    assert ClassroomPage.objects.count() == classes
    assert Pupil.objects.get(pk=tom.pk).classroom == copied
    assert Pupil.objects.get(pk=hugo.pk).left_on is not None
    martin = user("famille.martin")
    assert Membership.objects.filter(user=martin, classroom=copied).exists()
    # Tom's family still reads last year's class.
    assert Membership.objects.filter(
        user=martin, classroom=old_class("ps-ms-chevalier")
    ).exists()
