"""Development only (``ent_site.settings.dev``): with ``DEBUG`` on, an
unknown address shows the site's French 404, as in production, rather than
Django's technical page."""

from django.http import Http404
from django.urls import Resolver404, get_resolver

from home.views import page_not_found


class FrenchNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and not resolves(request):
            # No view was found: Django answered with its technical page.
            return page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


def resolves(request):
    try:
        get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
    except Resolver404:
        return False
    return True
