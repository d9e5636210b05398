"""Consents asked again when a school year opens: an e-mail to every family
with a child present in the new year's classes (sent in the background by
the notifications queue), and a task on their « Mon compte » for each child
with no decision recorded this school year."""

import datetime

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from django_tasks import task

from pupils.models import Pupil, without_consent
from schools.models import ClassroomPage


def present_children(school):
    """The pupils present in ``school``: in the new year's classes, or still
    in last year's when the classes were copied and the ONDE file is to
    come."""
    return Pupil.objects.filter(
        classroom__in=ClassroomPage.objects.child_of(school), left_on__isnull=True
    )


def families_to_ask(rollovers):
    """{family: [children]} of the families with a child present in the new
    year of ``rollovers``' schools, who have an e-mail address."""
    families = {}
    for rollover in rollovers:
        children = present_children(rollover.school)
        for child in children.prefetch_related("families").order_by("pk"):
            for family in child.families.all():
                if family.is_active and family.email:
                    families.setdefault(family, []).append(child)
    return families


def consent_email(family, children, rollover):
    context = {
        "family": family,
        "children": children,
        "year": rollover.school_year,
        "opens_on": rollover.opens_on,
        "url": settings.WAGTAILADMIN_BASE_URL + reverse("my_account"),
    }
    return mail.EmailMessage(
        subject=_("Photos of your children: your decisions for %(year)s")
        % {"year": rollover.school_year},
        body=render_to_string("schoolyear/email/consents.txt", context),
        to=[family.email],
    )


@task(backend="notifications")
def request_consents(rollover_ids):
    """E-mail the families of the rollovers ``rollover_ids`` whose consents
    were not asked yet, once each, then mark them asked."""
    from schoolyear.models import Rollover

    rollovers = list(
        Rollover.objects.filter(
            pk__in=rollover_ids,
            applied_at__isnull=False,
            consents_requested_at__isnull=True,
        ).select_related("school")
    )
    if not rollovers:
        return 0
    asked = families_to_ask(rollovers)
    messages = [
        consent_email(family, children, rollovers[0])
        for family, children in asked.items()
    ]
    with mail.get_connection() as connection:
        connection.send_messages(messages)
    Rollover.objects.filter(pk__in=[r.pk for r in rollovers]).update(
        consents_requested_at=timezone.now()
    )
    return len(messages)


def ask_families(rollovers):
    """Queue the consent e-mails of ``rollovers`` just applied: sent on the
    opening date (at 8 a.m.) when it is still to come, so that families
    answer for the new year, else at once (and at once where the task
    backend cannot defer, as in the tests)."""
    opens_on = min(rollover.opens_on for rollover in rollovers)
    queued = request_consents
    if opens_on > timezone.localdate() and queued.get_backend().supports_defer:
        queued = queued.using(
            run_after=timezone.make_aware(
                datetime.datetime.combine(opens_on, datetime.time(8))
            )
        )
    queued.enqueue([rollover.pk for rollover in rollovers])


def consent_tasks(user):
    """The children of ``user`` still present with no decision recorded this
    school year (« À faire » on « Mon compte »)."""
    return (
        without_consent(Pupil.objects.filter(families=user, left_on__isnull=True))
        .select_related("classroom")
        .order_by("first_name")
    )
