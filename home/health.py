"""A bare answer that goes through the whole middleware stack and nothing
else: no database, no template. Load balancers ask it whether the process
is up, and ``make bench`` measures every page against it."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def ok(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
