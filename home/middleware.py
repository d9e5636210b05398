from django.http import Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control

from home.audience import is_district_team


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


class TeamOnlyReportsMiddleware:
    """Wagtail's admin reports list pages across the whole site (titles of
    other schools' drafts included): they are for the district team only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/reports/") and not (
            request.user.is_authenticated and is_district_team(request.user)
        ):
            raise Http404
        return self.get_response(request)
