"""Pages for anonymous visitors, served from a shared cache.

A visitor without a session cookie gets the page as any other visitor
without one got it, without touching the database. Only complete, public
answers are kept: a 200 with no cookie set and nothing private in its
``Cache-Control``. Whatever may change what visitors see (a page saved,
published, unpublished, moved or deleted, a privacy setting, a photo, a
consent, a subject of the library, the site) changes the cache's version,
so every cached page is dropped at once; a short lifetime bounds the rest.

The same version keeps what every page shows of the site's structure, the
same for everybody (``remember``): the sites, the menu, the news index, the
page serving each URL (``visibility.routing``), the library's levels and subjects.
Every key also names the database it was read from (``visibility.cache_keys``).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse

from wagtail.signals import page_unpublished, post_page_move

VERSION_KEY = "anonymous-pages:version"
# What every page shows of the site's structure (``remember``) is kept at
# most this long, and dropped with the visitors' pages.
STRUCTURE_SECONDS = 600
MISSING = object()
# Never kept: the admin, files served by audience, account pages.
SKIPPED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/images/")
# Cached as they were produced (the middlewares after this one do not run
# for a page served from the cache).
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Cache-Control",
    "X-Frame-Options",
)


def version():
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def forget_everything(**kwargs):
    """Drop every cached page (one increment of the version), now and again
    when the transaction commits: what was cached in between may have been
    read before the change was committed."""
    next_version()
    transaction.on_commit(next_version)


def next_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


def structure_key(name):
    return f"site-structure:{version()}:{name}"


def remember(name, compute):
    """``compute()``, kept in the shared cache until anything visitors may
    see changes: for what every page shows of the site's structure (its
    sites, menu, routes), the same for everybody."""
    key = structure_key(name)
    value = cache.get(key, MISSING)
    if value is MISSING:
        value = compute()
        cache.set(key, value, STRUCTURE_SECONDS)
    return value


def cache_key(request):
    return f"anonymous-pages:{version()}:{request.get_host()}:{request.get_full_path()}"


def may_use_cache(request):
    return (
        settings.ANONYMOUS_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.path.startswith(SKIPPED_PREFIXES)
    )


def may_keep(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(
            word in cache_control for word in ("private", "no-store", "no-cache")
        )
    )


class AnonymousPageCacheMiddleware:
    """First in the chain: a cached page answers before anything else runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            return self.get_response(request)
        try:
            key = cache_key(request)
        except Exception:  # noqa: BLE001 (a bad Host is answered below)
            return self.get_response(request)
        kept = cache.get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if may_keep(response):
            headers = {
                name: response[name] for name in KEPT_HEADERS if name in response
            }
            cache.set(
                key, (response.content, headers), settings.ANONYMOUS_CACHE_SECONDS
            )
        return response


# What visitors see changes with these.
for signal in (post_save, post_delete):
    for sender in (
        "wagtailcore.PageViewRestriction",
        "wagtailcore.Site",
        "mediafiles.CustomImage",
        "mediafiles.CustomDocument",
        "pupils.ImageConsent",
        "resources.Subject",
        "schools.Level",
        "taggit.Tag",
    ):
        signal.connect(forget_everything, sender=sender, weak=False)


@receiver(post_save)
@receiver(post_delete)
def forget_after_any_page(sender, **kwargs):
    from wagtail.models import Page

    if issubclass(sender, Page):
        forget_everything()


@receiver(page_unpublished)
@receiver(post_page_move)
def forget_after_page_events(**kwargs):
    forget_everything()


def remember_found(name, compute):
    """``remember``, keeping only what was found (not None): what is created
    later without changing the version (a rendition made by a page being
    shown) is found at once."""
    key = structure_key(name)
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, STRUCTURE_SECONDS)
    return value
