"""The admin's ONDE import: upload, preview, apply in the background and
follow its progress. For the district team and the directors, each in the
schools they manage; any other school or import is a 404."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.scopes import place_model, schools_directed_by
from audit.log import because
from onboarding.forms import OndeUploadForm, StaffUploadForm
from onboarding.matching import Plan
from onboarding.models import OndeImport
from onboarding.staff import StaffPlan
from onboarding.tasks import (
    apply_onde_import,
    import_reason,
    log_applied,
    planned_again,
)
from visibility.audience import is_district_team

TITLE = gettext_lazy("Import from ONDE")


def manageable_schools(user):
    """All schools for the district team, theirs for a director."""
    schools = place_model("school").objects.order_by("title")
    if is_district_team(user):
        return schools
    return schools.filter(pk__in=schools_directed_by(user).values("pk"))


def manageable_imports(user):
    return OndeImport.objects.filter(
        kind=OndeImport.Kind.ONDE, school__in=manageable_schools(user)
    ).select_related("school", "uploaded_by")


class OndeMixin(WagtailAdminTemplateMixin):
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not manageable_schools(request.user).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        if self.get_page_title() != TITLE:
            items.append({"url": reverse("onde_index"), "label": TITLE})
        return [*items, {"url": "", "label": self.get_page_title()}]


class IndexView(OndeMixin, TemplateView):
    template_name = "onboarding/index.html"
    page_title = TITLE

    def get_context_data(self, **kwargs):
        user = self.request.user
        imports = manageable_imports(user).defer("content", "summary")
        # Each school with its latest import, its state and progress: a
        # district import queued from the command line is followed here.
        latest = {}
        for onde_import in imports:
            latest.setdefault(onde_import.school_id, onde_import)
        schools = list(manageable_schools(user))
        for school in schools:
            school.latest_import = latest.get(school.pk)
        return super().get_context_data(
            schools=schools,
            imports=imports[:20],
            team=is_district_team(user),
            **kwargs,
        )


class UploadView(OndeMixin, FormView):
    template_name = "onboarding/upload.html"
    form_class = OndeUploadForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.school = get_object_or_404(
            manageable_schools(request.user), pk=kwargs["school_id"]
        )

    def get_page_title(self):
        return _("Import from ONDE: %(school)s") % {"school": self.school.title}

    def get_context_data(self, **kwargs):
        return super().get_context_data(school=self.school, **kwargs)

    def form_valid(self, form):
        plan = Plan(self.school, form.read_file)
        # A newer file replaces a preview never applied: its file goes.
        OndeImport.objects.filter(
            kind=OndeImport.Kind.ONDE,
            school=self.school,
            status=OndeImport.Status.PREVIEWED,
        ).delete()
        onde_import = OndeImport.objects.create(
            school=self.school,
            uploaded_by=self.request.user,
            file_name=form.cleaned_data["file"].name[:150],
            content=form.content,
            summary=plan.summary(),
            total=len(plan.pupils),
        )
        return redirect("onde_preview", import_id=onde_import.pk)


class ImportMixin(OndeMixin):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.onde_import = get_object_or_404(
            manageable_imports(request.user), pk=kwargs["import_id"]
        )

    def get_page_title(self):
        return _("Import from ONDE: %(school)s") % {
            "school": self.onde_import.school.title
        }


class PreviewView(ImportMixin, TemplateView):
    template_name = "onboarding/preview.html"

    def get_context_data(self, **kwargs):
        summary = self.onde_import.summary
        return super().get_context_data(
            onde_import=self.onde_import,
            counts=summary.get("counts", {}),
            problems=summary.get("problems", []),
            pupils=summary.get("pupils", []),
            departed=summary.get("departed", []),
            can_apply=(
                self.onde_import.status == OndeImport.Status.PREVIEWED
                and not summary.get("problems")
            ),
            **kwargs,
        )


class ProgressView(ImportMixin, TemplateView):
    template_name = "onboarding/progress.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            onde_import=self.onde_import,
            status_url=reverse("onde_status", args=[self.onde_import.pk]),
            **kwargs,
        )


@require_POST
def apply(request, import_id):
    if not manageable_schools(request.user).exists():
        raise Http404
    onde_import = get_object_or_404(manageable_imports(request.user), pk=import_id)
    if onde_import.summary.get("problems"):
        messages.error(
            request,
            _("Correct the lines with a problem and import the file again."),
        )
        return redirect("onde_preview", import_id=onde_import.pk)
    updated = OndeImport.objects.filter(
        pk=onde_import.pk, status=OndeImport.Status.PREVIEWED
    ).update(status=OndeImport.Status.QUEUED)
    if updated:
        apply_onde_import.enqueue(onde_import.pk)
    return redirect("onde_progress", import_id=onde_import.pk)


def status(request, import_id):
    if not manageable_schools(request.user).exists():
        raise Http404
    onde_import = get_object_or_404(manageable_imports(request.user), pk=import_id)
    return JsonResponse(
        {
            "status": onde_import.status,
            "label": onde_import.get_status_display(),
            "done": onde_import.done,
            "total": onde_import.total,
            "percent": onde_import.percent,
            "error": onde_import.error,
        }
    )


# Staff from the académie's directory: the district team only (not on the
# school staff's admin allowlist either). The file is small (a district's
# 400–800 people), so it is applied at once, in one transaction.

STAFF_TITLE = gettext_lazy("Import staff")


def staff_imports():
    return OndeImport.objects.filter(kind=OndeImport.Kind.STAFF).select_related(
        "uploaded_by"
    )


class StaffMixin(OndeMixin):
    def dispatch(self, request, *args, **kwargs):
        if not is_district_team(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("onde_index"), "label": TITLE},
        ]
        if self.get_page_title() != STAFF_TITLE:
            items.append({"url": reverse("staff_import_upload"), "label": STAFF_TITLE})
        return [*items, {"url": "", "label": self.get_page_title()}]


class StaffUploadView(StaffMixin, FormView):
    template_name = "onboarding/staff_upload.html"
    form_class = StaffUploadForm
    page_title = STAFF_TITLE

    def get_context_data(self, **kwargs):
        return super().get_context_data(imports=staff_imports()[:20], **kwargs)

    def form_valid(self, form):
        plan = form.read_file
        OndeImport.objects.filter(
            kind=OndeImport.Kind.STAFF, status=OndeImport.Status.PREVIEWED
        ).delete()
        staff_import = OndeImport.objects.create(
            kind=OndeImport.Kind.STAFF,
            uploaded_by=self.request.user,
            file_name=form.cleaned_data["file"].name[:150],
            content=form.content,
            summary=plan.summary(),
            total=len(plan.people),
        )
        return redirect("staff_import_preview", import_id=staff_import.pk)


class StaffPreviewView(StaffMixin, TemplateView):
    template_name = "onboarding/staff_preview.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.staff_import = get_object_or_404(staff_imports(), pk=kwargs["import_id"])

    def get_page_title(self):
        return _("Import staff: %(file)s") % {"file": self.staff_import.file_name}

    def get_context_data(self, **kwargs):
        summary = self.staff_import.summary
        return super().get_context_data(
            staff_import=self.staff_import,
            counts=summary.get("counts", {}),
            problems=summary.get("problems", []),
            people=summary.get("people", []),
            can_apply=(
                self.staff_import.status == OndeImport.Status.PREVIEWED
                and not summary.get("problems")
            ),
            **kwargs,
        )


@require_POST
def staff_apply(request, import_id):
    if not is_district_team(request.user):
        raise Http404
    staff_import = get_object_or_404(staff_imports(), pk=import_id)
    if staff_import.summary.get("problems"):
        messages.error(
            request,
            _("Correct the lines with a problem and import the file again."),
        )
        return redirect("staff_import_preview", import_id=staff_import.pk)
    claimed = OndeImport.objects.filter(
        pk=staff_import.pk, status=OndeImport.Status.PREVIEWED
    ).update(status=OndeImport.Status.RUNNING)
    if claimed:
        Status = OndeImport.Status
        plan, message = planned_again(StaffPlan, staff_import)
        if message:
            OndeImport.objects.filter(pk=staff_import.pk).update(
                status=Status.FAILED, error=message, content=b""
            )
            messages.error(request, message)
        else:
            try:
                with because(import_reason(staff_import), request.user):
                    plan.apply()
            except Exception:
                # One transaction: nothing was written.
                OndeImport.objects.filter(pk=staff_import.pk).update(
                    status=Status.FAILED,
                    error=_(
                        "An unexpected error stopped the import: import the file again."
                    ),
                )
                raise
            OndeImport.objects.filter(pk=staff_import.pk).update(
                status=Status.DONE,
                content=b"",
                done=len(plan.people),
                total=len(plan.people),
            )
            log_applied(staff_import, plan.counts())
            messages.success(
                request,
                _(
                    "The staff import is done: the new accounts can now be "
                    "invited to activate."
                ),
            )
    return redirect("staff_import_preview", import_id=staff_import.pk)
