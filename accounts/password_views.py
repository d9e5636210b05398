"""« Mot de passe oublié » and « Changer mon mot de passe »: Django's views, in
the site's design and at French addresses (ent_site/urls.py)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Site

from accounts.passwords import (
    ResetRequestForm,
    first_request_in_interval,
    send_reset_email,
)


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer for every valid address, known or not: the e-mail is
    queued for the notifications worker, at most once per interval."""

    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if first_request_in_interval(email):
            site = Site.find_for_request(self.request)
            send_reset_email.enqueue(
                site_name=site.site_name if site else None,
                email=email,
                domain=self.request.get_host(),
                use_https=self.request.is_secure(),
                language=get_language(),
            )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    reset_url_token = "nouveau"  # noqa: S105 (a URL segment, not a secret)
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """From « Mon compte »; the session stays open (Django's view calls
    update_session_auth_hash), other sessions of the account are closed."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("my_account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your new password is saved."))
        return response
