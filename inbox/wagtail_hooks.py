from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from inbox import reports
from visibility import converters  # noqa: F401 (registers <id:…>)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "accuses-de-lecture/",
            reports.ReportIndexView.as_view(),
            name="acknowledgement_reports",
        ),
        path(
            "accuses-de-lecture/<id:pk>/",
            reports.ReportView.as_view(),
            name="acknowledgement_report",
        ),
        path(
            "accuses-de-lecture/<id:pk>/relance/",
            reports.remind,
            name="acknowledgement_remind",
        ),
        path(
            "accuses-de-lecture/<id:pk>/export.csv",
            reports.export,
            name="acknowledgement_export",
        ),
    ]


class ReportsMenuItem(MenuItem):
    """Shown to whoever may see at least one report."""

    def is_shown(self, request):
        return reports.addressed(reports.reportable_news(request.user)).exists()


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        _("Read acknowledgements"),
        reverse("acknowledgement_reports"),
        name="acknowledgements",
        icon_name="clipboard-list",
        order=260,
    )
