from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from privacy import views
from visibility.team import TeamMenuItem


@hooks.register("register_admin_urls")
def register_register_urls():
    return [
        path(
            "registre-des-traitements/",
            views.RegisterView.as_view(),
            name="privacy_register",
        ),
        path(
            "registre-des-traitements/registre.csv",
            views.register_csv,
            name="privacy_register_csv",
        ),
        path(
            "registre-des-traitements/registre.pdf",
            views.register_pdf,
            name="privacy_register_pdf",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_register_menu_item():
    return TeamMenuItem(
        _("Processing register"),
        reverse("privacy_register"),
        name="processing-register",
        icon_name="doc-full",
        order=900,
    )
