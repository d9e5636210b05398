"""The district team opens a new school year from the admin: the year, the
opening date and, for each school, how its classes are made; then a preview
of everything it would do, school by school; then « Ouvrir l'année ». The
district team only: school staff get a 404 (``home.admin_access``), and the
views refuse anyone else themselves."""

import datetime

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from onboarding.matching import Plan
from onboarding.models import OndeImport
from onboarding.onde import OndeFileError, read_onde
from pages.templatetags.french_dates import french_date
from schools.models import SchoolPage, validate_school_year
from schoolyear.consents import ask_families
from schoolyear.forms import RolloverForm
from schoolyear.models import Rollover
from schoolyear.rollover import SchoolPlan, opens_from
from visibility.team import TeamAdminView, require_team

TITLE = gettext_lazy("School year")


def valid_year(year):
    try:
        validate_school_year(year)
    except Exception as error:  # noqa: BLE001 (any invalid year is a 404)
        raise Http404 from error
    return year


def plan_for(rollover):
    """The plan of ``rollover`` against what the database holds now, or None
    when its ONDE file is gone (applied: the file is not kept)."""
    onde_file = None
    if rollover.source == Rollover.Source.ONDE:
        if not rollover.content:
            return None
        try:
            onde_file = read_onde(bytes(rollover.content))
        except OndeFileError:
            return None
    return SchoolPlan(rollover.school, rollover.school_year, rollover.source, onde_file)


class TeamMixin(TeamAdminView):
    header_icon = "date"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        if self.get_page_title() != TITLE:
            items.append({"url": reverse("schoolyear_index"), "label": TITLE})
        return [*items, {"url": "", "label": self.get_page_title()}]


class IndexView(TeamMixin, FormView):
    template_name = "schoolyear/index.html"
    form_class = RolloverForm
    page_title = TITLE

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "schools": SchoolPage.objects.order_by("title"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rollovers=Rollover.objects.defer("content").select_related(
                "school", "applied_by"
            ),
            **kwargs,
        )

    def form_valid(self, form):
        year = form.cleaned_data["school_year"]
        for school, source, content, file_name in form.chosen:
            Rollover.objects.update_or_create(
                school=school,
                school_year=year,
                defaults={
                    "opens_on": form.cleaned_data["opens_on"],
                    "source": source,
                    "content": content,
                    "file_name": file_name,
                    "prepared_by": self.request.user,
                },
            )
        return redirect("schoolyear_preview", year=year)


class PreviewView(TeamMixin, TemplateView):
    template_name = "schoolyear/preview.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.year = valid_year(kwargs["year"])

    def get_page_title(self):
        return _("Opening the year %(year)s") % {"year": self.year}

    def get_context_data(self, **kwargs):
        schools = []
        for rollover in Rollover.objects.filter(school_year=self.year).select_related(
            "school", "applied_by"
        ):
            schools.append({"rollover": rollover, "plan": plan_for(rollover)})
        if not schools:
            raise Http404
        can_apply = any(
            entry["plan"]
            and not entry["plan"].problems
            and not (entry["plan"].is_empty and entry["rollover"].applied_at)
            for entry in schools
        )
        return super().get_context_data(
            **{**kwargs, "year": self.year},
            schools=schools,
            can_apply=can_apply,
            opens_from=opens_from(self.year),
            too_early=datetime.date.today() < opens_from(self.year),
        )


@require_POST
def apply(request, year):
    """Open the year in every school prepared for it whose plan has no
    problem and something to do; the others are left as they are."""
    require_team(request.user)
    year = valid_year(year)
    if not Rollover.objects.filter(school_year=year).exists():
        raise Http404
    if datetime.date.today() < opens_from(year):
        messages.error(
            request,
            _(
                "The year %(year)s can be opened from %(date)s, once the year in "
                "progress is over: its classes stay as they are until then."
            )
            % {"year": year, "date": french_date(opens_from(year))},
        )
        return redirect("schoolyear_preview", year=year)
    opened = []
    for rollover in Rollover.objects.filter(school_year=year).select_related("school"):
        plan = plan_for(rollover)
        if plan is None or plan.problems:
            continue
        if plan.is_empty and rollover.applied_at:
            continue
        with transaction.atomic():
            counts = plan.apply(request.user)
            rollover.applied_at = timezone.now()
            rollover.applied_by = request.user
            rollover.summary = counts
            content, rollover.content = bytes(rollover.content), b""
            rollover.save()
            if counts["pupils_arriving"]:
                prepare_arrivals(rollover, content, request.user)
        opened.append(rollover)
    if opened:
        ask_families(opened)
        messages.success(
            request,
            _("The year %(year)s is open in %(schools)s.")
            % {
                "year": year,
                "schools": ", ".join(rollover.school.title for rollover in opened),
            },
        )
    else:
        messages.info(request, _("Nothing left to do: the year is already open."))
    return redirect("schoolyear_preview", year=year)


def prepare_arrivals(rollover, content, user):
    """The pupils new to the school are created with their families' accounts
    by the ONDE import: its preview of the same file is made ready, to
    confirm in « Import from ONDE »."""
    school = rollover.school
    plan = Plan(school, read_onde(content))
    OndeImport.objects.filter(
        kind=OndeImport.Kind.ONDE, school=school, status=OndeImport.Status.PREVIEWED
    ).delete()
    OndeImport.objects.create(
        school=school,
        uploaded_by=user,
        file_name=rollover.file_name,
        content=content,
        summary=plan.summary(),
        total=len(plan.pupils),
    )
