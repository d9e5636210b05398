from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.models import Page

from home.audience import (
    RANK,
    Audience,
    AudienceMixin,
    can_view,
    default_audience_under,
    is_district_team,
    visible_pages_for_search,
)
from home.models import PageAudience


def refuse(request):
    """Anonymous visitors go to the login page and back; logged-in people who
    are not admitted get a 403 that reveals nothing of what they asked for."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "403.html", status=403)


@hooks.register("before_serve_page")
def check_audience(page, request, serve_args, serve_kwargs):
    # Read with the page when it was routed (home.routing), else asked now.
    known = getattr(request, "page_visibility", {})
    visible = known[page.pk] if page.pk in known else can_view(request.user, page)
    if not visible:
        return refuse(request)
    return None


@hooks.register("construct_page_chooser_queryset")
def only_visible_pages_in_chooser(pages, request):
    return visible_pages_for_search(pages, request.user)


def scope_of(page):
    row = PageAudience.objects.filter(page_id=page.pk).first()
    return (row.school_key, row.classroom_key) if row else (None, None)


def leaves_its_scope(page, destination):
    """Whether moving or copying ``page`` under ``destination`` would read its
    audience in another scope (and so show it to other people)."""
    row = PageAudience.objects.filter(page_id=page.pk).first()
    if row is None or row.audience == Audience.PUBLIC:
        return False
    return scope_of(page.get_parent()) != scope_of(destination)


def refuse_scope_change(request, page, message):
    messages.error(request, message % {"page": page.get_admin_display_title()})
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_move_page")
def keep_restricted_pages_in_their_scope(request, page, destination):
    if is_district_team(request.user) or not leaves_its_scope(page, destination):
        return None
    return refuse_scope_change(
        request,
        page,
        _(
            "“%(page)s” is addressed to the people of its school or class: only "
            "the district team may move it elsewhere."
        ),
    )


@hooks.register("before_copy_page")
def keep_restricted_copies_in_their_scope(request, page):
    if request.method != "POST" or is_district_team(request.user):
        return None
    destination_id = request.POST.get("new_parent_page", "")
    destination = (
        Page.objects.filter(pk=destination_id).first()
        if destination_id.isdigit()
        else None
    )
    if destination is None or not leaves_its_scope(page, destination):
        return None
    return refuse_scope_change(
        request,
        page,
        _(
            "“%(page)s” is addressed to the people of its school or class: only "
            "the district team may copy it elsewhere."
        ),
    )


@hooks.register("before_bulk_action")
def keep_restricted_pages_in_their_scope_in_bulk(request, action_type, objects, action):
    if action_type != "move" or is_district_team(request.user):
        return None
    destination_id = request.POST.get("chooser", "")
    if not destination_id.isdigit():
        return None
    destination = Page.objects.filter(pk=destination_id).first()
    for page in objects:
        if destination is not None and leaves_its_scope(page, destination):
            return refuse_scope_change(
                request,
                page,
                _(
                    "“%(page)s” is addressed to the people of its school or class: "
                    "only the district team may move it elsewhere."
                ),
            )
    return None


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
