from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class ResourceIndexPage(Page):
    """The entry page of the district's library of teaching resources."""

    intro = RichTextField(
        _("introduction"), features=["bold", "italic", "link"], blank=True
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    page_description = _("The library of teaching resources shared in the district.")

    class Meta:
        verbose_name = _("resource library")
        verbose_name_plural = _("resource libraries")
