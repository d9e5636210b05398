from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from security.lockouts import current_lockouts, unlock
from visibility.team import TeamAdminView, require_team

KINDS = ("username", "ip_address")


def cooloff_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class LockoutListView(TeamAdminView, TemplateView):
    """The accounts and addresses currently refused at login, for the
    district team, each with a button that unlocks it."""

    template_name = "security/lockouts.html"
    page_title = gettext_lazy("Locked logins")
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = [
            (_("Accounts"), current_lockouts("username"), _("No account is locked.")),
            (
                _("Addresses"),
                current_lockouts("ip_address"),
                _("No address is locked."),
            ),
        ]
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["minutes"] = cooloff_minutes()
        return context


@require_POST
def unlock_view(request):
    require_team(request.user)
    kind = request.POST.get("kind", "")
    value = request.POST.get("value", "").strip()
    if kind not in KINDS or not value:
        messages.error(
            request, _("Nothing to unlock: choose an account or an address.")
        )
    elif unlock(kind, value):
        messages.success(request, _("“%(value)s” may log in again.") % {"value": value})
    else:
        messages.warning(request, _("“%(value)s” was not locked.") % {"value": value})
    return redirect("security_lockouts")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a refused login (``AXES_LOCKOUT_CALLABLE``): the
    same French page and status whoever is named, existing or not."""
    return render(
        request,
        "security/locked_out.html",
        {"minutes": cooloff_minutes()},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
