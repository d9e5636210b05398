from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.action_menu import (
    PublishMenuItem,
    SubmitForModerationMenuItem,
    WorkflowMenuItem,
)

from news.models import NewsPage


class PublishNewsMenuItem(PublishMenuItem):
    label = _("Publish")


class SendForValidationMenuItem(SubmitForModerationMenuItem):
    """Sending a news item to the people who validate it, said as such
    (Wagtail names the workflow: « Soumettre à Validation · … »)."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = _("Send for validation")
        return context


def is_news_form(request, context):
    page = context.get("page")
    if page is not None:
        return issubclass(page.specific_class or type(page), NewsPage)
    match = request.resolver_match
    kwargs = match.kwargs if match else {}
    return (
        kwargs.get("content_type_app_name"),
        kwargs.get("content_type_model_name"),
    ) == (NewsPage._meta.app_label, NewsPage._meta.model_name)


@hooks.register("construct_page_action_menu")
def one_main_button_for_news(menu_items, request, context):
    """On a news item, the main button says what happens: « Publier » for
    whoever may publish, « Envoyer pour validation » for the others. Saving
    a draft stays in the menu beside it; a validation in progress keeps
    Wagtail's own buttons (approve, ask for changes) first."""
    if not is_news_form(request, context):
        return
    if any(isinstance(item, WorkflowMenuItem) for item in menu_items):
        return
    names = [item.name for item in menu_items]
    if "action-publish" in names:
        main = PublishNewsMenuItem(order=-1)
        menu_items[names.index("action-publish")] = main
    elif "action-submit" in names:
        main = SendForValidationMenuItem(order=-1)
        menu_items[names.index("action-submit")] = main
    else:
        return
    menu_items.remove(main)
    menu_items.insert(0, main)
