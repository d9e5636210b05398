from functools import cache

from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import resolve
from django.views.decorators.csrf import requires_csrf_token

from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView
from wagtail.admin.views.pages.listing import (
    ExplorableIndexView,
    GenericPageFilterSet,
)
from wagtail.admin.viewsets.pages import base_page_viewset
from wagtail.models import Page
from wagtail.permissions import policy_registry

from pages.pagination import clean_query, paginate
from visibility.audience import (
    is_district_team,
    visible_pages,
    visible_pages_for_search,
)


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = None
    if query:
        pages = visible_pages_for_search(Page.objects.live(), request.user)
        results = paginate(request, pages.specific().search(query), per_page=10)
    return render(
        request, "home/search.html", {"search_query": query, "results": results}
    )


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form refused for its missing or stale token, said in French."""
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered without context processors or database access: the failure may
    # come from the database itself.
    return HttpResponseServerError(loader.get_template("500.html").render())


@require_admin_access
def browse_page_chooser(request, parent_page_id):
    """Wagtail's page chooser, opened only on pages the editor may see: it
    shows the title of the page it browses."""
    page = get_object_or_404(Page, pk=parent_page_id)
    if (
        not page.is_root()
        and not visible_pages(Page.objects.filter(pk=page.pk), request.user).exists()
    ):
        raise Http404
    return BrowseView.as_view()(request, parent_page_id=parent_page_id)


class SchoolStaffPageFilterSet(GenericPageFilterSet):
    """Wagtail's explorer filters for school staff, without those whose
    choices name people or sites across the whole district: the owners and
    the editors of every page, every site."""

    owner = None
    edited_by = None
    site = None


@cache
def school_staff_explorer(results):
    """Wagtail's explorer view (its results alone if ``results``), with the
    filters of ``SchoolStaffPageFilterSet``. Built from Wagtail's base page
    viewset: no page type has a viewset of its own here, so this is the view
    Wagtail would choose, without reading the page's type to choose it."""
    return base_page_viewset.construct_view(
        ExplorableIndexView,
        **base_page_viewset.get_index_view_kwargs(
            filterset_class=SchoolStaffPageFilterSet
        ),
        results_only=results,
    )


@require_admin_access
def explore(request, parent_page_id=None, results=False):
    """Wagtail's explorer (of the tree's root if ``parent_page_id`` is None),
    opened only on the pages an editor works in and the pages above them: an
    editor of the library and of one school does not browse the other
    schools, nor filter by the people of the district. (Whether they may see
    the page is asked before, for every admin view: ``home.admin_access``;
    the explorable pages are those the listing reads next.)"""
    if is_district_team(request.user):
        path = f"/pages/{parent_page_id}/" if parent_page_id else "/pages/"
        if results:
            path += "results/"
        view = resolve(path, urlconf=wagtailadmin_urls)
        return view.func(request, **view.kwargs)
    if parent_page_id is not None:
        policy = policy_registry.get_by_type(Page)
        explorable = policy.explorable_instances(request.user)
        if not explorable.filter(pk=parent_page_id).exists():
            raise Http404
    return school_staff_explorer(results)(request, parent_page_id=parent_page_id)
