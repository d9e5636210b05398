from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from resources.models import ResourceIndexPage, ResourcePage, Subject


class SubjectViewSet(SnippetViewSet):
    """The managed list of subjects, kept by the district team."""

    model = Subject
    icon = "tag"
    menu_label = _("Library subjects")
    add_to_admin_menu = False
    list_display = ["name", "cycles", "position"]
    ordering = ["position", "name"]


register_snippet(SubjectViewSet)


class SendForValidationMenuItem(SubmitForModerationMenuItem):
    """Wagtail's « submit to <workflow> », said as what it does."""

    label = _("Send for validation")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = self.label
        return context


def may_publish_resource(context):
    if context["view"] == "create":
        parent = context["parent_page"]
        return parent.permissions_for_user(
            context["request"].user
        ).can_publish_subpage()
    return context["user_page_permissions_tester"].can_publish()


@hooks.register("construct_page_action_menu")
def send_resources_for_validation(menu_items, request, context):
    """A contributor who may not publish a resource has one main button,
    « Envoyer pour validation »; saving a draft stays in the menu."""
    if context.get("view") not in ("create", "edit"):
        return
    page = context.get("page")
    if page is not None:
        if not isinstance(page.specific_deferred, ResourcePage):
            return
    elif not isinstance(context["parent_page"].specific_deferred, ResourceIndexPage):
        return
    if may_publish_resource(context):
        return
    for index, item in enumerate(menu_items):
        if item.name == "action-submit":
            menu_items.pop(index)
            menu_items.insert(0, SendForValidationMenuItem(order=item.order))
            return
