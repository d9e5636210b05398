from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pupils.forms import ConsentForm
from pupils.models import Medium, Pupil


@login_required
def my_account(request):
    """A person's account page: their children and the image consents they
    give or withdraw for them."""
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
        for pupil in Pupil.objects.filter(families=request.user).select_related(
            "classroom"
        )
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
