"""A whole school year of one school, with a moving clock (issue 16, done
when): the September ONDE import, a family's consent, a class outing's
photo through the year, the summer rollover, a pupil's departure, the
deletion three months later, and last year's class deleted at the end of
its archive period.

At each step the test checks what people see (as the family, the director,
the team would) and, at the end, that nothing that should remain is lost
and nothing that should be deleted remains: in the database, in the files
and in the cache."""

import datetime
import io
import os

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry

import pytest
import time_machine

from accounts.models import Membership
from departures.models import Departure
from home.dashboard import pupils_without_consent
from news.models import NewsPage
from onboarding import sample
from onboarding.models import OndeImport
from pupils.models import ImageConsent, Medium, Pupil
from schools.models import ClassroomPage, SchoolPage
from schoolyear.models import Rollover
from tests.conftest import login, user

pytestmark = pytest.mark.django_db

MUSEUM = "/ecoles/jules-ferry/cp-moreau/sortie-au-musee-des-beaux-arts/"
PHOTO = 'class="fr-responsive-img"'
KACI = "karim.kaci@example.fr"


def onde_row(last, first, born, label, guardian="", email=""):
    return {
        "Nom de famille élève": last,
        "Prénom élève": first,
        "Date naissance": born,
        "Niveau": label.split()[0].split("-")[0],
        "Libellé classe": label,
        "Civilité Responsable": "M." if guardian else "",
        "Nom responsable": last if guardian else "",
        "Prénom responsable": guardian,
        "Courriel": email,
    }


# Jules-Ferry's pupils as ONDE knows them: the demo's, and Sami, new in the CP.
LEA = ("MARTIN", "Léa", "12/03/2020")
JULES = ("LEROY", "Jules", "04/07/2020")
INES = ("BOYER", "Inès", "09/10/2020")
NORA = ("BERNARD", "Nora", "21/01/2019")
CHLOE = ("DUPUIS", "Chloé", "30/05/2016")
ADAM = ("CARON", "Adam", "14/11/2015")
SAMI = ("KACI", "Sami", "18/02/2020")

SEPTEMBER_FILE = sample.onde_file(
    [
        onde_row(*LEA, "CP de Mme Moreau"),
        onde_row(*JULES, "CP de Mme Moreau"),
        onde_row(*INES, "CP de Mme Moreau"),
        onde_row(*SAMI, "CP de Mme Moreau", guardian="Karim", email=KACI),
        onde_row(*NORA, "CE1 de M. Garnier"),
        onde_row(*CHLOE, "CE2-CM1 de Mme Roux"),
        onde_row(*ADAM, "CM2 de M. Lefèvre"),
    ]
)
# Next year: Léa and Jules go up to the CE1, Nora to the CE2-CM1, Chloé to
# the CM2; Sami and Inès move away, Adam goes to the collège.
SUMMER_FILE = sample.onde_file(
    [
        onde_row(*LEA, "CE1 de M. Garnier"),
        onde_row(*JULES, "CE1 de M. Garnier"),
        onde_row(*NORA, "CE2-CM1 de Mme Roux"),
        onde_row(*CHLOE, "CM2 de M. Lefèvre"),
    ]
)


def at(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9, 0)), tick=False
    )


def on(year, month, day):
    return at(datetime.date(year, month, day))


def daily(command):
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def page_seen_by(client, username, url=MUSEUM):
    """What ``username`` gets at ``url``: the status, and whether the
    outing's photo is on it."""
    login(client, username)
    response = client.get(url)
    return response.status_code, PHOTO in response.content.decode()


def rows_written():
    """Everything the rollover could write, to see a second run write
    nothing."""
    return (
        ClassroomPage.objects.count(),
        sorted(Membership.objects.values_list("user_id", "role", "classroom_id")),
        sorted(Pupil.objects.values_list("pk", "classroom_id", "left_on")),
        ModelLogEntry.objects.count(),
        len(mail.outbox),
    )


def cached_text():
    """Everything in the cache, as text (the tests' cache keeps pickles)."""
    return b"".join(cache._cache.values())


def own_copies(classroom):
    """The photos and documents of ``classroom``'s collection on files of
    their own, without their renditions: the test deletes them for real, and
    the other tests share the demo's files."""
    from schoolyear.archive import media_of

    for item in media_of(classroom):
        if hasattr(item, "renditions"):
            item.renditions.all().delete()
        extension = os.path.splitext(item.file.name)[1]
        with item.file.open("rb") as original:
            name = item.file.storage.save(f"simulation/copy{extension}", original)
        type(item).objects.filter(pk=item.pk).update(file=name)


def test_a_school_year_from_september_to_the_next_summer(
    client, settings, django_capture_on_commit_callbacks
):
    # Visitors' pages are cached as in production.
    settings.ANONYMOUS_CACHE_SECONDS = 300
    school = SchoolPage.objects.get(slug="jules-ferry")
    museum = NewsPage.objects.get(slug="sortie-au-musee-des-beaux-arts")
    old_cp = ClassroomPage.objects.get(slug="cp-moreau")
    own_copies(old_cp)
    photo = get_image_model().objects.get(title="Photo de groupe au musée")
    photo_file = photo.file.path

    # September: the director imports the school's ONDE extraction.
    with on(2026, 9, 3):
        login(client, "dir.lefevre")
        upload = client.post(
            f"/admin/onde/ecole/{school.pk}/",
            {"file": SimpleUploadedFile("CSVExtraction.csv", SEPTEMBER_FILE)},
        )
        assert upload.status_code == 302
        onde_import = OndeImport.objects.latest("pk")
        client.post(f"/admin/onde/{onde_import.pk}/appliquer/")
        onde_import.refresh_from_db()
        assert onde_import.status == OndeImport.Status.DONE
        assert onde_import.content == b""  # the file is not kept
        sami = Pupil.objects.get(first_name="Sami")
        kaci = get_user_model().objects.get(email=KACI)
        assert sami.classroom == old_cp
        assert list(sami.families.all()) == [kaci]
        # The demo's pupils were found again, not created twice.
        assert Pupil.objects.filter(first_name="Léa").count() == 1

    # The family gives its consent for the ENT from « Mon compte ».
    with on(2026, 9, 10):
        login(client, kaci.username)
        client.post("/mon-compte/", {"pupil": sami.pk, "medium": "ent", "given": "on"})
        assert sami.consents(Medium.ENT)

    # During the year, Sami is named on the outing's photo: the families of
    # the class see it, another class's family does not see the news at all.
    with on(2027, 3, 10):
        photo.pupils.add(sami)
        assert page_seen_by(client, kaci.username) == (200, True)
        assert page_seen_by(client, "famille.martin") == (200, True)
        assert page_seen_by(client, "famille.bernard")[0] == 403
        client.logout()
        assert client.get("/").status_code == 200  # a visitor, cached

    # Summer: the team prepares next year from the new ONDE file, previews,
    # then opens it.
    with on(2027, 7, 8):
        login(client, "ien.dubois")
        data = {"school_year": "2027-2028", "opens_on": "2027-09-01"}
        for each in SchoolPage.objects.all():
            data[f"source_{each.pk}"] = ""
        data[f"source_{school.pk}"] = "onde"
        data[f"file_{school.pk}"] = SimpleUploadedFile("CSVExtraction.csv", SUMMER_FILE)
        assert client.post("/admin/annee-scolaire/", data).status_code == 302
        before = rows_written()
        preview = client.get("/admin/annee-scolaire/2027-2028/").content.decode()
        assert "Sami K." in preview and "Léa M." in preview
        assert rows_written() == before  # the preview writes nothing
        mail.outbox.clear()
        client.post("/admin/annee-scolaire/2027-2028/ouvrir/")

        new_ce1 = ClassroomPage.objects.get(
            title="CE1 de M. Garnier", school_year="2027-2028"
        )
        lea = Pupil.objects.get(first_name="Léa")
        martin = user("famille.martin")
        assert lea.classroom == new_ce1
        assert Membership.objects.filter(user=martin, classroom=new_ce1).exists()
        old_cp.refresh_from_db()
        assert old_cp.archived_on == datetime.date(2027, 7, 8)
        # Those who left lose their access at once; the others keep reading
        # last year's class notebook, read-only.
        sami.refresh_from_db()
        assert sami.left_on == datetime.date(2027, 7, 8)
        assert not Membership.objects.filter(user=kaci).exists()
        assert page_seen_by(client, kaci.username)[0] == 403
        assert page_seen_by(client, "famille.martin") == (200, True)
        assert not museum.permissions_for_user(user("dir.lefevre")).can_edit()
        # Consents are asked again of the families whose children stay.
        asked = {address for message in mail.outbox for address in message.to}
        assert martin.email in asked and user("famille.leroy").email in asked
        assert KACI not in asked
        # Opening the year again changes nothing.
        after = rows_written()
        login(client, "ien.dubois")
        client.post("/admin/annee-scolaire/2027-2028/ouvrir/")
        assert rows_written() == after
        assert Rollover.objects.get(school=school).content == b""

    # September: the new year. The daily check keeps last year's photo in
    # the archive (its consent was that year's); the task is on Mon compte.
    with on(2027, 9, 2):
        daily("check_image_rights")
        assert page_seen_by(client, "famille.martin") == (200, True)
        account = client.get("/mon-compte/").content.decode()
        assert "2027-2028" in account
        client.post("/mon-compte/", {"pupil": lea.pk, "medium": "ent", "given": "on"})
        client.post("/mon-compte/", {"pupil": lea.pk, "medium": "web"})  # no
        missing = pupils_without_consent(user("dir.lefevre"))
        assert not missing.filter(pk=lea.pk).exists()
        assert missing.filter(first_name="Jules").exists()

    # Three months after leaving: a notice 15 days before, then deletion.
    with on(2027, 9, 20):
        mail.outbox.clear()
        daily("apply_departures")
        assert not any(KACI in message.to for message in mail.outbox)
    with on(2027, 9, 21):
        daily("apply_departures")
        assert [m for m in mail.outbox if KACI in m.to]
    with on(2027, 10, 5):
        daily("apply_departures")
        assert get_user_model().objects.filter(pk=kaci.pk).exists()
    with on(2027, 10, 6):
        summary = daily("apply_departures")
        assert "2 comptes supprimés" in summary  # the Kacis and the Carons
    assert not get_user_model().objects.filter(pk=kaci.pk).exists()
    assert not Departure.objects.filter(user_id=kaci.pk).exists()
    assert not Pupil.objects.filter(first_name__in=["Sami", "Adam", "Inès"]).exists()
    assert not ImageConsent.objects.filter(pupil_id=sami.pk).exists()
    assert set(photo.pupils.values_list("first_name", flat=True)) == {"Jules", "Léa"}
    assert os.path.exists(photo_file)  # still in last year's notebook
    # The log kept every step, without the departed family's name.
    actions = set(ModelLogEntry.objects.values_list("action", flat=True)) | set(
        PageLogEntry.objects.values_list("action", flat=True)
    )
    assert {
        "ent.import.applied",
        "ent.consent.given",
        "ent.rollover.applied",
        "ent.class.archived",
        "ent.pupil.left",
        "ent.account.notice",
        "ent.account.deleted",
    } <= actions
    assert not ModelLogEntry.objects.filter(label__icontains="kaci").exists()
    assert not ModelLogEntry.objects.filter(label__icontains=KACI).exists()

    # The end of the archive period: last year's class goes, with its news,
    # its memberships and the photos only it used.
    archived = datetime.timedelta(days=settings.ENT_ARCHIVE_DAYS)
    last_day = old_cp.archived_on + archived
    with at(last_day - datetime.timedelta(days=1)):
        daily("delete_old_archives")
        assert Page.objects.filter(pk=old_cp.pk).exists()
    day_after = last_day + datetime.timedelta(days=1)
    with at(day_after), django_capture_on_commit_callbacks(execute=True):
        daily("delete_old_archives")
    assert not Page.objects.filter(pk__in=[old_cp.pk, museum.pk]).exists()
    assert not get_image_model().objects.filter(pk=photo.pk).exists()
    assert not os.path.exists(photo_file)
    martin = user("famille.martin")
    assert not Membership.objects.filter(user=martin, classroom_id=old_cp.pk).exists()
    # What remains: this year's classes, pupils, families and consents.
    assert Membership.objects.filter(user=martin, classroom=new_ce1).exists()
    assert Pupil.objects.get(pk=lea.pk).consents(Medium.ENT, "2027-2028")
    with at(day_after):
        login(client, "famille.martin")
        assert client.get(MUSEUM).status_code == 404
        assert client.get(new_ce1.url).status_code == 200
    # Nothing of the departed family is left in the cache either.
    kept = cached_text()
    for trace in (KACI, "Kaci", "KACI", "Sami"):
        assert trace.encode() not in kept


def test_a_refusal_in_the_new_year_takes_last_years_photo_off_too(client):
    from schoolyear.archive import archive_class

    old_cp = ClassroomPage.objects.get(slug="cp-moreau")
    lea = Pupil.objects.get(first_name="Léa")
    with on(2027, 9, 2):
        archive_class(old_cp, by=user("ien.dubois"))
        daily("check_image_rights")
        # Last year's consent covers last year's notebook…
        assert page_seen_by(client, "famille.leroy") == (200, True)
        # …until the family refuses: then the photo leaves it too.
        login(client, "famille.martin")
        client.post("/mon-compte/", {"pupil": lea.pk, "medium": "ent"})
        assert lea.decision(Medium.ENT) is False
        assert page_seen_by(client, "famille.leroy") == (200, False)
