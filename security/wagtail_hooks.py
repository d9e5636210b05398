from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from security import views
from security.avatars import initials_avatar_url
from visibility.team import TeamMenuItem


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [
        path(
            "connexions-bloquees/",
            views.LockoutListView.as_view(),
            name="security_lockouts",
        ),
        path(
            "connexions-bloquees/debloquer/", views.unlock_view, name="security_unlock"
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return TeamMenuItem(
        _("Locked logins"),
        reverse("security_lockouts"),
        name="locked-logins",
        icon_name="lock",
        order=900,
    )


@hooks.register("get_avatar_url")
def avatar_with_initials(user, size):
    # Entries made by no one (the system) keep Wagtail's default picture.
    return initials_avatar_url(user, size) if user is not None else None
