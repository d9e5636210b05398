from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from accounts.forms import MembershipForm
from accounts.models import Membership
from home.audience import is_district_team


def manageable_memberships(user):
    """The district team manages every membership; a director, those of their
    school."""
    memberships = Membership.objects.select_related("user", "school", "classroom")
    if is_district_team(user):
        return memberships
    return memberships.filter(
        school__in=Membership.objects.filter(
            user=user, role=Membership.Role.DIRECTOR
        ).values("school")
    )


class ScopedQuerysetMixin:
    def get_base_queryset(self):
        return manageable_memberships(self.request.user)

    def get_queryset(self):
        if isinstance(self, generic.IndexView):
            return super().get_queryset()
        return manageable_memberships(self.request.user)


class MembershipIndexView(ScopedQuerysetMixin, generic.IndexView):
    pass


class MembershipEditView(ScopedQuerysetMixin, generic.EditView):
    pass


class MembershipDeleteView(ScopedQuerysetMixin, generic.DeleteView):
    pass


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "group"
    menu_label = _("School members")
    add_to_admin_menu = True
    menu_order = 250
    index_view_class = MembershipIndexView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    inspect_view_enabled = False
    copy_view_enabled = False
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
