from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from wagtail import hooks

from departures import admin_views
from visibility import converters  # noqa: F401 (registers <id:…>)
from visibility.team import TeamMenuItem


@hooks.register("register_admin_urls")
def register_departure_urls():
    get_or_post = require_http_methods(["GET", "POST"])
    return [
        path(
            "departs/eleve/<id:pupil_id>/",
            get_or_post(admin_views.PupilLeftView.as_view()),
            name="departures_pupil_left",
        ),
        path(
            "departs/",
            admin_views.DepartureIndexView.as_view(),
            name="departures_index",
        ),
        path(
            "departs/personnel/",
            get_or_post(admin_views.StaffDepartureView.as_view()),
            name="departures_staff",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_departures_menu_item():
    return TeamMenuItem(
        _("Departures"),
        reverse("departures_index"),
        name="departures",
        icon_name="logout",
        order=265,
    )
