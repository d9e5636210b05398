from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pupils.forms import ConsentForm
from pupils.models import Medium, Pupil


@login_required
def my_account(request):
    """A person's account page: their children still in the district and
    the image consents they give or withdraw for them."""
    if request.method == "POST":
        form = ConsentForm(request.POST, family=request.user)
        if form.is_valid():
            consent = form.save()
            if consent.given:
                message = _("Consent recorded for %(pupil)s on %(medium)s.")
            else:
                message = _(
                    "Consent withdrawn for %(pupil)s on %(medium)s: the photos "
                    "concerned have been taken off the pages."
                )
            messages.success(
                request,
                message
                % {"pupil": consent.pupil, "medium": consent.get_medium_display()},
            )
        else:
            messages.error(request, _("This change could not be recorded."))
        return redirect("my_account")

    children = [
        {
            "pupil": pupil,
            "consents": [
                {"medium": medium, "given": pupil.consents(medium, strict=True)}
                for medium in Medium
            ],
        }
        for pupil in Pupil.objects.filter(
            families=request.user, left_on__isnull=True
        ).select_related("classroom")
    ]
    from inbox.models import NotificationChoice

    return render(
        request,
        "pupils/my_account.html",
        {
            "children": children,
            "notification_choices": NotificationChoice.Frequency.choices,
            "notification_frequency": NotificationChoice.of(request.user),
        },
    )


def record_consent_from_list(request, pk):
    """A director records a decision from the pupils listing (« Élèves et
    droit à l'image »): one button per medium and row. A pupil out of their
    school is a 404; bad input changes nothing."""
    from django.db import transaction
    from django.http import Http404
    from django.shortcuts import get_object_or_404
    from django.utils.http import url_has_allowed_host_and_scheme

    from accounts.forms import MAX_ID
    from pupils.forms import manageable_pupils
    from pupils.models import record_consent

    if pk > MAX_ID:
        raise Http404
    pupil = get_object_or_404(manageable_pupils(request.user), pk=pk)
    back = request.POST.get("next", "")
    listing = reverse("pupils:index")
    if not (
        back.startswith(listing)
        and url_has_allowed_host_and_scheme(back, allowed_hosts=None)
    ):
        back = listing
    medium, answer = request.POST.get("medium"), request.POST.get("given")
    if medium not in Medium.values or answer not in ("yes", "no"):
        messages.error(request, _("This change could not be recorded."))
        return redirect(back)
    given = answer == "yes"
    with transaction.atomic():
        consent = record_consent(pupil, medium, given, request.user)
    names = {"pupil": pupil, "medium": Medium(medium).label}
    if consent is None:
        messages.info(
            request, _("Already recorded for %(pupil)s on %(medium)s.") % names
        )
    elif given:
        messages.success(
            request, _("Consent recorded for %(pupil)s on %(medium)s.") % names
        )
    else:
        messages.success(
            request,
            _(
                "Refusal recorded for %(pupil)s on %(medium)s: photos of them no "
                "longer appear there."
            )
            % names,
        )
    return redirect(back)
