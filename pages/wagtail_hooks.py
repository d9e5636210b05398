from django.apps import apps
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.action_menu import (
    PublishMenuItem,
    SubmitForModerationMenuItem,
    WorkflowMenuItem,
)


class PublishNowMenuItem(PublishMenuItem):
    label = _("Publish")


class SendForValidationMenuItem(SubmitForModerationMenuItem):
    """Sending a page to the people who validate it, said as such (Wagtail
    names the workflow: « Soumettre à Validation · … »)."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = _("Send for validation")
        return context


def edited_page_class(request, context):
    """The type of the page being added or edited."""
    page = context.get("page")
    if page is not None:
        return page.specific_class or type(page)
    kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    try:
        return apps.get_model(
            kwargs["content_type_app_name"], kwargs["content_type_model_name"]
        )
    except (KeyError, LookupError):
        return None


@hooks.register("construct_page_action_menu")
def one_main_button(menu_items, request, context):
    """On the forms of page types shaped for school staff (``one_main_button``
    on the class: news, resources), the main button says what happens:
    « Publier » for whoever may publish, « Envoyer pour validation » for the
    others. Saving a draft stays in the menu beside it; a validation in
    progress keeps Wagtail's own buttons (approve, ask for changes) first."""
    if not getattr(edited_page_class(request, context), "one_main_button", False):
        return
    if any(isinstance(item, WorkflowMenuItem) for item in menu_items):
        return
    names = [item.name for item in menu_items]
    if "action-publish" in names:
        main = PublishNowMenuItem(order=-1)
        menu_items[names.index("action-publish")] = main
    elif "action-submit" in names:
        main = SendForValidationMenuItem(order=-1)
        menu_items[names.index("action-submit")] = main
    else:
        return
    menu_items.remove(main)
    menu_items.insert(0, main)
