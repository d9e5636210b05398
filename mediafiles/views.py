import mimetypes
import os

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef
from django.http import Http404
from django.utils.cache import patch_cache_control

from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.images import get_image_model

from mediafiles import accel
from mediafiles.access import may_choose, seen_on_a_page
from visibility.cache import remember_found
from visibility.people import person_token
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
    if response.has_header("X-Accel-Redirect"):
        # The answer itself is empty: nginx sends the file with its length.
        del response["Content-Length"]
    return response


def read_rendition(user, rendition_id):
    """The rendition ``rendition_id`` with its image, and whether ``user``
    and anybody may see a page that uses the image: one query."""
    Image = get_image_model()
    image_id = OuterRef("image_id")
    return (
        Image.get_rendition_model()
        .objects.select_related("image")
        .annotate(
            seen=seen_on_a_page(user, Image, image_id),
            public=seen_on_a_page(AnonymousUser(), Image, image_id),
        )
        .filter(pk=rendition_id)
        .first()
    )


def rendition_for(user, rendition_id):
    """``read_rendition``, kept in the shared cache with the site's structure
    (``visibility.cache.remember_found``) under the person's access tokens
    (``visibility.people.person_token``): what the decision reads changes
    either the version (pages saved, published, unpublished, moved or
    deleted, with their audiences, reserved schools and references; privacy
    settings; images) or the tokens (memberships, groups, the person). A
    person not found by their session is read from the database."""
    token = "visitor" if not user.is_authenticated else person_token(user)
    if token is None:
        return read_rendition(user, rendition_id)
    return remember_found(
        f"rendition:{rendition_id}:{token}",
        lambda: read_rendition(user, rendition_id),
    )


def serve_rendition(request, rendition_id, filename):
    """An image rendition, for whoever may see a page that uses the image
    (or may choose the image: ``mediafiles.access.may_see``)."""
    rendition = rendition_for(request.user, rendition_id)
    if rendition is None or os.path.basename(rendition.file.name) != filename:
        raise Http404
    if not (rendition.seen or may_choose(request.user, rendition.image)):
        return refuse(request)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = accel.sendfile(request, rendition.file.path, mimetype=content_type)
    response["Content-Disposition"] = "inline"
    return protect(response, public=rendition.public)


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (which asks ``before_serve_document`` hooks)
    with our headers."""
    response = wagtail_serve_document(request, document_id, document_filename)
    return protect(response, public=False)
