"""A pupil leaving the district: their family's access to that class and
school ends at once, and the departure is in the audit log."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import translation

from wagtail.models import ModelLogEntry

import pytest

from accounts.models import Membership
from departures.access import pupil_left
from pupils.models import Pupil
from visibility.audience import can_view

pytestmark = pytest.mark.django_db


def test_a_leaving_pupil_takes_their_family_out_of_that_class_only():
    martin = get_user_model().objects.get(username="famille.martin")
    admin = get_user_model().objects.get(username="ien.dubois")
    lea = Pupil.objects.get(first_name="Léa", families=martin)
    tom = Pupil.objects.get(first_name="Tom", families=martin)
    left_class = lea.classroom
    assert can_view(martin, left_class)

    assert pupil_left(lea, by=admin, reason="Déménagement")

    lea.refresh_from_db()
    assert lea.left_on == datetime.date.today()
    classes = set(
        Membership.objects.filter(user=martin).values_list("classroom_id", flat=True)
    )
    assert left_class.pk not in classes
    assert tom.classroom_id in classes
    martin = get_user_model().objects.get(pk=martin.pk)  # a new request
    assert not can_view(martin, left_class)
    assert can_view(martin, tom.classroom)

    entry = ModelLogEntry.objects.get(action="ent.pupil.left", object_id=str(lea.pk))
    assert entry.user == admin
    with translation.override("fr"):
        assert entry.message == "Départ d'un élève\u00a0: Déménagement"

    # Twice changes nothing.
    assert not pupil_left(lea, by=admin, reason="Déménagement")
    assert ModelLogEntry.objects.filter(action="ent.pupil.left").count() == 1


def test_deleting_an_account_keeps_the_log_without_the_name():
    from departures.deletion import delete_account

    leroy = get_user_model().objects.get(username="famille.leroy")
    team = get_user_model().objects.get(username="ien.dubois")
    jules = Pupil.objects.get(first_name="Jules", families=leroy)
    pupil_left(jules, by=team, reason="Déménagement")

    pk = delete_account(leroy, by=team, reason="Trois mois après le départ")

    assert not get_user_model().objects.filter(pk=pk).exists()
    assert not Membership.objects.filter(user_id=pk).exists()
    assert not Pupil.objects.filter(pk=jules.pk).exists()
    entry = ModelLogEntry.objects.get(action="ent.account.deleted", object_id=str(pk))
    assert entry.user == team
    assert entry.data["reason"] == "Trois mois après le départ"
    assert not ModelLogEntry.objects.filter(label__icontains="leroy").exists()


def test_wagtails_own_entries_about_a_deleted_persons_memberships_lose_the_name():
    from wagtail.log_actions import log

    from departures.deletion import delete_account

    bernard = get_user_model().objects.get(username="famille.bernard")
    membership = Membership.objects.filter(user=bernard).first()
    # As the members admin writes them: labelled with the person's name (and
    # never the e-mail address).
    log(membership, "wagtail.create")
    assert ModelLogEntry.objects.filter(label__icontains="Bernard").exists()

    delete_account(bernard, reason="Effacement")

    assert not ModelLogEntry.objects.filter(label__icontains=bernard.email).exists()
    assert not ModelLogEntry.objects.filter(label__icontains="Bernard").exists()
