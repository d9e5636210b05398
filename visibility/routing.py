"""Finding the site and the page a request asks for, in one query.

Wagtail finds the site with a query, then walks the page tree from the
site's root, two queries per level (a child, then its specific page), plus
two for the root's translation. Here the site comes from the shared cache,
and the pages of every prefix of the URL are read at once by their
``url_path``; the walk then happens in memory with Wagtail's own rules: a
routable page's sub-routes come before its children, the page serving the
URL must be live, anything else is a 404.

Which page serves a URL (and the links of its breadcrumb) is kept in the
shared cache and dropped with the visitors' pages (``visibility.cache``). It is
only a hint: on every request the page is loaded again, by its id *and* the
URL path it must still have, then routed by its own ``route`` method, with
whether the person asking may see it (``visibility.audience.visibility``) read in
the same query.
"""

import hashlib
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site

from visibility.audience import view_restrictions_exist, visibility
from visibility.cache import STRUCTURE_SECONDS, remember, structure_key

# Deeper URLs are left to Wagtail's own walk, which stops at the first
# missing page: no page of ours is that deep.
MAX_COMPONENTS = 8


def find_site(request):
    """``Site.find_for_request``, kept in the shared cache by host and port."""
    hostname = split_domain_port(request.get_host())[0]
    site = remember(
        f"site:{hostname}:{request.get_port()}",
        lambda: Site.find_for_request(request),
    )
    request._wagtail_site = site
    return site


@dataclass
class Route:
    """The page serving a URL, and what is left of the URL for its own
    ``route`` (a routable page's sub-route)."""

    model: str
    pk: int
    url_path: str
    remaining: list
    breadcrumb: list


def route(request, path):
    """What Wagtail's ``Page.route_for_request`` gives (a ``RouteResult``, or
    None for a 404), kept on the request where Wagtail's ``serve`` reads it.
    Does nothing in the rare cases Wagtail's own walk is needed."""
    site = Site.find_for_request(request)
    components = [component for component in path.split("/") if component]
    if site is None or len(components) > MAX_COMPONENTS:
        return
    root_path = localized_root_path(site)
    digest = hashlib.sha256(path.encode()).hexdigest()
    key = structure_key(f"route:{site.pk}:{root_path}:{digest}")
    hint = cache.get(key)
    page = load(hint, request) if hint else None
    try:
        if page is None:
            hint = find_route(request, root_path, components)
            if hint is None:
                return
            page = load(hint, request)
            if page is None:
                raise Http404
            cache.set(key, hint, STRUCTURE_SECONDS)
        page.breadcrumb_links = hint.breadcrumb
        request.page_visibility = {page.pk: page.visible_to_requester}
        request._wagtail_route_for_request = page.route(request, hint.remaining)
    except Http404:
        request._wagtail_route_for_request = None


def localized_root_path(site):
    """The URL path of the site's root page in the active language, as
    Wagtail's ``root_page.localized`` finds it (from its cached list)."""
    try:
        language = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        language = None
    for site_id, root_path, _url, language_code in Site.get_site_root_paths():
        if site_id == site.pk and language_code == language:
            return root_path
    return site.root_page.url_path


def find_route(request, root_path, components):
    """Walk the URL through the pages of its prefixes, read in one query.
    Raises Http404 where Wagtail would; None where Wagtail must walk."""
    prefixes = [
        root_path + "".join(f"{component}/" for component in components[:end])
        for end in range(len(components) + 1)
    ]
    pages = {page.url_path: page for page in Page.objects.filter(url_path__in=prefixes)}
    chain = [pages.get(prefix) for prefix in prefixes]
    if chain[0] is None or not chain[0].live:
        # No root, or a root translation in draft: Wagtail falls back on
        # the default root.
        return None
    for depth, page in enumerate(chain):
        remaining = components[depth:]
        model = page.specific_class
        if model is None or model.route not in (Page.route, RoutablePageMixin.route):
            # A page type with a way of routing of its own.
            return None
        if not remaining or (
            page.live
            and issubclass(model, RoutablePageMixin)
            and resolves(model, remaining)
        ):
            # This page serves the URL (what remains is one of its sub-routes).
            break
        if chain[depth + 1] is None:
            raise Http404
    return Route(
        model=model._meta.label,
        pk=page.pk,
        url_path=page.url_path,
        remaining=remaining,
        breadcrumb=[
            {"url": ancestor.get_url(request), "title": ancestor.title}
            for ancestor in chain[:depth]
            if ancestor.depth > 2
        ],
    )


def resolves(model, components):
    """Whether a routable page type has a sub-route for ``components``."""
    try:
        model.get_resolver().resolve("/" + "/".join(components) + "/")
    except Http404:
        return False
    return True


def load(hint, request):
    """The page of ``hint`` if it is still at its URL, with whether the
    person asking may see it, whether the site has privacy settings, and
    what the page type reads for its reader (``for_reader``)."""
    model = apps.get_model(hint.model)
    pages = model.objects.filter(pk=hint.pk, url_path=hint.url_path).annotate(
        visible_to_requester=visibility(request.user)
    )
    if hasattr(model, "for_reader"):
        pages = model.for_reader(pages, request.user)
    page = pages.first()
    if page is not None:
        page.site_has_view_restrictions = view_restrictions_exist()
    return page
