"""Each teacher's hours against the 18 due: the sums, « Mes heures de
formation » and outside hours, the follow-up of directors and the team
(with its CSV and reminders) and who sees whose hours."""

import csv
import datetime
import decimal
import html
import io
from zoneinfo import ZoneInfo

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from accounts.models import Membership
from schools.models import SchoolPage
from tests.conftest import login, user
from tests.english import ScreenText, broken_french, english_on
from tests.factories import TrainingSessionPageFactory
from training.hours import expected_by, hours_of, hours_table, staff_memberships
from training.models import (
    Attendance,
    ExternalHours,
    Registration,
    TrainingIndexPage,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MARCH = datetime.datetime(2027, 3, 15, 10, tzinfo=PARIS)
SEPTEMBER = datetime.datetime(2026, 9, 1, 10, tzinfo=PARIS)


def attended(username, *dates):
    """``username`` attended a session on ``dates`` ((start, hours) pairs)."""
    session = TrainingSessionPageFactory(
        parent=TrainingIndexPage.objects.get(), dates=list(dates)
    )
    registration = Registration.objects.create(
        session=session, user=user(username), status="registered"
    )
    for date in session.dates.all():
        Attendance.objects.create(registration=registration, date=date, present=True)
    return session


def outside(username, hours, status="validated", done_on=datetime.date(2027, 1, 10)):
    return ExternalHours.objects.create(
        user=user(username),
        title="Parcours M@gistère",
        done_on=done_on,
        hours=hours,
        status=status,
    )


@pytest.fixture
def no_demo_hours(db):
    """A blank slate for hours: the demo's attendance and outside hours
    removed, so each person's figures are those of the rows the test makes."""
    Attendance.objects.all().delete()
    ExternalHours.objects.all().delete()


def staff_of(slug):
    return set(
        Membership.objects.filter(
            school__slug=slug, role__in=["teacher", "director"]
        ).values_list("user__username", flat=True)
    )


@pytest.mark.usefixtures("no_demo_hours")
def test_hours_count_attended_dates_and_validated_outside_hours_of_the_year():
    attended(
        "ens.moreau",
        (datetime.datetime(2026, 10, 5, 9, tzinfo=PARIS), 3),
        (datetime.datetime(2025, 10, 6, 9, tzinfo=PARIS), 2),  # last year
    )
    outside("ens.moreau", decimal.Decimal("1.5"))
    outside("ens.moreau", 2, status="pending")
    outside("ens.moreau", 4, status="refused")
    assert hours_of(user("ens.moreau"), "2026-2027") == decimal.Decimal("4.5")
    assert hours_of(user("ens.moreau"), "2025-2026") == 2
    assert hours_of(user("ens.garnier"), "2026-2027") == 0


@pytest.mark.usefixtures("no_demo_hours")
def test_the_table_takes_the_same_queries_for_a_school_or_the_district():
    attended("ens.moreau", (datetime.datetime(2026, 10, 5, 9, tzinfo=PARIS), 3))
    outside("ens.benoit", 2, status="pending")
    school = SchoolPage.objects.get(slug="jules-ferry")
    with CaptureQueriesContext(connection) as one_school:
        rows = hours_table(staff_memberships([school]), "2026-2027")
    with CaptureQueriesContext(connection) as district:
        every_row = hours_table(staff_memberships(), "2026-2027")
    assert len(one_school) == len(district) == 3
    assert {row.user.username for row in rows} == staff_of("jules-ferry")
    by_name = {row.user.username: row for row in every_row}
    assert by_name["ens.moreau"].validated == 3
    assert by_name["ens.moreau"].remaining == 15
    assert by_name["ens.benoit"].pending == 2
    assert by_name["ens.benoit"].validated == 0


def test_the_hours_expected_grow_from_september_to_june():
    assert expected_by(datetime.date(2026, 9, 1)) == 0
    assert expected_by(datetime.date(2027, 3, 15)) == decimal.Decimal("11.6")
    assert expected_by(datetime.date(2027, 6, 30)) == 18
    assert expected_by(datetime.date(2027, 8, 20)) == 18


@time_machine.travel(MARCH, tick=False)
@pytest.mark.usefixtures("no_demo_hours")
def test_a_teacher_sees_their_hours_and_declares_outside_hours(client):
    session = attended(
        "ens.moreau", (datetime.datetime(2026, 10, 5, 9, tzinfo=PARIS), 3)
    )
    outside("ens.moreau", decimal.Decimal("4.5"))
    refused = outside("ens.moreau", 2, status="refused")
    refused.reason = "Formation hors temps de service"
    refused.save()
    login(client, "ens.moreau")
    assert "Mes heures de formation" in client.get("/mon-compte/").content.decode()
    page = client.get("/formations/mes-heures/").content.decode()
    assert "7,5 h sur 18 h cette année" in page
    assert session.title in page
    assert f"/formations/{session.pk}/attestation.pdf" in page
    assert "validées" in page and "refusées" in page
    assert "Formation hors temps de service" in page

    declared = {"title": "Le jeu en maternelle", "done_on": "2027-02-01", "hours": "3"}
    response = client.post("/formations/mes-heures/", declared, follow=True)
    assert "Vos heures sont déclarées" in response.content.decode()
    response = client.post("/formations/mes-heures/", declared, follow=True)
    assert "Ces heures sont déjà déclarées." in response.content.decode()
    declaration = ExternalHours.objects.get(title="Le jeu en maternelle")
    assert declaration.status == "pending"
    assert "en attente" in response.content.decode()
    # Written as French people write it.
    client.post(
        "/formations/mes-heures/",
        {"title": "Atelier à distance", "done_on": "2027-02-02", "hours": "1,5"},
    )
    assert ExternalHours.objects.get(title="Atelier à distance").hours == 1.5

    for bad, message in [
        ({"hours": "20"}, "18"),
        ({"hours": "0"}, "0,5"),
        ({"hours": "1.3"}, "Comptez par demi-heures."),
        ({"done_on": "2026-06-01"}, "Indiquez une date de cette année scolaire."),
        ({"done_on": "2027-04-01"}, "Indiquez la date d'une formation déjà suivie."),
        ({"title": ""}, "Champ requis."),
    ]:
        response = client.post(
            "/formations/mes-heures/", {**declared, "title": "Autre", **bad}
        )
        assert response.status_code == 200
        assert message in html.unescape(response.content.decode())
    assert ExternalHours.objects.filter(user=user("ens.moreau")).count() == 4


@pytest.mark.parametrize("username", ["famille.martin", "cpc.marchand"])
def test_my_hours_are_for_teachers_and_directors(client, username):
    login(client, username)
    assert client.get("/formations/mes-heures/").status_code == 404
    assert "Mes heures de formation" not in client.get("/mon-compte/").content.decode()


def test_visitors_are_sent_to_the_login_page(client):
    for path in ("mes-heures/", "suivi/", "heures-externes/"):
        assert client.get(f"/formations/{path}").status_code == 302


@pytest.mark.usefixtures("no_demo_hours")
def test_a_director_follows_their_schools_staff_only(client):
    attended("ens.garnier", (datetime.datetime(2026, 10, 5, 9, tzinfo=PARIS), 3))
    outside("ens.roux", 2, status="pending")
    login(client, "dir.lefevre")
    other = SchoolPage.objects.get(slug="les-coquelicots")
    for path in ("/formations/suivi/", f"/formations/suivi/?ecole={other.pk}"):
        page = client.get(path).content.decode()
        for username in staff_of("jules-ferry"):
            assert user(username).last_name in page
        for username in staff_of("les-coquelicots") | staff_of("marie-curie"):
            assert user(username).last_name not in page
    response = client.get("/formations/suivi/?format=csv")
    rows = list(
        csv.reader(io.StringIO(response.content.decode("utf-8")), delimiter=";")
    )
    assert response.content.startswith("\ufeff".encode())
    assert rows[0] == [
        "\ufeffNom",
        "École",
        "Heures validées",
        "Heures externes en attente",
        "Reste jusqu'à 18 h",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    assert len(by_name) == len(staff_of("jules-ferry"))
    assert by_name["Garnier Thomas"][2:] == ["3", "0", "15"]
    assert by_name["Roux Nathalie"][2:] == ["0", "2", "18"]
    school = SchoolPage.objects.get(slug="jules-ferry")
    assert by_name["Garnier Thomas"][1] == school.title


def test_the_team_follows_the_district_and_filters_a_school(client):
    login(client, "ien.dubois")
    page = client.get("/formations/suivi/").content.decode()
    for username in staff_of("jules-ferry") | staff_of("les-coquelicots"):
        assert user(username).last_name in page
    other = SchoolPage.objects.get(slug="les-coquelicots")
    page = client.get(f"/formations/suivi/?ecole={other.pk}").content.decode()
    assert "Benoît" in page and "Garnier" not in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    f"/formations/suivi/?ecole={other.pk}&format=csv"
                ).content.decode("utf-8")
            ),
            delimiter=";",
        )
    )
    assert len(rows) - 1 == len(staff_of("les-coquelicots"))


@pytest.mark.parametrize("username", ["ens.moreau", "famille.martin"])
def test_teachers_and_families_follow_nobody(client, username):
    login(client, username)
    assert client.get("/formations/suivi/").status_code == 404
    assert client.get("/formations/suivi/?format=csv").status_code == 404
    assert client.post("/formations/suivi/relancer/").status_code == 404
    assert client.get("/formations/heures-externes/").status_code == 404
    assert not mail.outbox


def remind(client, captured):
    with captured(execute=True):
        return client.post("/formations/suivi/relancer/", follow=True)


@pytest.mark.usefixtures("no_demo_hours")
def test_reminders_go_to_the_people_behind_once_a_week(
    client, django_capture_on_commit_callbacks
):
    outside("ens.moreau", 13)  # ahead: 11.6 hours are due by mid-March
    behind = staff_of("jules-ferry") - {"ens.moreau"}
    with time_machine.travel(SEPTEMBER, tick=False):
        login(client, "dir.lefevre")
        page = remind(client, django_capture_on_commit_callbacks).content.decode()
        assert "Relances : 0 courriel envoyé, 0 personne non relancée" in page
    assert not mail.outbox

    with time_machine.travel(MARCH, tick=False):
        login(client, "dir.lefevre")
        page = remind(client, django_capture_on_commit_callbacks).content.decode()
        assert f"Relances : {len(behind)} courriels envoyés" in page
        assert {message.to[0] for message in mail.outbox} == {
            user(username).email for username in behind
        }
        message = mail.outbox[0]
        assert "vos heures de formation" in message.subject
        assert "sur les 18 heures dues" in message.body
        assert "/formations/mes-heures/" in message.body
        page = remind(client, django_capture_on_commit_callbacks).content.decode()
        assert f"0 courriel envoyé, {len(behind)} personnes non relancées" in page
        assert len(mail.outbox) == len(behind)

    with time_machine.travel(MARCH + datetime.timedelta(days=8), tick=False):
        login(client, "ien.dubois")
        school = SchoolPage.objects.get(slug="jules-ferry")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/formations/suivi/relancer/?ecole={school.pk}")
        assert len(mail.outbox) == 2 * len(behind)


@pytest.mark.usefixtures("no_demo_hours")
def test_the_team_validates_or_refuses_outside_hours(
    client, django_capture_on_commit_callbacks
):
    first = outside("ens.moreau", 3, status="pending")
    second = outside("ens.garnier", 2, status="pending")
    for username in ("dir.lefevre", "ens.moreau"):
        login(client, username)
        assert client.get("/formations/heures-externes/").status_code == 404
    login(client, "cpc.marchand")
    page = client.get("/formations/heures-externes/").content.decode()
    assert "Isabelle Moreau" in page and "Thomas Garnier" in page
    assert "Parcours M@gistère" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/formations/heures-externes/",
            {"declaration": second.pk, "decision": "refuser", "reason": " "},
            follow=True,
        )
    assert "Indiquez le motif du refus." in response.content.decode()
    second.refresh_from_db()
    assert second.status == "pending" and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/formations/heures-externes/",
            {"declaration": first.pk, "decision": "valider"},
        )
        client.post(
            "/formations/heures-externes/",
            {"declaration": second.pk, "decision": "refuser", "reason": "Hors sujet"},
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "validated" and second.status == "refused"
    assert first.decided_by == user("cpc.marchand") and first.decided_at
    assert second.reason == "Hors sujet"
    assert [message.to for message in mail.outbox] == [
        [user("ens.moreau").email],
        [user("ens.garnier").email],
    ]
    assert "sont validées" in mail.outbox[0].body
    assert "Motif : Hors sujet" in mail.outbox[1].body

    decided_at = first.decided_at
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/formations/heures-externes/",
            {"declaration": first.pk, "decision": "refuser", "reason": "Non"},
            follow=True,
        )
    assert "Cette déclaration a déjà été traitée." in response.content.decode()
    first.refresh_from_db()
    assert first.status == "validated" and first.decided_at == decided_at
    assert len(mail.outbox) == 2
    assert "Parcours" not in client.get("/formations/heures-externes/").content.decode()


def test_the_screens_are_in_french(client):
    outside("ens.moreau", 3, status="pending")
    for username, path in [
        ("ens.moreau", "/formations/mes-heures/"),
        ("dir.lefevre", "/formations/suivi/"),
        ("ien.dubois", "/formations/suivi/"),
        ("cpc.marchand", "/formations/heures-externes/"),
    ]:
        login(client, username)
        screen = ScreenText(client.get(path).content.decode())
        assert not english_on(screen.texts), (path, english_on(screen.texts))
        assert not broken_french(screen.texts), path


def test_the_teams_admin_menu_leads_to_the_follow_up(client):
    login(client, "cpc.marchand")
    assert "/formations/suivi/" in client.get("/admin/").content.decode()
    login(client, "dir.lefevre")
    assert "/formations/suivi/" not in client.get("/admin/").content.decode()


@time_machine.travel(MARCH, tick=False)
@pytest.mark.usefixtures("no_demo_hours")
def test_a_session_closed_to_a_teacher_counts_without_its_title(client):
    session = attended(
        "ens.moreau", (datetime.datetime(2026, 10, 5, 9, tzinfo=PARIS), 2)
    )
    session.title = "Réservé aux directions"
    session.audience = "directors"
    session.save()
    login(client, "ens.moreau")
    page = client.get("/formations/mes-heures/").content.decode()
    assert "2 h sur 18 h cette année" in page
    assert "Réservé aux directions" not in page
    assert "Une formation qui ne vous est plus ouverte" in page
