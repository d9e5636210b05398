"""Departures (issue 16 §2): a director records that a pupil left, the
family's access ends on every channel; the daily command sends the notice
and deletes the accounts with no child left, three months on; a departing
teacher's pages are handed over before their account goes."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from wagtail.models import ModelLogEntry, Page

import pytest
import time_machine

from accounts.models import Membership
from audit.log import record
from departures.models import Departure
from home.dashboard import pupils_without_consent
from inbox.models import NotificationChoice, ReadMark
from news.models import NewsPage
from pupils.forms import pupils_for_photo, pupils_taught_by
from pupils.models import Pupil
from schools.models import ClassroomPage
from tests.conftest import login, user
from tests.english import ScreenText, broken_french, english_on

pytestmark = pytest.mark.django_db

CLASS_PAGE = "/ecoles/jules-ferry/cp-moreau/"
CLASS_NEWS = "/ecoles/jules-ferry/cp-moreau/sortie-au-musee-des-beaux-arts/"
NEWS_TITLE = "Sortie au musée des Beaux-Arts"

# With the default settings: deleted 90 days after, the notice 15 days before.
LEFT_ON = datetime.date(2027, 1, 4)
NOTICE_DAY = datetime.date(2027, 3, 20)
DELETION_DAY = datetime.date(2027, 4, 4)


def run_on(day):
    """``apply_departures`` as the daily cron runs it, on ``day``."""
    out = io.StringIO()
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(3, 0))):
        call_command("apply_departures", stdout=out)
    return out.getvalue()


def what_the_family_sees(client):
    return {
        "class page": client.get(CLASS_PAGE).status_code,
        "news": client.get(CLASS_NEWS).status_code,
        "feed": NEWS_TITLE in client.get("/mon-fil/").content.decode(),
        "search": NEWS_TITLE
        in client.get("/recherche/", {"q": "musée"}).content.decode(),
    }


# The button in the pupils list


def test_a_director_records_that_a_pupil_left_and_the_family_loses_access(client):
    jules = Pupil.objects.get(first_name="Jules")
    family = user("famille.leroy")
    login(client, "famille.leroy")
    assert what_the_family_sees(client) == {
        "class page": 200,
        "news": 200,
        "feed": True,
        "search": True,
    }

    director = user("dir.lefevre")
    login(client, "dir.lefevre")
    listing = client.get("/admin/pupils/").content.decode()
    assert f"/admin/departs/eleve/{jules.pk}/" in listing
    assert "A quitté l&#x27;école" in listing or "A quitté l'école" in listing
    confirmation = client.get(f"/admin/departs/eleve/{jules.pk}/")
    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Sandrine Leroy" in page
    assert "le compte sera supprimé" in page
    response = client.post(
        f"/admin/departs/eleve/{jules.pk}/", {"reason": "Déménagement à Lyon"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/pupils/"
    jules.refresh_from_db()
    assert jules.left_on == datetime.date.today()
    entry = ModelLogEntry.objects.get(action="ent.pupil.left", object_id=str(jules.pk))
    assert entry.user == director
    assert entry.data["reason"] == "Déménagement à Lyon"
    # He is no longer listed, nor counted among the pupils without consent.
    listing = client.get("/admin/pupils/").content.decode()
    assert f"/admin/departs/eleve/{jules.pk}/" not in listing
    assert "Léa M." in listing

    # Twice changes nothing, and says so.
    response = client.post(f"/admin/departs/eleve/{jules.pk}/", follow=True)
    assert "déjà été enregistré" in response.content.decode()
    assert ModelLogEntry.objects.filter(action="ent.pupil.left").count() == 1

    client.force_login(family)
    seen = what_the_family_sees(client)
    assert seen["class page"] != 200
    assert seen["news"] != 200
    assert not seen["feed"]
    assert not seen["search"]
    assert not Membership.objects.filter(user=family).exists()
    # « Mon compte » lists no child any more.
    assert "Jules" not in client.get("/mon-compte/").content.decode()


def test_a_departed_pupil_is_offered_on_no_photo_and_in_no_count(client):
    lea = Pupil.objects.get(first_name="Léa")
    moreau = user("ens.moreau")
    assert lea in pupils_taught_by(moreau)
    assert lea in pupils_for_photo(lea.classroom, moreau)
    director = user("dir.lefevre")
    login(client, "dir.lefevre")
    without = pupils_without_consent(director).count()
    # Inès has no consent recorded: she is counted until she leaves.
    inès = Pupil.objects.get(first_name="Inès")
    client.post(f"/admin/departs/eleve/{inès.pk}/", {"reason": "Déménagement"})
    client.post(f"/admin/departs/eleve/{lea.pk}/", {"reason": "Déménagement"})
    assert lea not in pupils_taught_by(moreau)
    assert lea not in pupils_for_photo(lea.classroom, moreau)
    assert pupils_without_consent(director).count() == without - 1
    client.get("/admin/pupils/")  # the messages of those two
    listing = client.get("/admin/pupils/?accord=aucun").content.decode()
    assert "Inès B." not in listing
    # Léa's family keeps Tom, and sees only him on « Mon compte ».
    login(client, "famille.martin")
    account = client.get("/mon-compte/").content.decode()
    assert "Tom M." in account
    assert "Léa M." not in account


def test_another_schools_director_gets_a_404(client):
    tom = Pupil.objects.get(first_name="Tom")
    login(client, "dir.lefevre")
    url = f"/admin/departs/eleve/{tom.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Déménagement"}).status_code == 404
    tom.refresh_from_db()
    assert tom.left_on is None
    login(client, "dir.chevalier")
    assert client.post(url, {"reason": "Déménagement"}).status_code == 302
    tom.refresh_from_db()
    assert tom.left_on is not None


# The daily command, across the months


def leave(first_name, on=LEFT_ON):
    from departures.access import pupil_left

    pupil = Pupil.objects.get(first_name=first_name)
    pupil_left(pupil, by=user("dir.lefevre"), on=on, reason="Déménagement")
    return pupil


def test_notice_then_deletion_three_months_after_the_departure():
    leroy = user("famille.leroy")
    news = NewsPage.objects.get(title=NEWS_TITLE)
    ReadMark.objects.create(user=leroy, page=news)
    NotificationChoice.objects.create(
        user=leroy, frequency=NotificationChoice.Frequency.DAILY
    )
    # A membership that no child calls for (added by hand by the school).
    garnier = ClassroomPage.objects.get(slug="ce1-garnier")
    Membership.objects.create(
        user=leroy,
        role=Membership.Role.FAMILY,
        school=garnier.get_parent().specific,
        classroom=garnier,
    )
    jules = leave("Jules")
    martin = user("famille.martin")
    leave("Léa")  # Tom stays: the Martins are not departing.

    summary = run_on(NOTICE_DAY - datetime.timedelta(days=1))
    assert "1 nouveau compte sur le départ" in summary
    assert mail.outbox == []
    assert Departure.objects.get(user=leroy).left_on == LEFT_ON

    summary = run_on(NOTICE_DAY)
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [leroy.email]
    assert "04/04/2027" in notice.subject
    assert "sera supprimé" in notice.subject
    assert "Bonjour Sandrine Leroy" in notice.body
    assert "/mon-compte/" in notice.body
    assert "1 avis de suppression envoyé" in summary
    entry = ModelLogEntry.objects.get(action="ent.account.notice")
    assert entry.object_id == str(leroy.pk)

    # No second notice, the same day or later.
    run_on(NOTICE_DAY)
    run_on(NOTICE_DAY + datetime.timedelta(days=3))
    assert len(mail.outbox) == 1

    run_on(DELETION_DAY - datetime.timedelta(days=1))
    assert get_user_model().objects.filter(pk=leroy.pk).exists()

    summary = run_on(DELETION_DAY)
    assert "1 compte supprimé" in summary
    assert not get_user_model().objects.filter(pk=leroy.pk).exists()
    assert not Membership.objects.filter(user_id=leroy.pk).exists()
    assert not ReadMark.objects.filter(user_id=leroy.pk).exists()
    assert not NotificationChoice.objects.filter(user_id=leroy.pk).exists()
    assert not Departure.objects.filter(user_id=leroy.pk).exists()
    assert not Pupil.objects.filter(pk=jules.pk).exists()
    deleted = ModelLogEntry.objects.get(
        action="ent.account.deleted", object_id=str(leroy.pk)
    )
    assert deleted.data["reason"] == (
        "Plus d'enfant dans la circonscription depuis le 04/01/2027"
    )
    # The Martins, whose Tom is still there, keep their account; Léa, who
    # left with Jules, is deleted on the same day.
    assert get_user_model().objects.filter(pk=martin.pk).exists()
    assert not Pupil.objects.filter(first_name="Léa").exists()
    assert Membership.objects.filter(user=martin).exists()
    # Running again the same day changes nothing.
    assert "0 compte supprimé" in run_on(DELETION_DAY)


def test_a_departed_child_with_another_family_stays_with_it():
    leroy = user("famille.leroy")
    father = get_user_model().objects.create_user(
        "famille.leroy.pere", email="marc.leroy@example.fr", first_name="Marc"
    )
    jules = Pupil.objects.get(first_name="Jules")
    jules.families.add(father)
    inès = Pupil.objects.get(first_name="Inès")
    inès.families.add(father)
    leave("Jules")
    run_on(DELETION_DAY)  # the notice: sent late, the deletion 15 days on
    assert [message.to for message in mail.outbox] == [[leroy.email]]
    assert "19/04/2027" in mail.outbox[0].subject
    run_on(DELETION_DAY + datetime.timedelta(days=14))
    assert get_user_model().objects.filter(pk=leroy.pk).exists()
    run_on(DELETION_DAY + datetime.timedelta(days=15))
    assert not get_user_model().objects.filter(pk=leroy.pk).exists()
    # His father's account, with Inès present, is untouched; Jules, who left
    # the district, goes with his mother's account's day.
    assert not Pupil.objects.filter(pk=jules.pk).exists()
    assert get_user_model().objects.filter(pk=father.pk).exists()
    assert list(father.children.all()) == [inès]


def test_a_family_with_a_child_back_is_no_longer_departing():
    martin = user("famille.martin")
    leave("Léa")
    leave("Tom", on=LEFT_ON + datetime.timedelta(days=10))
    run_on(NOTICE_DAY + datetime.timedelta(days=10))
    departure = Departure.objects.get(user=martin)
    assert departure.left_on == LEFT_ON + datetime.timedelta(days=10)
    assert len(mail.outbox) == 1
    # A new child in the district, linked to the family.
    lou = Pupil.objects.create(
        classroom=Pupil.objects.get(first_name="Inès").classroom, first_name="Lou"
    )
    lou.families.add(martin)
    summary = run_on(DELETION_DAY + datetime.timedelta(days=30))
    assert "1 compte conservé" in summary
    assert get_user_model().objects.filter(pk=martin.pk).exists()
    assert not Departure.objects.filter(user=martin).exists()


def test_staff_and_the_team_are_never_deleted_by_the_family_rule():
    moreau, dubois = user("ens.moreau"), user("ien.dubois")
    Pupil.objects.get(first_name="Inès").families.add(moreau, dubois)
    leave("Inès")
    run_on(DELETION_DAY + datetime.timedelta(days=200))
    for person in (moreau, dubois):
        assert get_user_model().objects.filter(pk=person.pk).exists()
        assert not Departure.objects.filter(user=person).exists()
    assert mail.outbox == []


# A departing teacher


def test_a_departing_teachers_pages_are_handed_over_then_the_account_deleted(
    client,
):
    moreau = user("ens.moreau")
    lefevre = user("dir.lefevre")
    news = NewsPage.objects.get(title=NEWS_TITLE)
    Page.objects.filter(pk=news.pk).update(owner=moreau)
    other = NewsPage.objects.get(slug="decloisonnement-en-lecture-avec-le-ce1")
    Page.objects.filter(pk=other.pk).update(owner=moreau, locked=True, locked_by=moreau)
    assert moreau.groups.filter(scope__isnull=False).exists()

    # The team only: staff get a 404, and no link to it.
    login(client, "dir.lefevre")
    assert client.get("/admin/departs/").status_code == 404
    assert client.get("/admin/departs/personnel/").status_code == 404
    assert "/admin/departs/" not in client.get("/admin/memberships/").content.decode()

    team = user("ien.dubois")
    with time_machine.travel(datetime.datetime(2027, 1, 4, 10, 0)):
        login(client, "ien.dubois")
        members = client.get("/admin/memberships/?role=teacher").content.decode()
        assert f"/admin/departs/personnel/?personne={moreau.pk}" in members
        form = client.get(f"/admin/departs/personnel/?personne={moreau.pk}")
        assert form.status_code == 200
        assert f'<option value="{moreau.pk}" selected>' in form.content.decode()
        # A date to come is refused, and nothing changes.
        response = client.post(
            "/admin/departs/personnel/",
            {"person": moreau.pk, "left_on": "2027-02-01", "reason": "Mutation"},
        )
        assert response.status_code == 200
        assert "le jour même ou après" in response.content.decode()
        assert Membership.objects.filter(user=moreau).exists()

        response = client.post(
            "/admin/departs/personnel/",
            {"person": moreau.pk, "left_on": "2027-01-04", "reason": "Mutation"},
        )
        assert response.status_code == 302
        # Twice changes nothing.
        client.post(
            "/admin/departs/personnel/",
            {"person": moreau.pk, "left_on": "2027-01-04", "reason": "Mutation"},
        )
        listing = client.get("/admin/departs/").content.decode()
    assert not Membership.objects.filter(user=moreau).exists()
    assert not moreau.groups.filter(scope__isnull=False).exists()
    news.refresh_from_db()
    other.refresh_from_db()
    assert news.owner == lefevre
    assert other.owner == lefevre
    assert not other.locked
    departure = Departure.objects.get(user=moreau)
    assert departure.handed_over_to == lefevre
    assert departure.pages_handed_over == 2
    entries = ModelLogEntry.objects.filter(
        action="ent.account.departure", object_id=str(moreau.pk)
    )
    assert entries.count() == 1
    assert entries.get().user == team
    assert "Isabelle Moreau" in listing
    assert "04/04/2027" in listing

    run_on(NOTICE_DAY)
    assert [message.to for message in mail.outbox] == [[moreau.email]]
    assert "Vous avez quitté votre école le 04/01/2027" in mail.outbox[0].body
    # Something of theirs again (a page owned since): the account waits.
    Page.objects.filter(pk=news.pk).update(owner=moreau)
    summary = run_on(DELETION_DAY)
    assert "pages encore à transmettre" in summary
    assert get_user_model().objects.filter(pk=moreau.pk).exists()
    Page.objects.filter(pk=news.pk).update(owner=lefevre)
    summary = run_on(DELETION_DAY + datetime.timedelta(days=1))
    assert "1 compte supprimé" in summary
    assert not get_user_model().objects.filter(pk=moreau.pk).exists()
    news.refresh_from_db()
    assert news.owner == lefevre


def test_the_teams_departure_screens_are_in_french(client):
    from departures.staff import staff_left

    staff_left(user("ens.garnier"), successor=user("dir.lefevre"))
    leave("Jules")
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=1)):
        call_command("apply_departures", stdout=io.StringIO())
    login(client, "ien.dubois")
    for url in ("/admin/departs/", "/admin/departs/personnel/"):
        response = client.get(url)
        assert response.status_code == 200
        texts = ScreenText(response.content.decode()).texts
        assert not english_on(texts), (url, english_on(texts))
        assert not broken_french(texts), (url, broken_french(texts))
    listing = client.get("/admin/departs/").content.decode()
    assert "Membre du personnel parti" in listing
    assert "Famille sans plus aucun enfant dans la circonscription" in listing
    # Bad input: a person who is not staff, an impossible id; nothing changes.
    for person in (user("famille.martin").pk, 10**20):
        response = client.post(
            "/admin/departs/personnel/",
            {"person": person, "left_on": "2026-12-01"},
        )
        assert response.status_code == 200
        assert "Sélectionnez un choix valide" in response.content.decode()
    assert Departure.objects.count() == 2


def test_a_teacher_who_left_and_has_a_child_here_stays_a_family():
    from departures.staff import staff_left

    garnier = user("ens.garnier")
    Pupil.objects.get(first_name="Inès").families.add(garnier)
    staff_left(garnier, successor=user("dir.lefevre"), on=LEFT_ON)
    assert not Membership.objects.filter(user=garnier, role="teacher").exists()
    summary = run_on(DELETION_DAY)
    assert "1 compte conservé" in summary
    assert get_user_model().objects.filter(pk=garnier.pk).exists()
    assert not Departure.objects.filter(user=garnier).exists()
    assert mail.outbox == []


def test_a_departed_pupil_is_deleted_three_months_on_with_or_without_a_family():
    from departures.access import pupil_left

    team = user("ien.dubois")
    martin = user("famille.martin")
    lea = Pupil.objects.get(first_name="Léa", families=martin)
    ines = Pupil.objects.get(first_name="Inès")  # no family account
    assert not ines.families.exists()
    with time_machine.travel(datetime.datetime.combine(LEFT_ON, datetime.time(9))):
        pupil_left(lea, by=team, reason="Déménagement")
        pupil_left(ines, by=team, reason="Déménagement")

    run_on(DELETION_DAY - datetime.timedelta(days=1))
    assert Pupil.objects.filter(pk__in=[lea.pk, ines.pk]).count() == 2

    out = run_on(DELETION_DAY)
    assert "2 élèves partis supprimés" in out
    assert not Pupil.objects.filter(pk__in=[lea.pk, ines.pk]).exists()
    # Martin still has Tom: his account stays, Léa's consents are gone.
    assert get_user_model().objects.filter(pk=martin.pk).exists()
    assert list(martin.children.values_list("first_name", flat=True)) == ["Tom"]
    entry = ModelLogEntry.objects.get(
        action="ent.pupil.deleted", object_id=str(ines.pk)
    )
    assert entry.data["reason"] == "Parti de la circonscription le 04/01/2027"


def test_a_pupil_deleted_by_the_director_leaves_as_one_who_left(client):
    dupuis = user("famille.dupuis")
    chloe = Pupil.objects.get(first_name="Chloé", families=dupuis)
    classroom = chloe.classroom
    login(client, "famille.dupuis")
    assert client.get(classroom.url).status_code == 200
    record(chloe, "ent.consent.given")
    assert ModelLogEntry.objects.filter(label="Chloé D.").exists()

    login(client, "dir.lefevre")
    response = client.post(f"/admin/pupils/delete/{chloe.pk}/")
    assert response.status_code == 302
    assert not Pupil.objects.filter(pk=chloe.pk).exists()

    # The family's access ends at once; with no child left, it is departing.
    assert not Membership.objects.filter(user=dupuis).exists()
    login(client, "famille.dupuis")
    assert client.get(classroom.url).status_code == 403
    assert Departure.objects.get(user=dupuis).left_on == datetime.date.today()
    # The log keeps what happened to the pupil, not her name.
    assert not ModelLogEntry.objects.filter(label="Chloé D.").exists()
