"""The floor of `make bench`: the least a Django request can cost on the
same gunicorn. No apps, no middleware, no database, one view answering a
short text; every scenario is reported as a multiple of it.

    gunicorn bench.floor:application
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="floor",  # noqa: S106 (signs nothing: no session, no form)
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_I18N=False,
)


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", floor)]

application = get_wsgi_application()
