from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.scopes import manages_a_school
from invitations import admin_views
from visibility import converters  # noqa: F401 (registers <id:…>)


@hooks.register("register_admin_urls")
def register_invitation_urls():
    return [
        path(
            "invitations/",
            admin_views.InvitationIndexView.as_view(),
            name="invitations_index",
        ),
        path("invitations/envoyer/", admin_views.send_all, name="invitations_send_all"),
        path(
            "invitations/<id:pk>/renvoyer/",
            admin_views.send_one,
            name="invitations_send_one",
        ),
        path(
            "invitations/classe/<id:pk>/fiches/",
            admin_views.print_sheets,
            name="invitations_print_sheets",
        ),
    ]


class InvitationsMenuItem(MenuItem):
    """Shown to directors and the district team."""

    def is_shown(self, request):
        return manages_a_school(request.user)


@hooks.register("register_admin_menu_item")
def register_invitations_menu_item():
    return InvitationsMenuItem(
        _("Invitations"),
        reverse("invitations_index"),
        name="invitations",
        icon_name="mail",
        order=255,
    )
