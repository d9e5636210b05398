from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.admin_scoping import ScopedModelViewSet
from accounts.forms import MembershipForm
from accounts.models import ExternalIdentity, Membership
from accounts.scopes import manageable_memberships
from accounts.views import AddToClassView, MembershipIndexView, suggestions


class MembershipViewSet(ScopedModelViewSet):
    model = Membership
    icon = "group"
    menu_label = _("School members")
    add_to_admin_menu = True
    menu_order = 250
    index_view_class = MembershipIndexView
    index_template_name = "accounts/membership_index.html"

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

    @property
    def add_to_class_view(self):
        return self.construct_view(AddToClassView, **self.get_index_view_kwargs())

    def suggestions_view(self, request):
        if not self.permission_policy.user_has_permission(request.user, "add"):
            raise PermissionDenied
        return suggestions(request)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("add-to-class/", self.add_to_class_view, name="add_to_class"),
            path("suggestions/", self.suggestions_view, name="suggestions"),
        ]


@hooks.register("register_admin_viewset")
def register_membership_viewset():
    return MembershipViewSet("memberships")


class ExternalIdentityViewSet(SnippetViewSet):
    """The identities held at outside providers, for the district team only
    (not in the staff's allowlist, home/admin_access.py)."""

    model = ExternalIdentity
    icon = "key"
    menu_label = _("External identities")
    list_display = ["user", "provider", "subject", "created_at", "last_used_at"]
    list_filter = ["provider"]
    search_fields = ["subject", "user__username", "user__email", "user__last_name"]
    panels = [FieldPanel("user"), FieldPanel("provider"), FieldPanel("subject")]


register_snippet(ExternalIdentityViewSet)
