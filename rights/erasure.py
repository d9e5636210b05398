"""The right to erasure: a person asks, the district team decides.

Confirming takes the photos of the person's children off the pages their
consent no longer covers and their names off the images, then deletes the
account (``departures.deletion.delete_account``). A child who keeps another
family account (the other parent) keeps their names and consents: those are
that family's to decide, and a photo without the child's name would no
longer be checked against any consent. The pupil stays enrolled (the school
holds that from ONDE)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.images import get_image_model

from audit.log import because, record
from departures.deletion import delete_account
from pupils.models import Medium, Pupil, record_consent
from rights.models import ErasureRequest
from visibility.audience import DISTRICT_TEAM_GROUP

Status = ErasureRequest.Status


def request_erasure(user):
    """Record ``user``'s request and tell the team; (request, True). While
    one is pending, nothing changes: (that request, False)."""
    pending = ErasureRequest.objects.filter(user=user, status=Status.REQUESTED)
    if existing := pending.first():
        return existing, False
    try:
        with transaction.atomic():
            erasure = ErasureRequest.objects.create(user=user, account_id=user.pk)
    except IntegrityError:  # the same request, sent twice at once
        return pending.get(), False
    record(erasure, "ent.rights.erasure_requested", user=user, user_id=user.pk)
    tell_the_team(erasure)
    return erasure, True


def team_addresses():
    """The e-mail addresses of the district team's members."""
    return sorted(
        get_user_model()
        .objects.filter(groups__name=DISTRICT_TEAM_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def tell_the_team(erasure):
    """E-mail the district team (or, when none of its members has an
    address, the site's administrators) that a request awaits them. The
    e-mail names nobody: the team reads who in the admin."""
    subject = _("A request to erase an account awaits your decision")
    body = _(
        "Hello,\n\nSomeone asked for their account on the ENT to be erased "
        "(%(request)s). Confirm or refuse it here: %(url)s\n\nThe ENT of the "
        "district"
    ) % {
        "request": erasure,
        "url": settings.WAGTAILADMIN_BASE_URL + reverse("erasure_requests"),
    }
    addresses = team_addresses()
    if addresses:
        mail.EmailMessage(subject, body, to=addresses).send()
    else:
        mail.mail_admins(subject, body)


def confirm_erasure(erasure, team_user):
    """Carry out ``erasure`` in ``team_user``'s name; False when it was
    already decided (a second click changes nothing)."""
    reason = _("Erasure requested by the family")
    with transaction.atomic():
        claimed = ErasureRequest.objects.filter(
            pk=erasure.pk, status=Status.REQUESTED
        ).update(
            status=Status.CONFIRMED, decided_by=team_user, decided_at=timezone.now()
        )
        if not claimed:
            return False
        user = erasure.user
        if user is not None:
            address = user.email
            with because(reason, team_user):
                take_children_off_photos(user, team_user)
            delete_account(user, by=team_user, reason=reason)
            if address:
                tell_the_family_it_is_done(address)
        erasure.refresh_from_db()
        record(
            erasure,
            "ent.rights.erasure_confirmed",
            user=team_user,
            reason=reason,
            user_id=erasure.account_id,
        )
    return True


def take_children_off_photos(user, team_user):
    """For each child of ``user`` with no other family account: withdraw
    their consents (the signals of ``pupils`` take the photos off every
    page at once), then take their name off every image."""
    others = get_user_model().objects.exclude(pk=user.pk)
    alone = list(
        Pupil.objects.filter(families=user).exclude(families__in=others).distinct()
    )
    for pupil in alone:
        # No photos on the ENT means none on the public web either.
        record_consent(pupil, Medium.ENT, False, team_user)
    for pupil in alone:
        for image in get_image_model().objects.filter(pupils=pupil):
            image.pupils.remove(pupil)
    return alone


def tell_the_family_it_is_done(address):
    mail.EmailMessage(
        _("Your account on the ENT has been erased"),
        _(
            "Hello,\n\nAs you asked, your account on the ENT has been erased, "
            "your children's names have been taken off the photos and the "
            "photos showing them off the pages. Your children stay enrolled "
            "in their school.\n\nThe ENT of the district"
        ),
        to=[address],
    ).send()


def refuse_erasure(erasure, team_user, reason):
    """Refuse ``erasure`` for ``reason`` and tell the person why; False when
    it was already decided."""
    claimed = ErasureRequest.objects.filter(
        pk=erasure.pk, status=Status.REQUESTED
    ).update(
        status=Status.REFUSED,
        decided_by=team_user,
        decided_at=timezone.now(),
        reason=reason,
    )
    if not claimed:
        return False
    erasure.refresh_from_db()
    record(
        erasure,
        "ent.rights.erasure_refused",
        user=team_user,
        reason=reason,
        user_id=erasure.account_id,
    )
    if erasure.user is not None and erasure.user.email:
        body = _(
            "Hello,\n\nThe district team has not erased your account on the ENT, "
            "for this reason:\n\n%(reason)s\n\nYou can ask again from « Mon "
            "compte »."
        ) % {"reason": reason}
        if settings.ENT_DPO_CONTACT:
            body += " " + _(
                "You can also write to the data protection officer: %(contact)s."
            ) % {"contact": settings.ENT_DPO_CONTACT}
        body += "\n\n" + _("The ENT of the district")
        mail.EmailMessage(
            _("Your request to erase your account"), body, to=[erasure.user.email]
        ).send()
    return True
