from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from wagtail.models import Page

from home.audience import visible_pages
from home.pagination import paginate

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = None
    if query:
        visible_ids = visible_pages(Page.objects.live(), request.user).values("id")
        pages = Page.objects.live().filter(id__in=visible_ids).specific()
        results = paginate(request, pages.search(query), per_page=10)
    return render(
        request, "home/search.html", {"search_query": query, "results": results}
    )


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered without context processors or database access: the failure may
    # come from the database itself.
    return HttpResponseServerError(loader.get_template("500.html").render())
