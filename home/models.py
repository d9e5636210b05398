from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from pages.blocks import BodyStreamBlock
from pages.forms import MediaRulesPageForm
from pages.mixins import SitePageMixin
from visibility.audience import visible_pages


class HomePage(SitePageMixin, Page):
    """The circonscription: the root of the site."""

    intro = RichTextField(
        _("presentation"),
        features=["bold", "italic", "link", "ul"],
        blank=True,
        help_text=_("A few lines presenting the district to families and staff."),
    )
    inspector_name = models.CharField(
        _("inspector"),
        max_length=120,
        blank=True,
        help_text=_("The inspector (IEN) in charge of the district."),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("inspector_name"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading=_("District office"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "news.NewsIndexPage",
        "schools.SchoolIndexPage",
        "resources.ResourceIndexPage",
        "agenda.AgendaIndexPage",
        "training.TrainingIndexPage",
        "home.StandardPage",
        "privacy.PrivacyPage",
    ]
    max_count_per_parent = 1
    page_description = _(
        "The home page of the district: its presentation, latest news and schools."
    )

    class Meta:
        verbose_name = _("district home page")
        verbose_name_plural = _("district home pages")

    def get_context(self, request, *args, **kwargs):
        from news.models import NewsPage
        from schools.models import SchoolPage

        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = NewsPage.objects.listing(request.user).cards()[:6]
        context["schools"] = (
            visible_pages(SchoolPage.objects.live().descendant_of(self), request.user)
            .order_by("title")
            .only("title", "url_path", "path", "depth", "city", "kind")
        )
        return context


class StandardPage(SitePageMixin, Page):
    """A plain page: about, legal notice, personal data, accessibility, contact."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    base_form_class = MediaRulesPageForm
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    page_description = _(
        "A page of information: about the district, legal notice, personal data, "
        "accessibility or contact."
    )

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
