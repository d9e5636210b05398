"""Activating an account on the public site: from the link of the e-mail,
or with the username and one-time code of a login sheet. Both end on
Django's ``SetPasswordForm`` (the password rules of the settings apply),
sign the person in and open « Mon fil »."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from axes.helpers import get_client_ip_address

from invitations.forms import CodeForm
from invitations.models import Invitation, not_activated
from invitations.tokens import code_matches, invitation_token

LOGIN_BACKEND = "visibility.backends.AccessBackend"
CODE_SESSION_KEY = "invitation_code"


def welcome(request):
    messages.success(
        request,
        _(
            "Your account is activated. Welcome! From now on, sign in with your "
            "username and the password you chose."
        ),
    )


class InvitationConfirmView(PasswordResetConfirmView):
    """The link of the e-mail (Django's reset view with the invitation's
    token, which hides the token from the address once read)."""

    template_name = "invitations/choose_password.html"
    token_generator = invitation_token
    reset_url_token = "mot-de-passe"  # noqa: S105 (a URL segment)
    post_reset_login = True
    post_reset_login_backend = LOGIN_BACKEND
    success_url = reverse_lazy("my_feed")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not user.is_active:
            return None
        return user

    def form_valid(self, form):
        response = super().form_valid(form)
        welcome(self.request)
        return response


# Brute force: failures are counted in the cache by address and by
# username, with the login lockout's limits (django-axes); the answer is
# the same whether the username exists or not.


def failure_keys(request, username):
    address = get_client_ip_address(request) or "unknown"
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return [
        f"invitations:code-failures:ip:{address}",
        f"invitations:code-failures:user:{name}",
    ]


def locked(keys):
    limit = settings.AXES_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in keys)


def count_failure(keys):
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    for key in keys:
        if cache.add(key, 1, timeout):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout)


def find_invitation(username, code):
    user = not_activated().filter(username__iexact=username.strip()).first()
    invitation = Invitation.objects.filter(user=user).first() if user else None
    return invitation if code_matches(invitation, code) else None


@never_cache
@sensitive_post_parameters("code")
def activate_with_code(request):
    """« Activer mon compte »: the username and code of a login sheet."""
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        keys = failure_keys(request, form.cleaned_data["username"])
        if locked(keys):
            form.add_error(
                None,
                _(
                    "Too many attempts. Wait %(minutes)d minutes and try again, or "
                    "ask the school for help."
                )
                % {"minutes": settings.AXES_COOLOFF_TIME.total_seconds() // 60},
            )
            status = 429
        else:
            invitation = find_invitation(
                form.cleaned_data["username"], form.cleaned_data["code"]
            )
            if invitation is None:
                count_failure(keys)
                form.add_error(
                    None,
                    _(
                        "This username and code do not open an account to "
                        "activate. Check them on your sheet; a code works once "
                        "and expires: the school can print you a new sheet."
                    ),
                )
                status = 400
            else:
                request.session[CODE_SESSION_KEY] = {
                    "user": invitation.user_id,
                    "code": invitation.code_hash,
                }
                return redirect("activate_choose_password")
    return render(
        request, "invitations/activate_with_code.html", {"form": form}, status=status
    )


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def choose_password(request):
    """The password, once the code was accepted: the code is used up only
    when the password is saved."""
    pending = request.session.get(CODE_SESSION_KEY) or {}
    user = not_activated().filter(pk=pending.get("user")).first()
    invitation = Invitation.objects.filter(user=user, code_hash=pending.get("code"))
    if user is None or not pending.get("code") or not invitation.exists():
        return render(
            request,
            "invitations/choose_password.html",
            {"validlink": False},
            status=400,
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            used = invitation.update(code_hash="", code_expires_at=None)
            if used:
                form.save()
        request.session.pop(CODE_SESSION_KEY, None)
        if not used:
            return redirect("activate_with_code")
        auth_login(request, user, LOGIN_BACKEND)
        welcome(request)
        return redirect("my_feed")
    return render(
        request,
        "invitations/choose_password.html",
        {"form": form, "validlink": True},
    )
