from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.scopes import manages_a_school
from onboarding import views
from visibility import converters  # noqa: F401 (registers <id:…>)


@hooks.register("register_admin_urls")
def register_onde_urls():
    return [
        path("onde/", views.IndexView.as_view(), name="onde_index"),
        path(
            "onde/ecole/<id:school_id>/",
            views.UploadView.as_view(),
            name="onde_upload",
        ),
        path(
            "onde/<id:import_id>/",
            views.PreviewView.as_view(),
            name="onde_preview",
        ),
        path("onde/<id:import_id>/appliquer/", views.apply, name="onde_apply"),
        path(
            "onde/<id:import_id>/progression/",
            views.ProgressView.as_view(),
            name="onde_progress",
        ),
        path("onde/<id:import_id>/etat.json", views.status, name="onde_status"),
        # The district team only (not on the school staff's allowlist).
        path(
            "onde/personnels/",
            views.StaffUploadView.as_view(),
            name="staff_import_upload",
        ),
        path(
            "onde/personnels/<id:import_id>/",
            views.StaffPreviewView.as_view(),
            name="staff_import_preview",
        ),
        path(
            "onde/personnels/<id:import_id>/appliquer/",
            views.staff_apply,
            name="staff_import_apply",
        ),
    ]


class OndeMenuItem(MenuItem):
    """For the district team and the directors (read from the request's
    cached access: no query of its own on every admin page)."""

    def is_shown(self, request):
        return manages_a_school(request.user)


@hooks.register("register_admin_menu_item")
def register_onde_menu_item():
    return OndeMenuItem(
        _("Import from ONDE"),
        reverse("onde_index"),
        name="onde",
        icon_name="download",
        order=265,
    )
