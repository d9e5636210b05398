"""StreamField blocks shared by every page that has a body."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class OnlyWhatTheEditorMayUse:
    """A chooser block that takes from a form only an image or document its
    editor may choose or already sees (one on a page they may read): another
    school's id is dropped, so the form shown again names nothing of it."""

    def value_from_datadict(self, data, files, prefix):
        from mediafiles.access import may_see
        from pages.links import reader

        value = super().value_from_datadict(data, files, prefix)
        if value is not None and not may_see(reader(), value):
            return None
        return value


class ScopedImageChooserBlock(OnlyWhatTheEditorMayUse, ImageChooserBlock):
    pass


class ScopedDocumentChooserBlock(OnlyWhatTheEditorMayUse, DocumentChooserBlock):
    pass


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(
            features=["h2", "h3", "bold", "italic", "ol", "ul", "link"], **kwargs
        )

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "blocks/paragraph_block.html"
        preview_value = (
            "<p>Les élèves de CE1 ont visité le musée des Beaux-Arts et "
            "découvert les peintres du XIXᵉ siècle.</p>"
        )


class ImageBlock(blocks.StructBlock):
    image = ScopedImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Text alternative"),
        required=False,
        help_text=_(
            "Describe the image for people who cannot see it. Leave empty if "
            "the image is purely decorative."
        ),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"
        preview_value = {"caption": "Affiche de la fête de l'école"}


class DocumentValue(blocks.StructValue):
    def link_text(self):
        return self.get("title") or self["document"].title


class DocumentBlock(blocks.StructBlock):
    document = ScopedDocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        required=False,
        help_text=_("Defaults to the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "blocks/document_block.html"
        value_class = DocumentValue
        preview_value = {"title": "Menus de la cantine de décembre"}


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(
        label=_("Video or media address"),
        help_text=_("For example the address of a video on a national platform."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Embedded media")
        template = "blocks/video_block.html"
        preview_value = {"caption": "La chorale de l'école"}


class BodyStreamBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    image = ImageBlock()
    document = DocumentBlock()
    embed = VideoBlock()

    class Meta:
        label = _("Body")
