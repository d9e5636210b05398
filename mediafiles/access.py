"""Who may see an image or a document: the audience of the pages using it."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, IntegerField, OuterRef
from django.db.models.functions import Cast

from wagtail.blocks import StreamValue, StructValue
from wagtail.documents.models import AbstractDocument
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from visibility.audience import visible_pages


def references_to(model, object_id):
    """The references from pages to the ``model`` instance of id
    ``object_id`` (its text, or an expression giving it), as Wagtail's
    reference index records them."""
    return ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        to_content_type=ReferenceIndex._get_base_content_type(model),
        to_object_id=object_id,
    )


def pages_using(obj):
    """The live pages whose content uses the image or document ``obj``."""
    references = references_to(type(obj), str(obj.pk))
    page_ids = references.values(page_id=Cast("object_id", IntegerField()))
    return Page.objects.live().filter(pk__in=page_ids)


def from_a_page_seen_by(user):
    """A filter on references: the page they come from is live and ``user``
    may see it. The page's id is read as a number, so that its key is used."""
    page = Page.objects.live().filter(pk=Cast(OuterRef("object_id"), IntegerField()))
    return Exists(visible_pages(page, user))


def seen_on_a_page(user, model, object_id):
    """An expression: whether ``user`` may see a live page that uses the
    ``model`` instance whose id ``object_id`` gives (such as
    ``OuterRef("image_id")``), so that the check is read in the query that
    loads the object."""
    references = references_to(model, Cast(object_id, output_field=CharField()))
    return Exists(references.filter(from_a_page_seen_by(user)))


def may_choose(user, obj):
    """Editors may use the images and documents of their collections."""
    policy = policy_registry.get_by_type(type(obj))
    return policy.user_has_permission_for_instance(user, "choose", obj)


def may_see(user, obj):
    """An image or document may be seen by whoever may see a live page that
    uses it, and by the editors who may choose it."""
    references = references_to(type(obj), str(obj.pk))
    seen = references.filter(from_a_page_seen_by(user)).exists()
    return seen or may_choose(user, obj)


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
