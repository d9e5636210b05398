"""« Demandes d'effacement »: the district team confirms or refuses each
person's request to have their account erased. The team only: anyone else
gets a 404 (and school staff never reach it: ``home.admin_access``)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from departures.staff import still_owns_something
from rights.erasure import confirm_erasure, refuse_erasure
from rights.models import ErasureRequest
from visibility.team import TeamAdminView, require_team

TITLE = gettext_lazy("Erasure requests")
# The decided requests listed below the pending ones.
RECENT = 20


class ErasureRequestsView(TeamAdminView, TemplateView):
    template_name = "rights/admin/erasure_requests.html"
    page_title = TITLE
    header_icon = "bin"

    def get_context_data(self, **kwargs):
        requests = ErasureRequest.objects.select_related("user", "decided_by")
        Status = ErasureRequest.Status
        return super().get_context_data(
            pending=requests.filter(status=Status.REQUESTED).order_by(
                "requested_at", "pk"
            ),
            decided=requests.exclude(status=Status.REQUESTED).order_by(
                "-decided_at", "-pk"
            )[:RECENT],
            **kwargs,
        )


def team_request(request, request_id):
    require_team(request.user)
    return get_object_or_404(
        ErasureRequest.objects.select_related("user"), pk=request_id
    )


@require_POST
def confirm(request, request_id):
    erasure = team_request(request, request_id)
    if erasure.user_id == request.user.pk:
        messages.error(
            request, _("Another member of the team must decide on your own request.")
        )
    elif erasure.user is not None and still_owns_something(erasure.user):
        messages.error(
            request,
            _(
                "This person still owns pages, photos or documents: record their "
                "departure in « Départs », which hands them over, then erase "
                "the account."
            ),
        )
    elif confirm_erasure(erasure, request.user):
        messages.success(
            request,
            _("The account has been erased (%(label)s).")
            % {"label": erasure.account_label()},
        )
    else:
        messages.error(request, _("This request has already been decided."))
    return redirect("erasure_requests")


@require_POST
def refuse(request, request_id):
    erasure = team_request(request, request_id)
    reason = request.POST.get("reason", "").strip()[:2000]
    if erasure.user_id == request.user.pk:
        messages.error(
            request, _("Another member of the team must decide on your own request.")
        )
    elif not reason:
        messages.error(
            request, _("Say why the request is refused: the person will read it.")
        )
    elif refuse_erasure(erasure, request.user, reason):
        messages.success(
            request,
            _("The request has been refused and the person told why."),
        )
    else:
        messages.error(request, _("This request has already been decided."))
    return redirect("erasure_requests")
