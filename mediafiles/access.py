"""Who may see an image or a document: the audience of the pages using it."""

from django.contrib.contenttypes.models import ContentType

from wagtail.blocks import StreamValue, StructValue
from wagtail.documents.models import AbstractDocument
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from visibility.audience import visible_pages


def pages_using(obj):
    page_ids = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids])


def may_choose(user, obj):
    """Editors may use the images and documents of their collections."""
    policy = policy_registry.get_by_type(type(obj))
    return policy.user_has_permission_for_instance(user, "choose", obj)


def may_see(user, obj):
    """An image or document may be seen by whoever may see a live page that
    uses it, and by the editors who may choose it."""
    return visible_pages(pages_using(obj), user).exists() or may_choose(user, obj)


def media_in(value):
    """Every image and document in a StreamField value, however deep."""
    if isinstance(value, (AbstractImage, AbstractDocument)):
        yield value
    elif isinstance(value, StreamValue):
        for child in value:
            yield from media_in(child.value)
    elif isinstance(value, (StructValue, dict)):
        for child in value.values():
            yield from media_in(child)
    elif isinstance(value, (list, tuple)):
        for child in value:
            yield from media_in(child)


def stream_fields(page):
    """The StreamFields of a page: where its images and documents are."""
    return [
        field for field in page._meta.get_fields() if isinstance(field, StreamField)
    ]
