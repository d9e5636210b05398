from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.models import Membership


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = _("Memberships")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["user", "role", "school", "classroom"]
    list_filter = ["role", "school"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    panels = [
        FieldPanel("user"),
        FieldPanel("role"),
        FieldPanel("school"),
        FieldPanel("classroom"),
    ]


@hooks.register("register_admin_viewset")
def register_membership_viewset():
    return MembershipViewSet("memberships")
