"""The views of attendance and hours: the call on a phone, the attendance
sheet and attestations (PDF), a teacher's own hours and outside trainings,
the follow-up of directors and the team with its CSV and reminders, and
the validation of outside hours by the team."""

import decimal

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from inbox.csv_export import person_name, spreadsheet_download, spreadsheet_safe
from schools.models import SchoolPage, current_school_year
from training import hours as hours_module
from training.access import (
    is_staff_member,
    managed_session,
    manages_training,
    session_for,
)
from training.attendance import (
    attended_dates,
    default_date,
    registered,
    save_call,
    schools_of,
)
from training.models import HOURS_DUE, ExternalHours, TrainingSessionPage
from training.pdf import attendance_sheet as attendance_sheet_pdf
from training.pdf import certificate as certificate_pdf
from visibility.audience import access_for, visible_pages

# The call


@login_required
def attendance(request, session_id):
    """« Faire l'appel »: one date of the session, a toggle per registered
    person."""
    session = managed_session(request, session_id)
    dates = list(session.dates.order_by("start"))
    if not dates:
        raise Http404
    chosen = request.POST.get("date") or request.GET.get("date")
    date = next((d for d in dates if str(d.pk) == chosen), None) if chosen else None
    if chosen and date is None:
        raise Http404
    date = date or default_date(dates)
    if request.method == "POST":
        present_ids = {
            int(value) for value in request.POST.getlist("present") if value.isdigit()
        }
        present, absent = save_call(date, present_ids, request.user)
        messages.success(
            request,
            _("Attendance saved: %(present)s, %(absent)s.")
            % {
                "present": ngettext("%(n)s present", "%(n)s present", present)
                % {"n": present},
                "absent": ngettext("%(n)s absent", "%(n)s absent", absent)
                % {"n": absent},
            },
        )
        url = reverse("training:attendance", args=[session.pk])
        return redirect(f"{url}?date={date.pk}")
    people = list(registered(session))
    marked = dict(
        date.attendances.filter(registration__in=people).values_list(
            "registration_id", "present"
        )
    )
    schools = schools_of([registration.user_id for registration in people])
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "page": session,
            "dates": dates,
            "date": date,
            "people": [
                {
                    "registration": registration,
                    "school": schools.get(registration.user_id, ""),
                    "present": marked.get(registration.pk, False),
                }
                for registration in people
            ],
            "marked": bool(marked),
        },
    )


# The PDFs


def pdf_response(content, filename):
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=False, filename=filename
            )
        },
    )


@login_required
def attendance_sheet(request, session_id):
    session = managed_session(request, session_id)
    return pdf_response(attendance_sheet_pdf(session), f"emargement-{session.slug}.pdf")


@login_required
def certificate(request, session_id):
    """A participant's own attestation; the team's for anyone
    (``?personne=<user id>``). Nothing attended: 404."""
    session = session_for(request, session_id)
    person = request.user
    if "personne" in request.GET:
        if not manages_training(request.user):
            raise Http404
        person_id = request.GET["personne"]
        if not person_id.isdigit():
            raise Http404
        person = get_object_or_404(get_user_model(), pk=person_id)
    dates = list(attended_dates(session, person))
    if not dates:
        raise Http404
    return pdf_response(
        certificate_pdf(session, person, dates), f"attestation-{session.slug}.pdf"
    )


# A teacher's hours


class ExternalHoursForm(forms.ModelForm):
    """« Déclarer des heures de formation hors circonscription »."""

    hours = forms.DecimalField(
        label=gettext_lazy("hours"),
        min_value=decimal.Decimal("0.5"),
        max_value=HOURS_DUE,
        decimal_places=1,
        # « 1,5 » as French people write it (« 1.5 » too).
        localize=True,
        help_text=gettext_lazy("From 0.5 to 18 hours, in half hours."),
    )

    class Meta:
        model = ExternalHours
        fields = ["title", "done_on", "hours"]
        widgets = {"done_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        today = timezone.localdate()
        if current_school_year(done_on) != current_school_year(today):
            raise forms.ValidationError(_("Give a date of this school year."))
        if done_on > today:
            raise forms.ValidationError(_("Give the date of a training already done."))
        return done_on

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours % decimal.Decimal("0.5"):
            raise forms.ValidationError(_("Count in half hours."))
        return hours

    def save(self, commit=True):
        self.instance.user = self.user
        return super().save(commit)


@login_required
def my_hours(request):
    """« Mes heures de formation »: the hours of this school year against
    the 18 due, the sessions attended and outside trainings."""
    if not is_staff_member(request.user):
        raise Http404
    user = request.user
    school_year = current_school_year(timezone.localdate())
    form = ExternalHoursForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                # The person's row is locked: a double submit finds the
                # first declaration and records nothing more.
                get_user_model().objects.select_for_update().get(pk=user.pk)
                twice = ExternalHours.objects.filter(
                    user=user,
                    title=form.cleaned_data["title"],
                    done_on=form.cleaned_data["done_on"],
                    hours=form.cleaned_data["hours"],
                ).exists()
                if not twice:
                    form.save()
            if twice:
                messages.error(request, _("These hours are already declared."))
            else:
                messages.success(
                    request,
                    _(
                        "Your hours are declared: they will count once a "
                        "pedagogical adviser validates them."
                    ),
                )
            return redirect("training:my_hours")
    start, end = hours_module.year_bounds(school_year)
    attended = (
        hours_module.attended_in(school_year)
        .filter(registration__user=user)
        .select_related("date", "registration__session")
        .order_by("date__start")
    )
    sessions = {}
    for attendance_row in attended:
        session = attendance_row.registration.session
        entry = sessions.setdefault(session.pk, {"session": session, "hours": 0})
        entry["hours"] += attendance_row.date.hours
    # A session since closed to them still counts, without its title.
    visible = set(
        visible_pages(
            TrainingSessionPage.objects.filter(pk__in=sessions), user
        ).values_list("pk", flat=True)
    )
    for entry in sessions.values():
        entry["visible"] = entry["session"].pk in visible
    total = hours_module.hours_of(user, school_year)
    return render(
        request,
        "training/hours_mine.html",
        {
            "form": form,
            "school_year": school_year,
            "total": total,
            "due": HOURS_DUE,
            "percent": int(min(total / HOURS_DUE, 1) * 100),
            "sessions": list(sessions.values()),
            "outside": ExternalHours.objects.filter(
                user=user, done_on__gte=start, done_on__lt=end
            ),
        },
    )


# The follow-up of directors and the team


def followed_schools(request):
    """The schools whose staff ``request.user`` follows: all for the team,
    their own for a director; anyone else gets a 404."""
    if manages_training(request.user):
        return SchoolPage.objects.live().order_by("title"), True
    directed = access_for(request.user).directed_schools
    if not directed:
        raise Http404
    return SchoolPage.objects.filter(translation_key__in=directed).order_by(
        "title"
    ), False


def follow_up_rows(request):
    schools, whole_district = followed_schools(request)
    chosen = None
    school_id = request.GET.get("ecole", "")
    if whole_district and school_id.isdigit():
        chosen = schools.filter(pk=school_id).first()
    memberships = hours_module.staff_memberships([chosen] if chosen else schools)
    school_year = current_school_year(timezone.localdate())
    rows = hours_module.hours_table(memberships, school_year)
    return rows, schools, whole_district, chosen, school_year


def hours_number(value):
    return floatformat(value, -1)


@login_required
def follow_up(request):
    """« Suivi des heures de formation »."""
    rows, schools, whole_district, chosen, school_year = follow_up_rows(request)
    if request.GET.get("format") == "csv":
        return follow_up_csv(rows, school_year)
    today = timezone.localdate()
    return render(
        request,
        "training/follow_up.html",
        {
            "rows": rows,
            "schools": schools,
            "whole_district": whole_district,
            "chosen": chosen,
            "school_year": school_year,
            "due": HOURS_DUE,
            "expected": hours_module.expected_by(today),
            "behind": [
                row.user.pk
                for row in rows
                if hours_module.is_behind(row.validated, today)
            ],
        },
    )


def follow_up_csv(rows, school_year):
    response, writer = spreadsheet_download(f"heures-formation-{school_year}.csv")
    writer.writerow(
        [
            _("Name"),
            _("School"),
            _("Hours validated"),
            _("Outside hours waiting"),
            _("Remaining to 18 h"),
        ]
    )
    for row in rows:
        writer.writerow(
            spreadsheet_safe(value)
            for value in (
                person_name(row.user),
                row.school_names,
                hours_number(row.validated),
                hours_number(row.pending),
                hours_number(row.remaining),
            )
        )
    return response


@login_required
@require_POST
def remind(request):
    """« Relancer les personnes en retard »."""
    rows, _schools, _whole, chosen, _year = follow_up_rows(request)
    sent, skipped = hours_module.remind(rows)
    messages.success(
        request,
        _("Reminders: %(sent)s, %(skipped)s.")
        % {
            "sent": ngettext("%(n)s e-mail sent", "%(n)s e-mails sent", sent)
            % {"n": sent},
            "skipped": ngettext(
                "%(n)s person skipped (reminded in the last 7 days or without "
                "an e-mail address)",
                "%(n)s people skipped (reminded in the last 7 days or without "
                "an e-mail address)",
                skipped,
            )
            % {"n": skipped},
        },
    )
    url = reverse("training:follow_up")
    return redirect(f"{url}?ecole={chosen.pk}" if chosen else url)


# Outside hours, validated by the team


class DecisionForm(forms.Form):
    declaration = forms.IntegerField()
    decision = forms.ChoiceField(choices=[("valider", "valider"), ("refuser", "r")])
    reason = forms.CharField(required=False, max_length=1000)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuser" and not data.get("reason", "").strip():
            raise forms.ValidationError(_("Give the reason of the refusal."))
        return data


@login_required
def external_hours(request):
    """« Heures hors circonscription à valider »."""
    if not manages_training(request.user):
        raise Http404
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            for error in form.non_field_errors() or [_("Unknown declaration.")]:
                messages.error(request, error)
            return redirect("training:external_hours")
        declaration = hours_module.decide(
            form.cleaned_data["declaration"],
            form.cleaned_data["decision"] == "valider",
            form.cleaned_data["reason"].strip(),
            request.user,
        )
        if declaration is None:
            messages.error(request, _("This declaration was already decided."))
        elif declaration.status == ExternalHours.Status.VALIDATED:
            messages.success(
                request,
                _("Hours validated for %(name)s.")
                % {"name": declaration.user.get_full_name()},
            )
        else:
            messages.success(
                request,
                _("Hours refused for %(name)s.")
                % {"name": declaration.user.get_full_name()},
            )
        return redirect("training:external_hours")
    pending = list(
        ExternalHours.objects.filter(status=ExternalHours.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )
    schools = schools_of([declaration.user_id for declaration in pending])
    return render(
        request,
        "training/external_hours.html",
        {
            "pending": [
                {"declaration": d, "school": schools.get(d.user_id, "")}
                for d in pending
            ]
        },
    )
