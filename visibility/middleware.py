from django.utils.cache import add_never_cache_headers, patch_cache_control

from wagtail.views import serve

from visibility.routing import find_site, route


class PageRoutingMiddleware:
    """The site of every request from the shared cache, and the page of a
    page URL in one query (``visibility.routing``), where Wagtail's ``serve``
    finds them. After the authentication: the page is loaded with whether
    the person asking may see it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        find_site(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is serve:
            route(request, view_kwargs.get("path", view_args[0] if view_args else ""))


class PrivateResponsesMiddleware:
    """Responses to a logged-in person are theirs alone: no shared cache may
    keep them (they hold their name, and pages addressed to them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) and request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response
