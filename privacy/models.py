"""The « Données personnelles » page: an introduction the district writes,
then the processing register (``privacy.register``) as it stands with the
current settings, so that the page cannot fall out of step with them."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from pages.mixins import SitePageMixin
from privacy.register import build_register
from visibility.audience import is_district_team


class PrivacyPage(SitePageMixin, Page):
    intro = RichTextField(
        _("introduction"),
        features=["bold", "italic", "link", "ul"],
        blank=True,
        help_text=_(
            "A few lines before the register. The rest of the page (data kept, "
            "how long, who sees it, rights) is written from the site's settings."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    page_description = _(
        "The « Données personnelles » page: what the ENT keeps about each person, "
        "how long, who sees it, and each person's rights, kept true from the "
        "settings."
    )

    class Meta:
        verbose_name = _("personal data page")
        verbose_name_plural = _("personal data pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["register"] = build_register()
        # The team is told what the district has left to fill in; everyone
        # else reads a neutral sentence instead.
        context["show_missing"] = is_district_team(request.user)
        return context
