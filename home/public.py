"""What the public site offers besides its pages: the « Plan du site » for
people, robots.txt and the sitemap for robots, and the web manifest that
makes the site installable on a phone."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wagtail.models import Page, Site

from news.models import NewsIndexPage, NewsPage
from resources.models import ResourcePage
from visibility.audience import visible_pages

# Items are listed on their sections' pages, not one by one in the plan.
ITEMS = (NewsPage, ResourcePage)


def plan_pages(site, user):
    """The pages of ``site`` that ``user`` may see (the home page first),
    news items and resources aside, in tree order, each with its ``level``."""
    root = site.root_page
    pages = visible_pages(
        Page.objects.live().descendant_of(root, inclusive=True).not_type(*ITEMS),
        user,
    )
    return [
        {"page": page, "level": page.depth - root.depth}
        for page in pages.order_by("path")
    ]


def as_tree(rows):
    """Nested lists from rows in tree order: each node has ``children``."""
    top, stack = [], []
    for row in rows:
        node = {**row, "children": []}
        while stack and stack[-1]["level"] >= node["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else top).append(node)
        stack.append(node)
    return top


@require_GET
def site_plan(request):
    site = Site.find_for_request(request)
    tree = as_tree(plan_pages(site, request.user)) if site else []
    return render(
        request,
        "home/site_plan.html",
        {"tree": tree, "news_index": NewsIndexPage.of_site(site)},
    )


ROBOTS = """User-agent: *
Allow: /
Disallow: /admin/
Disallow: /mon-fil/
Disallow: /mon-compte/

Sitemap: {sitemap}
"""


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    return HttpResponse(
        ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8"
    )


ICONS = (
    ("dsfr/dist/favicon/android-chrome-192x192.png", "192x192"),
    ("dsfr/dist/favicon/android-chrome-512x512.png", "512x512"),
)


@require_GET
def manifest(request):
    """The web manifest: the site installed on a phone's home screen opens
    on its home page, without the browser's bars."""
    site = Site.find_for_request(request)
    name = site.site_name if site and site.site_name else _("District ENT")
    body = {
        "name": name,
        "short_name": _("ENT"),
        "description": _("Digital workspace of the district's schools"),
        "lang": "fr",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#000091",
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png"}
            for path, sizes in ICONS
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )
