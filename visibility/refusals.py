from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render


def refuse(request):
    """Anonymous visitors go to the login page and back; logged-in people who
    are not admitted get a 403 that reveals nothing of what they asked for."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "403.html", status=403)
