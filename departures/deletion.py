"""Deleting a person's account: after a departure (``departures``), or on
the erasure a family asked for (``rights``). One way, whatever the cause."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import ModelLogEntry

from audit.log import because, record
from pupils.models import Pupil


def deleted_label(pk):
    from django.utils.translation import gettext

    return gettext("Deleted account no. %(pk)s") % {"pk": pk}


def delete_account(user, *, by=None, reason=""):
    """Delete ``user`` and what is theirs alone: their memberships, read
    marks, notification choice and identities go with the account; their
    children who have left the district and have no other family account go
    too. The audit log keeps that it happened, without the person's name:
    entries about them are relabelled."""
    pk = user.pk
    with transaction.atomic(), because(reason, by):
        gone = list(
            Pupil.objects.filter(families=user, left_on__isnull=False).exclude(
                families__in=get_user_model().objects.exclude(pk=pk)
            )
        )
        for pupil in gone:
            pupil.delete()
        record(user, "ent.account.deleted", user=by, title=deleted_label(pk))
        memberships = list(user.memberships.values_list("pk", flat=True))
        user.delete()
        pseudonymise_log(pk, memberships)
    return pk


def pseudonymise_log(pk, memberships=()):
    """Entries of the audit log about the account ``pk`` (the account itself,
    or one of its memberships or consents, which write ``user_id`` in their
    data) keep their action, date and reason, not the person's name; so do
    Wagtail's own entries about those memberships (``memberships``, and those
    the log knows were theirs), labelled with the name and e-mail."""
    from accounts.models import Membership

    label = deleted_label(pk)
    users = ContentType.objects.get_for_model(get_user_model())
    ModelLogEntry.objects.filter(content_type=users, object_id=str(pk)).update(
        label=label
    )
    theirs = ContentType.objects.get_for_model(Membership)
    known = ModelLogEntry.objects.filter(content_type=theirs, data__user_id=pk)
    ids = {str(each) for each in memberships} | set(
        known.values_list("object_id", flat=True)
    )
    ModelLogEntry.objects.filter(content_type=theirs, object_id__in=ids).update(
        label=label
    )
    ModelLogEntry.objects.filter(data__user_id=pk).update(label=label)
