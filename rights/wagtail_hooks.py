from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from rights import admin_views
from visibility import converters  # noqa: F401 (registers <id:…>)
from visibility.team import TeamMenuItem


@hooks.register("register_admin_urls")
def register_erasure_urls():
    # The district team only (not on the school staff's allowlist).
    return [
        path(
            "effacements/",
            admin_views.ErasureRequestsView.as_view(),
            name="erasure_requests",
        ),
        path(
            "effacements/<id:request_id>/effacer/",
            admin_views.confirm,
            name="erasure_confirm",
        ),
        path(
            "effacements/<id:request_id>/refuser/",
            admin_views.refuse,
            name="erasure_refuse",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_erasure_menu_item():
    return TeamMenuItem(
        _("Erasure requests"),
        reverse("erasure_requests"),
        name="erasure-requests",
        icon_name="bin",
        order=280,
    )
