"""The processing register in the admin, for the district team only: a page
saying what it holds and what is left to fill in, and its downloads."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from privacy.export import as_csv, as_pdf
from privacy.register import build_register
from visibility.team import TeamAdminView, require_team

FILE_NAME = "registre-des-traitements-ent"


class RegisterView(TeamAdminView, TemplateView):
    template_name = "privacy/register.html"
    page_title = gettext_lazy("Processing register")
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["register"] = build_register()
        return context


def download(content, content_type, extension):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{FILE_NAME}.{extension}"'
    return response


def register_csv(request):
    require_team(request.user)
    return download(as_csv(build_register()), "text/csv; charset=utf-8", "csv")


def register_pdf(request):
    require_team(request.user)
    return download(as_pdf(build_register()), "application/pdf", "pdf")
