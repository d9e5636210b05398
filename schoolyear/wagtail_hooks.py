from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from schoolyear import views
from visibility.team import TeamMenuItem


@hooks.register("register_admin_urls")
def register_schoolyear_urls():
    # The district team only (not on the school staff's allowlist).
    return [
        path("annee-scolaire/", views.IndexView.as_view(), name="schoolyear_index"),
        path(
            "annee-scolaire/<str:year>/",
            views.PreviewView.as_view(),
            name="schoolyear_preview",
        ),
        path(
            "annee-scolaire/<str:year>/ouvrir/",
            views.apply,
            name="schoolyear_apply",
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_schoolyear_menu_item():
    return TeamMenuItem(
        _("School year"),
        reverse("schoolyear_index"),
        name="school-year",
        icon_name="date",
        order=150,
    )
