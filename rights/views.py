"""A person's rights from « Mon compte »: downloading their data, asking for
their account to be erased."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.log import record
from rights.erasure import request_erasure
from rights.export import export_archive
from rights.models import ErasureRequest


@login_required
def my_data(request):
    """The ZIP of everything the ENT holds about the person, streamed."""
    archive = export_archive(request.user)
    record(request.user, "ent.rights.export", user=request.user)
    name = f"mes-donnees-ent-{timezone.localdate().isoformat()}.zip"
    response = FileResponse(archive, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def erasure(request):
    """What erasure does, and the button to ask for it. Asking again while a
    request is pending changes nothing."""
    pending = ErasureRequest.objects.filter(
        user=request.user, status=ErasureRequest.Status.REQUESTED
    ).first()
    if request.method == "POST":
        erasure_request, created = request_erasure(request.user)
        if created:
            messages.success(
                request,
                _(
                    "Your request has been sent to the district team. You will "
                    "receive an e-mail once it is decided."
                ),
            )
        else:
            messages.error(
                request,
                _(
                    "You already asked for your account to be erased on "
                    "%(date)s: the district team has not decided yet."
                )
                % {
                    "date": date_format(
                        timezone.localtime(erasure_request.requested_at)
                    )
                },
            )
        return redirect("my_account")
    return render(request, "rights/erasure.html", {"pending": pending})
