import datetime

from django import forms
from django.db import models
from django.db.models import Subquery
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PublishingPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase

from news.forms import NewsPageForm
from pages.blocks import BodyStreamBlock
from pages.mixins import SitePageMixin
from pages.pagination import paginate_by_key
from visibility.audience import (
    AudienceMixin,
    audience_field,
    visible_pages,
)
from visibility.cache import remember

# Who sees the address, search and menu fields, the schedule, Wagtail's
# privacy controls and the locale of a news item: the district team.
PUBLISHING_DETAILS = "news.edit_publishing_details"


class ReaderState:
    """What a news item knows of its reader: whether an acknowledgement is
    awaited (``with_recipient``) and the read mark set when it is opened
    (``opened``). The personal feed (``inbox``, above news) provides both in
    its ``ready()``; without it, a news item knows nothing of its reader."""

    def with_recipient(self, pages, user):
        return pages

    def opened(self, request, page):
        return None


READER_STATE = ReaderState()


class NewsPageQuerySet(PageQuerySet):
    def listing(self, user):
        """Live news that ``user`` may see, newest first."""
        # The locale is read in a subquery rather than joined: the locales'
        # table is too small to ever be analysed, and a join on it misleads
        # PostgreSQL's planner into reading every news item before sorting.
        locale = Locale.objects.filter(language_code=get_language()).values("pk")
        return visible_pages(
            self.live().filter(locale_id=Subquery(locale[:1])), user
        ).order_by("-date", "-pk")

    def cards(self):
        """Only what a news card shows (title, link, introduction, date),
        for lists: their statements stay short."""
        return self.only("title", "url_path", "intro", "date")


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)


class NewsIndexPage(SitePageMixin, RoutablePageMixin, Page):
    """The district's news, with tag pages and its feeds (Atom and RSS)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1
    page_description = _("The district's news, for every school and family.")

    class Meta:
        verbose_name = _("district news index")
        verbose_name_plural = _("district news indexes")

    @classmethod
    def of_site(cls, site):
        """The district's news index (where tag pages are), kept with the
        site's structure."""
        if site is None:
            return None
        return remember(
            f"news-index:{site.pk}",
            lambda: cls.objects.live().descendant_of(site.root_page).first(),
        )

    @path("")
    def index(self, request):
        news = NewsPage.objects.listing(request.user).child_of(self).cards()
        return self.render(
            request, context_overrides={"news_page": paginate_by_key(request, news)}
        )

    @path("etiquette/<slug:tag>/", name="tag")
    def tag(self, request, tag):
        tag = Tag.objects.filter(slug=tag).first()
        news = NewsPage.objects.listing(request.user).descendant_of(
            Site.find_for_request(request).root_page
        )
        news = news.filter(tags=tag).cards() if tag else news.none()
        return self.render(
            request,
            context_overrides={"news_page": paginate_by_key(request, news), "tag": tag},
        )

    @path("atom/", name="atom")
    def atom(self, request):
        from news.feeds import NewsFeed

        return NewsFeed(self, "atom")(request)

    @path("rss/", name="rss")
    def rss(self, request):
        from news.feeds import NewsFeed

        return NewsFeed(self, "rss")(request)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(SitePageMixin, AudienceMixin, Page):
    """A piece of news of the district, a school or a class."""

    audience = audience_field()
    date = models.DateField(_("date"), default=datetime.date.today)
    intro = models.TextField(
        _("introduction"),
        max_length=400,
        blank=True,
        help_text=_(
            "One or two sentences shown in lists and e-mails. Leave empty to "
            "use the first sentence of the text."
        ),
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(
        through=NewsPageTag, blank=True, verbose_name=_("tags")
    )
    addressed_to = models.CharField(
        _("addressed to"),
        max_length=10,
        choices=[
            ("", _("Everyone its audience admits")),
            ("director", _("Directors")),
            ("teacher", _("Teachers")),
            ("family", _("Families")),
        ],
        blank=True,
        # Read by the visibility rule (visibility.audience).
        db_index=True,
        help_text=_(
            "Who is notified and asked to acknowledge. For a district news "
            "item, also who may read it: directors only, or teachers and "
            "directors; news for families is also read by the teachers and "
            "directors of their schools, so that they can answer them, "
            "without being notified."
        ),
    )
    target_schools = ParentalManyToManyField(
        "schools.SchoolPage",
        verbose_name=_("only for these schools"),
        blank=True,
        related_name="+",
        help_text=_(
            "For a district news item: leave empty for the whole district, or "
            "tick the schools it is for; nobody else will see it."
        ),
    )
    acknowledgement_required = models.BooleanField(
        _("acknowledgement requested"),
        default=False,
        help_text=_(
            "Each person it is addressed to confirms they have read it; you "
            "see who has not, and may remind them."
        ),
    )

    objects = NewsPageManager()
    base_form_class = NewsPageForm
    # The form's main button says what happens (pages.wagtail_hooks).
    one_main_button = True

    content_panels = [
        *Page.content_panels,
        FieldPanel("audience"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("photo"),
                FieldPanel("photo_pupils"),
                FieldPanel("photo_nobody"),
                FieldPanel("photo_alt"),
            ],
            heading=_("Add a photo"),
        ),
        FieldPanel("intro"),
        FieldPanel("date"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("addressed_to", permission="news.address_schools"),
                FieldPanel(
                    "target_schools",
                    widget=forms.CheckboxSelectMultiple,
                    permission="news.address_schools",
                ),
                FieldPanel("acknowledgement_required"),
            ],
            heading=_("Recipients"),
        ),
    ]
    # The address, search and menu fields and the schedule are the district
    # team's: school staff never see them (the address is made from the
    # title when the page is saved).
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug", permission=PUBLISHING_DETAILS),
                FieldPanel("seo_title", permission=PUBLISHING_DETAILS),
                FieldPanel("search_description", permission=PUBLISHING_DETAILS),
            ],
            heading=_("For search engines"),
        ),
        MultiFieldPanel(
            [FieldPanel("show_in_menus", permission=PUBLISHING_DETAILS)],
            heading=_("For site menus"),
        ),
    ]
    settings_panels = [
        PublishingPanel(
            children=[
                FieldPanel("go_live_at", permission=PUBLISHING_DETAILS),
                FieldPanel("expire_at", permission=PUBLISHING_DETAILS),
            ]
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = [
        "news.NewsIndexPage",
        "schools.SchoolPage",
        "schools.ClassroomPage",
    ]
    subpage_types = []
    page_description = _(
        "A piece of news for the district, a school or a class, addressed to "
        "the audience you choose."
    )

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        # Listings and feeds read news newest first and stop at a page's worth.
        indexes = [
            models.Index(fields=["-date", "-page_ptr"], name="news_newest_first")
        ]
        permissions = [
            ("address_schools", _("Can address district news to chosen schools")),
            (
                "edit_publishing_details",
                _(
                    "Can change a news item's address, search and menu fields "
                    "and schedule"
                ),
            ),
        ]

    @classmethod
    def for_reader(cls, pages, user):
        """What a news item shows its reader, read with it when it is served
        (``visibility.routing``): whether an acknowledgement is awaited."""
        return READER_STATE.with_recipient(pages, user)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["recipient"] = READER_STATE.opened(request, self)
        context["news_index"] = NewsIndexPage.of_site(Site.find_for_request(request))
        return context
