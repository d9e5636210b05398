from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from wagtail import hooks

from home.audience import can_view


@hooks.register("before_serve_page")
def check_audience(page, request, serve_args, serve_kwargs):
    """Serve a page only to the people its audience admits.

    Anonymous visitors are sent to the login page and back; logged-in people
    who are not admitted get a 403 that reveals nothing of the page.
    """
    if can_view(request.user, page):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "403.html", status=403)
