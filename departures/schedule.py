"""The daily round of departures (``manage.py apply_departures``): find the
families with no child left in the district, send each the notice
``ENT_DEPARTURE_NOTICE_DAYS`` before the deletion, and delete the accounts
whose day has come, ``ENT_DEPARTURE_DAYS`` after the departure (arrêté ENT,
art. 6). Staff whose departure the team recorded (``departures.staff``) get
the same notice, and their account goes once nothing is theirs any more.
Safe to run any number of times a day: what was done is stored."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership
from audit.log import record
from departures.deletion import delete_account
from departures.models import Departure
from departures.staff import STAFF_ROLES, still_owns_something
from visibility.audience import DISTRICT_TEAM_GROUP


@dataclass
class Round:
    """What one run did, for its summary."""

    departing: int = 0
    back: int = 0
    notices: list = field(default_factory=list)
    deleted: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    pupils_deleted: int = 0


def families_with_no_child_left():
    """Accounts linked to children who have all left the district, with the
    latest departure as ``last_left_on``. Staff and the team are never among
    them: their accounts follow their own departure."""
    return (
        families_only(get_user_model().objects.filter(children__isnull=False))
        .exclude(children__left_on__isnull=True)
        .annotate(last_left_on=Max("children__left_on"))
    )


def families_only(users):
    """``users`` who are only families: no staff membership, not of the
    team, no administrator."""
    return (
        users.exclude(memberships__role__in=STAFF_ROLES)
        .exclude(groups__name=DISTRICT_TEAM_GROUP)
        .exclude(is_superuser=True)
        .exclude(is_staff=True)
    )


def has_a_child_present(user):
    return user.children.filter(left_on__isnull=True).exists()


def update_family_departures(round_):
    """Create or move the departures of families, and forget those of people
    who are back: anyone with a child in the district again (a member of
    staff who left stays a family), or a teaching or directing membership."""
    for user in families_with_no_child_left():
        departure, created = Departure.objects.get_or_create(
            user=user,
            defaults={"kind": Departure.Kind.FAMILY, "left_on": user.last_left_on},
        )
        if created:
            round_.departing += 1
        elif departure.kind == Departure.Kind.FAMILY and (
            departure.left_on != user.last_left_on
        ):
            # Another child left later: the three months start again.
            departure.left_on, departure.notice_sent_on = user.last_left_on, None
            departure.save(update_fields=["left_on", "notice_sent_on"])
    for departure in Departure.objects.select_related("user"):
        user = departure.user
        staff_again = Membership.objects.filter(user=user, role__in=STAFF_ROLES)
        back = staff_again.exists() or has_a_child_present(user)
        if back:
            departure.delete()
            round_.back += 1


def notice_email(departure):
    user = departure.user
    context = {
        "user": user,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "deleted_on": departure.deletion_due_on,
        "left_on": departure.left_on,
        "family": departure.kind == Departure.Kind.FAMILY,
        "url": settings.WAGTAILADMIN_BASE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(site)s: your account will be deleted on %(date)s") % {
            "site": settings.WAGTAIL_SITE_NAME,
            "date": departure.deletion_due_on.strftime("%d/%m/%Y"),
        }
        body = render_to_string("departures/email/notice.txt", context)
    return mail.EmailMessage(subject, body, to=[user.email])


def send_notice(departure, today):
    """Send the notice once; an account without an e-mail address gets none,
    which the log says."""
    with transaction.atomic():
        departure = Departure.objects.select_for_update().get(pk=departure.pk)
        if departure.notice_sent_on is not None:
            return False
        # The date is stored after the mail is sent: a failure leaves it to
        # the next run; a crash in between at worst sends it twice.
        departure.notice_sent_on = today
        if departure.user.email:
            notice_email(departure).send()
        departure.save(update_fields=["notice_sent_on"])
        record(
            departure.user,
            "ent.account.notice",
            reason=_("Deletion planned on %(date)s")
            % {"date": departure.deletion_due_on.strftime("%d/%m/%Y")},
            deletion_on=departure.deletion_due_on.isoformat(),
            emailed=bool(departure.user.email),
        )
    return True


def apply_departures(today=None):
    """One daily round; returns what it did (``Round``)."""
    today = today or datetime.date.today()
    round_ = Round()
    update_family_departures(round_)
    for departure in Departure.objects.select_related("user"):
        user = departure.user
        if departure.notice_sent_on is None and today >= departure.notice_due_on:
            if send_notice(departure, today):
                round_.notices.append(user.get_username())
            departure.refresh_from_db()
        if today < departure.deletion_due_on:
            continue
        if departure.kind == Departure.Kind.STAFF and still_owns_something(user):
            round_.waiting.append(user.get_username())
            continue
        reason = (
            _("No child left in the district since %(date)s")
            if departure.kind == Departure.Kind.FAMILY
            else _("Left the school on %(date)s")
        ) % {"date": departure.left_on.strftime("%d/%m/%Y")}
        name = user.get_username()
        delete_account(user, reason=reason)
        round_.deleted.append(name)
    round_.pupils_deleted = delete_departed_pupils(today)
    return round_


def delete_departed_pupils(today):
    """Pupils who left ``ENT_DEPARTURE_DAYS`` ago or more: deleted, with
    their consents and their names on photos, unless a family account of
    theirs is itself departing (the child then goes with that account, when
    its notice has run)."""
    from pupils.models import Pupil

    limit = today - datetime.timedelta(days=settings.ENT_DEPARTURE_DAYS)
    gone = 0
    for pupil in Pupil.objects.filter(left_on__lte=limit).exclude(
        families__departure__isnull=False
    ):
        with transaction.atomic():
            record(
                pupil,
                "ent.pupil.deleted",
                reason=_("Left the district on %(date)s")
                % {"date": pupil.left_on.strftime("%d/%m/%Y")},
            )
            pupil.delete()
        gone += 1
    return gone
