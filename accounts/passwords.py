"""Passwords: the CNIL's composition rule, the « Mot de passe oublié » request
and the e-mail it sends.

The request never tells whether an account exists: every valid address gets
the same answer, at once, and the e-mail (if any) is sent by the
notifications worker, so the answer takes as long for an unknown address as
for a known one. One address gets at most one e-mail per
``RESET_EMAIL_INTERVAL``, silently: the form is no way to flood a mailbox.
"""

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from django_tasks import task

# At most one reset e-mail per address in this time.
RESET_EMAIL_INTERVAL = timedelta(minutes=5)

# The kinds of characters the CNIL counts (accented letters are letters).
KINDS = [
    str.isupper,
    str.islower,
    str.isdigit,
    lambda character: not character.isalnum(),
]
WORD = re.compile(r"[^\W_]+")


class CnilPasswordValidator:
    """The CNIL's recommendation (délibération n° 2022-100): at least
    ``min_length`` characters mixing capitals, small letters, digits and
    special characters; or a passphrase of at least ``passphrase_length``
    characters, made of several words (or mixing three kinds of characters).
    Common passwords and ones too close to the person's name are refused by
    Django's own validators, listed beside this one."""

    def __init__(self, min_length=12, passphrase_length=14):
        self.min_length = min_length
        self.passphrase_length = passphrase_length

    def validate(self, password, user=None):
        kinds = sum(1 for kind in KINDS if any(map(kind, password)))
        if len(password) >= self.min_length and kinds == len(KINDS):
            return
        words = len(WORD.findall(password))
        if len(password) >= self.passphrase_length and (words >= 3 or kinds >= 3):
            return
        raise ValidationError(self.message(), code="password_too_weak")

    def message(self):
        return _(
            "This password is too weak: use at least %(min_length)d characters "
            "mixing capital letters, small letters, digits and special "
            "characters, or a passphrase of at least %(passphrase_length)d "
            "characters made of several words."
        ) % {"min_length": self.min_length, "passphrase_length": self.passphrase_length}

    def get_help_text(self):
        return _(
            "At least %(min_length)d characters mixing capital letters, small "
            "letters, digits and special characters, or a passphrase of at "
            "least %(passphrase_length)d characters made of several words "
            "(for example « quatre chats gris dorment »)."
        ) % {"min_length": self.min_length, "passphrase_length": self.passphrase_length}


class ResetRequestForm(PasswordResetForm):
    """Django's reset form, also for accounts without a password yet.

    Django skips accounts whose password is unusable. Ours are the accounts
    created by an import and not activated yet: the reset link proves that
    its reader holds the account's address, exactly as an invitation does,
    so a family who lost its invitation sets its first password here. The
    link still works once (setting the password changes what it is signed
    with). Inactive accounts never get one.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = gettext_lazy("E-mail address")

    def get_users(self, email):
        from django.contrib.auth import get_user_model

        model = get_user_model()
        field = model.get_email_field_name()
        return (
            user
            for user in model._default_manager.filter(
                **{f"{field}__iexact": email, "is_active": True}
            )
            if getattr(user, field, "").casefold() == email.casefold()
        )


def first_request_in_interval(email):
    """Whether ``email`` asked for no reset e-mail in the last interval (and
    records this request). Known and unknown addresses are counted alike."""
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    return cache.add(
        f"password-reset:{digest}", True, RESET_EMAIL_INTERVAL.total_seconds()
    )


@task(backend="notifications")
def send_reset_email(email, domain, use_https, language, site_name=None):
    """E-mails a reset link to each active account holding ``email`` (none
    if there is no such account), in the site's name."""
    form = ResetRequestForm({"email": email})
    if not form.is_valid():
        return 0
    with translation.override(language):
        users = list(form.get_users(email))
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={
                "site_name": site_name or settings.WAGTAIL_SITE_NAME,
                "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )
    return len(users)
