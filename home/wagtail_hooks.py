from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request

from home.guide import EditorGuideView
from pages.links import register_link_features
from pages.moves import ScopedMoveBulkAction, may_take_to, scope_refusal
from visibility.audience import (
    RANK,
    Audience,
    AudienceMixin,
    can_view,
    default_audience_under,
    is_district_team,
    visible_pages_for_search,
)
from visibility.refusals import refuse


@hooks.register("before_serve_page")
def check_audience(page, request, serve_args, serve_kwargs):
    # Read with the page when it was routed (visibility.routing), else asked now.
    known = getattr(request, "page_visibility", {})
    visible = known[page.pk] if page.pk in known else can_view(request.user, page)
    if not visible:
        return refuse(request)
    return None


@hooks.register("construct_page_chooser_queryset")
def only_visible_pages_in_chooser(pages, request):
    return visible_pages_for_search(pages, request.user)


@hooks.register("before_move_page")
def keep_restricted_pages_in_their_scope(request, page, destination):
    """Wagtail's move confirmation names the destination before asking the
    permission tester: refuse first, naming nothing but the moved page's
    place. The tester (``pages.mixins``) refuses the move itself."""
    if page.permissions_for_user(request.user).can_move_to(destination):
        return None
    if may_take_to(request.user, page, destination):
        message = _("You may not move this page there: choose another place.")
    else:
        message = scope_refusal("move")
    messages.error(request, message)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_copy_page")
def answer_copy_form_first(request, page):
    """The copy form is read before Wagtail reads the destination id from the
    request itself: an invalid form (an unknown id, a refused destination, a
    request without the form's fields) is shown again with its errors, which
    name no page the editor may not see (``pages.moves.ScopedCopyForm``)."""
    if request.method != "POST":
        return None
    form_class = getattr(page.specific_class, "copy_form_class", CopyForm)
    form = form_class(request.POST, user=request.user, page=page)
    if form.is_valid():
        return None
    return TemplateResponse(
        request,
        "wagtailadmin/pages/copy.html",
        {"page": page, "form": form, "next": get_valid_next_url_from_request(request)},
    )


# Wagtail's bulk move, with a destination chosen among the pages one may see.
hooks.register("register_bulk_action", ScopedMoveBulkAction, order=1)


@hooks.register("register_rich_text_features", order=1)
def page_links_for_their_readers(features):
    """After Wagtail's own: page links show their address only to the people
    who may see the page, on the site and in the editor (``pages.links``)."""
    register_link_features(features)


def warn_if_narrowed(request, page):
    """Tell the editor when the chosen audience is wider than the page's place
    allows, and what it will really be."""
    page = page.specific
    if not isinstance(page, AudienceMixin) or page.audience not in Audience.values:
        return
    inherited = default_audience_under(page.get_parent())
    if RANK[Audience(page.audience)] < RANK[inherited]:
        messages.warning(
            request,
            _(
                "“%(page)s” is marked “%(chosen)s”, but it is published under a "
                "page reserved to fewer people: it will only be visible to "
                "“%(effective)s”."
            )
            % {
                "page": page.get_admin_display_title(),
                "chosen": Audience(page.audience).label,
                "effective": Audience(inherited).label,
            },
        )


@hooks.register("after_create_page")
def warn_after_create(request, page):
    warn_if_narrowed(request, page)


@hooks.register("after_edit_page")
def warn_after_edit(request, page):
    warn_if_narrowed(request, page)


@hooks.register("construct_main_menu")
def reports_for_the_team_only(request, menu_items):
    if not is_district_team(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "reports"]


@hooks.register("register_admin_urls")
def register_editor_guide_url():
    return [path("guide/", EditorGuideView.as_view(), name="editor_guide")]


@hooks.register("register_help_menu_item")
def register_editor_guide_menu_item():
    return MenuItem(
        gettext_lazy("Editor's guide"),
        reverse("editor_guide"),
        name="ent-editor-guide",
        icon_name="help",
        order=1000,
    )


# Wagtail's help items that lead to its English guide.
WAGTAIL_GUIDE_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def our_guide_instead_of_wagtails(request, menu_items):
    menu_items[:] = [
        item for item in menu_items if not item.name.startswith(WAGTAIL_GUIDE_ITEMS)
    ]


@hooks.register("insert_global_admin_js")
def accessibility_fixes():
    """What axe finds in Wagtail's own admin widgets and a script can mend
    (tests/test_accessibility.py)."""
    return format_html('<script src="{}"></script>', static("js/admin-a11y.js"))


@hooks.register("construct_homepage_panels")
def role_dashboard(request, panels):
    """Each person's dashboard starts with their tasks (``home.dashboard``);
    Wagtail's own panels (what awaits their review, their pages in a
    validation) stay below."""
    from home.dashboard import panels_for

    panels.extend(panels_for(request))
