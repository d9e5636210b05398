import mimetypes
import os

from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.images import get_image_model

from mediafiles.access import may_see
from visibility.refusals import refuse


def protect(response, public):
    """Headers of every image and document response: never sniffed, never
    run as a page, and kept by shared caches only when anybody may see it."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if public:
        # Shared caches may keep it, but must ask again each time: a
        # withdrawn consent applies at once.
        patch_cache_control(response, public=True, no_cache=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def serve_rendition(request, rendition_id, filename):
    """An image rendition, for whoever may see a page that uses the image."""
    Rendition = get_image_model().get_rendition_model()
    rendition = (
        Rendition.objects.select_related("image").filter(pk=rendition_id).first()
    )
    if rendition is None or os.path.basename(rendition.file.name) != filename:
        raise Http404
    if not may_see(request.user, rendition.image):
        return refuse(request)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(rendition.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = "inline"
    return protect(response, public=may_see(AnonymousUser(), rendition.image))


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (which asks ``before_serve_document`` hooks)
    with our headers."""
    response = wagtail_serve_document(request, document_id, document_filename)
    return protect(response, public=False)
