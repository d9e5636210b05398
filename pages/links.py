"""Links never give their target away (DESIGN §4).

Rich text is rendered without a request (``|richtext``, blocks, feeds): the
person reading is kept for the request by ``ReaderMiddleware``, and a link
to a page they may not see keeps its text only, without the address. Outside
a request the reader is an anonymous visitor: only public pages are linked.

Editors may only link to pages, documents and images they may see, even in
content crafted by hand (``forbidden_references``).
"""

from contextvars import ContextVar

from django.contrib.auth.models import AnonymousUser

from wagtail.admin.rich_text.converters.contentstate import link_entity
from wagtail.admin.rich_text.converters.html_to_contentstate import (
    ExternalLinkElementHandler,
    PageLinkElementHandler,
)
from wagtail.rich_text import RichText, extract_references_from_rich_text
from wagtail.rich_text.pages import PageLinkHandler

_reader = ContextVar("ent_reader", default=None)


def reader():
    """The person the current response is rendered for."""
    return _reader.get() or AnonymousUser()


def request_reader():
    """The person of the current request, None outside a request: an object
    that lives as long as the request."""
    return _reader.get()


class ReaderMiddleware:
    """Keep the person asking for the time of the request, for rich text
    rendered without one. After the authentication."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reader.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _reader.reset(token)


class AudiencePageLinkHandler(PageLinkHandler):
    """Wagtail's page links, whose address is given only to the people who
    may see the page: the others read the text of the link alone."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        from wagtail.models import Page

        from visibility.audience import visible_pages

        ids = {str(attrs.get("id")) for attrs in attrs_list}
        seen = {
            str(pk)
            for pk in visible_pages(
                Page.objects.filter(pk__in=[pk for pk in ids if pk.isdigit()]),
                reader(),
            ).values_list("pk", flat=True)
        }
        shown = [attrs for attrs in attrs_list if str(attrs.get("id")) in seen]
        links = iter(super().expand_db_attributes_many(shown))
        return [
            next(links) if str(attrs.get("id")) in seen else "<a>"
            for attrs in attrs_list
        ]


# Rich text in page data: where it is and what it refers to


def rich_texts_in(value):
    """The HTML of every rich text in a StreamField value, however deep."""
    from wagtail.blocks import StreamValue, StructValue

    if isinstance(value, RichText):
        yield value.source
    elif isinstance(value, StreamValue):
        for child in value:
            yield from rich_texts_in(child.value)
    elif isinstance(value, (StructValue, dict)):
        for child in value.values():
            yield from rich_texts_in(child)
    elif isinstance(value, (list, tuple)):
        for child in value:
            yield from rich_texts_in(child)


def references(html_values):
    """``(model, id)`` of every page, document and image the rich texts
    ``html_values`` link to or embed."""
    found = set()
    for html in html_values:
        for model, object_id, _path, _content_path in extract_references_from_rich_text(
            html or ""
        ):
            found.add((model, str(object_id)))
    return found


def forbidden_references(user, html_values, already=()):
    """How many of the links and embeds of ``html_values`` point to what
    ``user`` may not choose: pages they may not see, images and documents
    outside their collections. Those in ``already`` (the page had them)
    may stay."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from mediafiles.access import may_choose
    from visibility.audience import visible_pages

    wanted = references(html_values) - set(already)
    forbidden = 0
    by_model = {}
    for model, object_id in wanted:
        by_model.setdefault(model, set()).add(object_id)
    for model, ids in by_model.items():
        numeric = {pk for pk in ids if pk.isdigit()}
        forbidden += len(ids - numeric)
        if issubclass(model, Page):
            seen = visible_pages(Page.objects.filter(pk__in=numeric), user)
            forbidden += len(numeric) - seen.count()
        elif issubclass(model, (get_image_model(), get_document_model())):
            found = model.objects.filter(pk__in=numeric)
            forbidden += len(numeric) - len(found)
            forbidden += sum(1 for item in found if not may_choose(user, item))
        else:
            forbidden += len(numeric)
    return forbidden


class SeenPageLinkElementHandler(PageLinkElementHandler):
    """Page links as the admin's rich text editor receives them: the address
    and place of a page the editor may not see are left out (the link keeps
    its id, so it survives a save as it was)."""

    def get_attribute_data(self, attrs):
        from wagtail.models import Page

        from visibility.audience import can_view

        page = Page.objects.filter(pk=attrs.get("id")).first()
        if page is not None and can_view(reader(), page):
            return super().get_attribute_data(attrs)
        return {"id": int(attrs["id"]), "url": None, "parentId": None}


def register_link_features(features):
    """Wagtail's page links, on the site and in the editor, for their
    readers (registered after Wagtail's own, ``home.wagtail_hooks``)."""
    features.register_link_type(AudiencePageLinkHandler)
    features.register_converter_rule(
        "contentstate",
        "link",
        {
            "from_database_format": {
                "a[href]": ExternalLinkElementHandler("LINK"),
                'a[linktype="page"]': SeenPageLinkElementHandler("LINK"),
            },
            "to_database_format": {"entity_decorators": {"LINK": link_entity}},
        },
    )
