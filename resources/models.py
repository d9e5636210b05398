import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase

from pages.mixins import SitePageMixin
from resources.forms import ResourcePageForm
from visibility.audience import Audience, AudienceMixin, access_for, visible_pages


class Subject(models.Model):
    """A domain (cycle 1) or subject (cycles 2 and 3) of the national
    curriculum: the managed list resources are filed under."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    cycles = models.CharField(
        _("cycles"),
        max_length=10,
        help_text=_("The cycles whose curriculum has it, for example 2,3."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("cycles"),
        FieldPanel("position"),
    ]

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self):
        return self.name


class Licence(models.TextChoices):
    CC_BY = "cc-by", "CC BY"
    CC_BY_SA = "cc-by-sa", "CC BY-SA"
    CC_BY_NC = "cc-by-nc", "CC BY-NC"
    CC_BY_NC_SA = "cc-by-nc-sa", "CC BY-NC-SA"
    CC0 = "cc0", "CC0"
    ALL_RIGHTS_RESERVED = (
        "all-rights-reserved",
        _("All rights reserved (internal use)"),
    )


# What each licence allows, in French, on the Creative Commons site.
LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.fr",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/deed.fr",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
}

LICENCE_HELP = _(
    "Without an author and a licence, nobody knows whom to credit nor whether "
    "the resource may be copied, adapted or shared: give the ones chosen by "
    "its author."
)


class Kind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")
    VIDEO = "video", _("Video")


class ResourceIndexPage(SitePageMixin, RoutablePageMixin, Page):
    """The entry page of the district's library of teaching resources."""

    intro = RichTextField(
        _("introduction"), features=["bold", "italic", "link"], blank=True
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["resources.ResourcePage"]
    max_count_per_parent = 1
    page_description = _("The library of teaching resources shared in the district.")

    class Meta:
        verbose_name = _("resource library")
        verbose_name_plural = _("resource libraries")

    @path("")
    def index(self, request):
        from resources.search import LibrarySearch

        return self.render(
            request,
            context_overrides={
                "library": LibrarySearch(self, request),
                "may_propose": self.may_propose(request.user),
            },
        )

    @staticmethod
    def may_propose(user):
        """Whether ``user`` is shown « Proposer une ressource »: teachers,
        directors and the district team, who propose in the admin. Read from
        the memberships loaded with the person: no query."""
        access = access_for(user)
        return access.admin and (
            access.team or bool(access.roles & {"director", "teacher"})
        )

    @path("atom/", name="atom")
    def atom(self, request):
        from resources.feeds import ResourceFeed

        return ResourceFeed(self, "atom")(request)

    @path("rss/", name="rss")
    def rss(self, request):
        from resources.feeds import ResourceFeed

        return ResourceFeed(self, "rss")(request)


class ResourcePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "resources.ResourcePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ResourcePage(SitePageMixin, AudienceMixin, Page):
    """A teaching resource: a document, a link or a video, with its licence."""

    audience = models.CharField(
        _("audience"),
        max_length=16,
        choices=[
            (Audience.PUBLIC, _("Public: everyone")),
            (Audience.STAFF, _("Staff: teachers and directors of the district")),
        ],
        default=Audience.STAFF,
        db_index=True,
        help_text=_(
            "Who may find and open this resource. A resource whose rights are "
            "all reserved stays among staff."
        ),
    )
    date = models.DateField(_("date"), default=datetime.date.today, db_index=True)
    summary = models.TextField(
        _("summary"),
        max_length=600,
        help_text=_("What the resource is and how to use it in class, in a few lines."),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, editable=False, db_index=True
    )
    document = models.ForeignKey(
        "mediafiles.CustomDocument",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A worksheet, a sequence, a slideshow: PDF, text or office file."),
    )
    link = models.URLField(
        _("link"),
        blank=True,
        help_text=_("The address of a website or an online tool."),
    )
    video_url = models.URLField(
        _("video"),
        blank=True,
        help_text=_(
            "The address of a video on a platform that can be embedded, for "
            "example a PeerTube of apps.education.fr, Vimeo or Dailymotion."
        ),
    )
    levels = ParentalManyToManyField(
        "schools.Level",
        verbose_name=_("levels"),
        related_name="resources",
        help_text=_("The class levels it suits; its cycles follow from them."),
    )
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="resources",
    )
    tags = ClusterTaggableManager(
        through=ResourcePageTag,
        blank=True,
        verbose_name=_("tags"),
        help_text=_(
            "A few key words; the tags already used by others are suggested "
            "as you type."
        ),
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, help_text=LICENCE_HELP
    )
    author = models.CharField(
        _("author"),
        max_length=200,
        help_text=_("The person or body who made it, as they want to be credited."),
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where it was published first, if elsewhere (site, book, …)."),
    )

    content_panels = [
        HelpPanel(
            content=_(
                "The district team decides: it reads your proposal, then "
                "publishes it, for everyone or for the district's teachers and "
                "directors, or asks you for changes. You follow its state on "
                "your dashboard."
            )
        ),
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                HelpPanel(
                    content=_("Give one of the three: a file, a link or a video.")
                ),
                FieldPanel("file"),
                FieldPanel("document"),
                FieldPanel("link"),
                FieldPanel("video_url"),
            ],
            heading=_("The resource"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("levels", widget=forms.CheckboxSelectMultiple),
                FieldPanel("subject", widget=forms.Select),
                FieldPanel("tags"),
            ],
            heading=_("For whom and what"),
        ),
        MultiFieldPanel(
            [
                HelpPanel(template="resources/panels/licence_help.html"),
                FieldPanel("licence"),
                FieldPanel("author"),
                FieldPanel("source"),
            ],
            heading=_("Author and licence"),
        ),
        FieldPanel("audience"),
        FieldPanel("date"),
    ]
    base_form_class = ResourcePageForm
    # The form's main button says what happens (pages.wagtail_hooks).
    one_main_button = True
    # Teachers propose through this form only: no SEO or scheduling tabs.
    promote_panels = []
    settings_panels = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("author"),
        index.SearchField("source"),
        index.RelatedFields("subject", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("date"),
    ]

    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []
    page_description = _(
        "A teaching resource (a file, a link or a video) proposed to the "
        "district's library."
    )

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def given_kinds(self):
        return [
            kind
            for kind, value in (
                (Kind.DOCUMENT, self.document_id),
                (Kind.LINK, self.link),
                (Kind.VIDEO, self.video_url),
            )
            if value
        ]

    def save(self, *args, **kwargs):
        given = self.given_kinds()
        self.kind = given[0] if given else ""
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if len(self.given_kinds()) > 1:
            raise ValidationError(
                gettext("Give only one of the three: a file, a link or a video.")
            )
        if (
            self.licence == Licence.ALL_RIGHTS_RESERVED
            and self.audience == Audience.PUBLIC
        ):
            raise ValidationError(
                {
                    "audience": gettext(
                        "A resource whose rights are all reserved may only be "
                        "shared among staff: choose a free licence to make it "
                        "public."
                    )
                }
            )

    @cached_property
    def cycles(self):
        return sorted({level.cycle for level in self.levels.all()})

    @cached_property
    def level_codes(self):
        """The codes of its levels, as its card shows them (the library's
        list reads them with its results: ``resources.search``)."""
        return ", ".join(level.code for level in self.levels.all())

    @property
    def licence_url(self):
        return LICENCE_URLS.get(self.licence, "")

    @property
    def credit(self):
        """How to credit the resource, ready to copy."""
        parts = [f"« {self.title} »", self.author]
        if self.source:
            parts.append(self.source)
        if self.licence == Licence.ALL_RIGHTS_RESERVED:
            parts.append(gettext("all rights reserved, internal use of the district"))
        else:
            parts.append(
                gettext("licence %(licence)s (%(url)s)")
                % {"licence": self.get_licence_display(), "url": self.licence_url}
            )
        return ", ".join(parts)

    def related(self, user, limit=4):
        """Other resources of the same subject for one of the same levels."""
        return (
            visible_pages(ResourcePage.objects.live(), user)
            .filter(subject_id=self.subject_id, levels__in=self.levels.all())
            .exclude(pk=self.pk)
            .distinct()
            .order_by("-date", "-pk")[:limit]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["library"] = self.get_parent().specific
        context["related_resources"] = self.related(request.user)
        return context
