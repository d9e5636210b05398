"""Sending a private file once Django has checked who is asking.

This is Wagtail's ``SENDFILE_BACKEND`` (``wagtail.utils.sendfile``), used by
its document view and by ours for renditions. Behind nginx
(``MEDIA_ACCEL_REDIRECT`` set, docs/media.md), Python never opens the file: the
answer is empty and names the file in ``X-Accel-Redirect``, an internal
location of deploy/nginx.conf that nginx sends. Without it (development,
tests), Django streams the file itself.
"""

import os
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse

from wagtail.utils import sendfile_streaming_backend


def sendfile(request, filename, mimetype=None, **kwargs):
    """The answer sending the file at the absolute path ``filename``, which
    lies in ``PRIVATE_MEDIA_ROOT``."""
    prefix = settings.MEDIA_ACCEL_REDIRECT
    if not prefix:
        return sendfile_streaming_backend.sendfile(request, filename)
    response = HttpResponse(content_type=mimetype)
    response["X-Accel-Redirect"] = internal_url(prefix, filename)
    return response


def internal_url(prefix, filename):
    """The URL of ``filename`` in nginx's internal location ``prefix``:
    its path relative to ``PRIVATE_MEDIA_ROOT``, URL-quoted (nginx decodes
    it before reading the file)."""
    relative = os.path.relpath(filename, os.path.abspath(settings.PRIVATE_MEDIA_ROOT))
    if relative.startswith(os.pardir):
        raise ValueError(f"{filename} is not in PRIVATE_MEDIA_ROOT")
    return quote(prefix + relative.replace(os.sep, "/"))
