"""After a session: the team shares its resources and sends the feedback
form; participants answer it anonymously; the team reads the results."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from training import followup
from training.access import managed_session, session_for
from training.models import FeedbackAnswer


@require_POST
@login_required
def share_resources(request, session_id):
    """Team: e-mail the registered participants the shared resources not
    sent yet."""
    session = managed_session(request, session_id)
    last = followup.last_sending(session)
    count = followup.share_resources(session)
    if count:
        messages.success(
            request,
            _("The resources were sent to the registered participants."),
        )
    elif last:
        messages.info(
            request,
            _("Already sent on %(date)s; no resource was added since.")
            % {"date": date_format(timezone.localtime(last), "DATETIME_FORMAT")},
        )
    else:
        messages.error(request, _("Add resources of the library to the session first."))
    return redirect(session.url)


@require_POST
@login_required
def send_feedback(request, session_id):
    """Team: e-mail the feedback form's link to the participants, once."""
    session = managed_session(request, session_id)
    if session.feedback_sent_at:
        messages.info(
            request,
            _("The form was already sent on %(date)s.")
            % {
                "date": date_format(
                    timezone.localtime(session.feedback_sent_at), "DATETIME_FORMAT"
                )
            },
        )
        return redirect(session.url)
    if not session.dates.filter(start__lte=timezone.now()).exists():
        messages.error(request, _("The session has not taken place yet."))
        return redirect(session.url)
    count = followup.send_feedback_form(session)
    if count is None:
        messages.info(request, _("The form was already sent."))
    else:
        messages.success(
            request,
            _("The form was sent to %(count)s participant(s).") % {"count": count},
        )
    return redirect(session.url)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How useful was this session for your class?"),
        choices=FeedbackAnswer.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    liked = forms.CharField(
        label=gettext_lazy("What will you use in your class?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    improve = forms.CharField(
        label=gettext_lazy("What could be better?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@login_required
def feedback(request, session_id):
    """A participant's anonymous answer, once."""
    session = session_for(request, session_id)
    if not followup.may_give_feedback(session, request.user):
        raise PermissionDenied
    context = {"page": session, "session": session}
    if followup.has_given_feedback(session, request.user):
        return render(request, "training/feedback_given.html", context)
    if followup.feedback_closed(session):
        return render(
            request, "training/feedback_given.html", {**context, "closed": True}
        )
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        followup.give_feedback(session, request.user, **form.cleaned_data)
        return render(request, "training/feedback_given.html", context)
    return render(request, "training/feedback.html", {**context, "form": form})


@login_required
def feedback_results(request, session_id):
    """Team: the number of answers; the counts of each rating and the texts
    once the form is closed with enough answers for nobody to be
    recognised."""
    session = managed_session(request, session_id)
    return render(
        request,
        "training/feedback_results.html",
        {
            "page": session,
            "session": session,
            "texts_from": followup.TEXTS_FROM,
            **followup.feedback_results(session),
        },
    )
