from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList

from accounts.admin_scoping import ScopedModelViewSet
from accounts.forms import MembershipForm
from accounts.models import Membership
from accounts.scopes import manageable_memberships


class MembershipViewSet(ScopedModelViewSet):
    model = Membership
    icon = "group"
    menu_label = _("School members")
    add_to_admin_menu = True
    menu_order = 250

    def scope(self, user):
        return manageable_memberships(user)

    list_display = ["person", "role", "school", "classroom"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    edit_handler = ObjectList(
        [
            FieldPanel("email"),
            FieldPanel("role"),
            FieldPanel("classroom"),
            FieldPanel("school"),
        ],
        base_form_class=MembershipForm,
    )


@hooks.register("register_admin_viewset")
def register_membership_viewset():
    return MembershipViewSet("memberships")
