"""The secrets of an invitation: the signed link of the e-mail and the
one-time code of the login sheet.

The link is Django's password reset token with its own key salt and
timeout (``INVITATION_DAYS``). Its hash covers the password (any password
chosen voids it) and the date of the last e-mail (a newer invitation voids
it). The code is random, kept as an HMAC only, used once, and expires after
``INVITATION_CODE_DAYS``; printing again replaces it.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int

from invitations.models import Invitation

# No 0/O, 1/I/L: read from paper and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def link_lifetime():
    return timedelta(days=getattr(settings, "INVITATION_DAYS", 14))


def code_lifetime():
    return timedelta(days=getattr(settings, "INVITATION_CODE_DAYS", 60))


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "invitations.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        emailed_at = (
            Invitation.objects.filter(user=user)
            .values_list("emailed_at", flat=True)
            .first()
        )
        sent = int(emailed_at.timestamp()) if emailed_at else ""
        return f"{user.pk}{user.password}{sent}{timestamp}"

    def check_token(self, user, token):
        """Django's check, with the invitation's own lifetime."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(
                self._make_token_with_timestamp(user, timestamp, secret), token
            )
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= link_lifetime().total_seconds()


invitation_token = InvitationTokenGenerator()


def normalized(code):
    """The code as printed, whatever spaces, dashes or case were typed."""
    return "".join(str(code).split()).replace("-", "").upper()


def code_hash(user, code):
    return salted_hmac(
        "invitations.code", f"{user.pk}:{normalized(code)}", algorithm="sha256"
    ).hexdigest()


def issue_code(user, now=None):
    """A new code for ``user``'s login sheet (the previous one stops
    working), as printed: two groups of five characters."""
    now = now or timezone.now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    Invitation.objects.update_or_create(
        user=user,
        defaults={
            "code_hash": code_hash(user, code),
            "code_expires_at": now + code_lifetime(),
            "printed_at": now,
        },
    )
    return f"{code[:5]}-{code[5:]}"


def code_matches(invitation, code):
    return (
        invitation is not None
        and bool(invitation.code_hash)
        and invitation.code_expires_at is not None
        and invitation.code_expires_at > timezone.now()
        and constant_time_compare(
            invitation.code_hash, code_hash(invitation.user, code)
        )
    )
