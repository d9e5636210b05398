"""The activation e-mails, sent in the background on the notifications
queue (``inbox.notifications`` sends the news there): a director's click
only records who is invited and hands the list to the worker."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from django_tasks import task

from invitations.models import Invitation, not_activated
from invitations.tokens import invitation_token, link_lifetime

logger = logging.getLogger(__name__)

# A second click, or a colleague's, within this time invites nobody twice.
SEND_AGAIN_AFTER = timedelta(minutes=5)


def activation_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("invitation_confirm", args=[uid, invitation_token.make_token(user)])
    return settings.WAGTAILADMIN_BASE_URL + path


def invitation_email(user):
    site_name = settings.WAGTAIL_SITE_NAME
    context = {
        "user": user,
        "site_name": site_name,
        "url": activation_url(user),
        "days": link_lifetime().days,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(site)s: activate your account") % {"site": site_name}
        body = render_to_string("invitations/email/invitation.txt", context)
    return mail.EmailMessage(subject, body, to=[user.email])


def invite(users):
    """Record an invitation for each of ``users`` who is not activated, has
    an e-mail address and was not invited in the last few minutes, and send
    them in the background once the transaction is saved. Returns how many
    are invited."""
    now = timezone.now()
    invitable = not_activated(users).exclude(email="")
    Invitation.objects.bulk_create(
        [Invitation(user_id=pk) for pk in invitable.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )
    with transaction.atomic():
        # Locked, and checked again once locked: of two clicks at once, the
        # second finds them invited by the first.
        candidates = list(
            Invitation.objects.filter(user__in=invitable)
            .filter(
                Q(emailed_at__isnull=True) | Q(emailed_at__lt=now - SEND_AGAIN_AFTER)
            )
            .select_for_update()
            .values_list("user_id", flat=True)
        )
        Invitation.objects.filter(user_id__in=candidates).update(emailed_at=now)
        if candidates:
            transaction.on_commit(partial(send_invitations.enqueue, candidates))
    return len(candidates)


@task(backend="notifications")
def send_invitations(user_ids):
    """E-mail each account of ``user_ids`` still not activated its link."""
    sent = 0
    for user in not_activated().filter(pk__in=user_ids).exclude(email=""):
        try:
            invitation_email(user).send()
        except OSError:
            logger.exception("Invitation to user %s could not be sent", user.pk)
            continue
        sent += 1
    return sent
