from django import template

from wagtail.models import Site

from visibility.cache import remember

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The home page's children shown in menus, for the header navigation
    (the same for everybody: kept with the site's structure)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return remember(
        f"menu:{site.pk}",
        lambda: list(site.root_page.get_children().live().in_menu().order_by("path")),
    )


@register.simple_tag(takes_context=True)
def breadcrumb_links(context, page):
    """The ancestors of ``page`` below the site root, as breadcrumb links
    (found with the page when it was routed, ``visibility.routing``)."""
    known = getattr(page, "breadcrumb_links", None)
    if known is not None:
        return known
    request = context.get("request")
    return [
        {"url": ancestor.get_url(request), "title": ancestor.title}
        for ancestor in page.get_ancestors().filter(depth__gt=2)
    ]


@register.simple_tag(takes_context=True)
def news_index(context):
    """The district's news index, whose feeds every page announces (kept
    with the site's structure)."""
    from news.models import NewsIndexPage

    request = context.get("request")
    return NewsIndexPage.of_site(Site.find_for_request(request) if request else None)
