"""Finding resources: facets that combine, French full-text search, counts
per facet value, sorting, and a shareable URL for every state.

Values of one facet are alternatives (CE1 *or* CE2), facets add up (CE1 *and*
mathematics). The counts shown beside a facet's values are computed with the
query and every *other* facet applied, so they tell how many resources a
reader gets by ticking that value. Each facet costs one grouped query: the
number of queries does not depend on the size of the library.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from pages.pagination import clean_query, paginate
from resources.models import Kind, Licence, ResourcePage, ResourcePageTag, Subject
from schools.models import Level
from visibility.audience import visible_pages
from visibility.cache import remember

TAG_SLUG = re.compile(r"[-\w]{1,100}")
MAX_VALUES = 20
PER_PAGE = 20
TAGS_SHOWN = 15

SORTS = {
    "pertinence": (_("Relevance"), None),
    "recent": (_("Newest first"), ("-date", "-first_published_at", "-pk")),
    "titre": (_("Title"), ("title", "pk")),
}
LevelLink = ResourcePage.levels.through
# What a resource's card shows (resources/includes/resource_card.html): the
# list's statements stay short.
CARD_FIELDS = (
    "title",
    "url_path",
    "summary",
    "kind",
    "subject__name",
    "audience",
    "author",
    "licence",
    "date",
)


@dataclass
class Facet:
    param: str
    label: str
    # What the resources are grouped by to count each value.
    count_by: str
    # Whether a resource may have several values (and so count once per value).
    many: bool = False

    def condition(self, values, levels):
        if self.param in ("cycle", "niveau"):
            # Level ids rather than a join: the planner knows the links'
            # statistics better than those of the small levels table.
            ids = [
                pk
                for pk, code, cycle in levels
                if (str(cycle) if self.param == "cycle" else code) in values
            ]
            links = LevelLink.objects.filter(level_id__in=ids)
            return Q(pk__in=links.values("resourcepage_id"))
        if self.param == "etiquette":
            tagged = ResourcePageTag.objects.filter(tag__slug__in=values)
            return Q(pk__in=tagged.values("content_object_id"))
        return Q(**{f"{self.count_by}__in": values})


FACETS = [
    Facet("cycle", _("Cycle"), "levels__cycle", many=True),
    Facet("niveau", _("Level"), "levels__code", many=True),
    Facet("matiere", _("Subject"), "subject__slug"),
    Facet("type", _("Kind of resource"), "kind"),
    Facet("licence", _("Licence"), "licence"),
    Facet("etiquette", _("Tags"), "tags__slug", many=True),
]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int = 0
    selected: bool = False


@dataclass
class FacetView:
    facet: Facet
    values: list = field(default_factory=list)

    @property
    def has_values(self):
        return any(value.count or value.selected for value in self.values)


class LibrarySearch:
    """One state of the library page, read from its URL's parameters."""

    def __init__(self, index, request):
        self.request = request
        self.index = index
        params = request.GET
        self.query = clean_query(params.get("q", ""))
        self.labels = self.value_labels()
        self.selected = {}
        for facet in FACETS:
            values = [
                value
                for value in dict.fromkeys(params.getlist(facet.param))
                if self.is_known(facet, value)
            ][:MAX_VALUES]
            if values:
                self.selected[facet.param] = values
        sort = params.get("tri")
        if sort not in SORTS or (sort == "pertinence" and not self.query):
            sort = "pertinence" if self.query else "recent"
        self.sort = sort

    def value_labels(self):
        """Every value a facet may take, with its label: unknown values in a
        URL are ignored rather than answered with an error. Levels and
        subjects are kept with the site's structure (``visibility.cache``)."""
        self.levels, subjects = remember(
            "library-values",
            lambda: (
                list(Level.objects.values_list("pk", "code", "cycle")),
                list(Subject.objects.values_list("slug", "name")),
            ),
        )
        return {
            "cycle": {
                str(cycle): _("Cycle %(cycle)s") % {"cycle": cycle}
                for cycle in sorted({cycle for _pk, _code, cycle in self.levels})
            },
            "niveau": {code: code for _pk, code, _cycle in self.levels},
            "matiere": dict(subjects),
            "type": dict(Kind.choices),
            "licence": dict(Licence.choices),
        }

    def is_known(self, facet, value):
        if facet.param == "etiquette":
            return bool(TAG_SLUG.fullmatch(value))
        return value in self.labels[facet.param]

    # Querysets

    @cached_property
    def scope(self):
        """The resources this reader may see in this library."""
        return visible_pages(
            ResourcePage.objects.live().child_of(self.index), self.request.user
        )

    def conditions(self, except_param=None, text=True):
        condition = Q()
        if self.query and text:
            matches = (
                ResourcePage.objects.search(self.query, order_by_relevance=False)
                .get_queryset()
                .values("pk")
            )
            condition &= Q(pk__in=matches)
        for facet in FACETS:
            if facet.param != except_param and facet.param in self.selected:
                condition &= facet.condition(self.selected[facet.param], self.levels)
        return condition

    @cached_property
    def page(self):
        if self.sort == "pertinence":
            # Ranked by the search engine, which matches the text itself.
            candidates = self.scope.filter(self.conditions(text=False))
            results = (
                ResourcePage.objects.filter(pk__in=candidates.values("pk"))
                .select_related("subject")
                .prefetch_related("levels")
                .only(*CARD_FIELDS)
                .search(self.query)
            )
        else:
            results = (
                self.scope.filter(self.conditions())
                .select_related("subject")
                .prefetch_related("levels")
                .only(*CARD_FIELDS)
                .order_by(*SORTS[self.sort][1])
            )
        return paginate(self.request, results, per_page=PER_PAGE)

    @cached_property
    def facets(self):
        views = []
        for facet in FACETS:
            resources = self.scope.filter(self.conditions(except_param=facet.param))
            selected = self.selected.get(facet.param, [])
            if facet.param == "etiquette":
                views.append(self.tag_facet(facet, resources, selected))
                continue
            counts = dict(
                resources.order_by()
                .values_list(facet.count_by)
                .annotate(count=Count("pk", distinct=facet.many))
            )
            views.append(
                FacetView(
                    facet,
                    [
                        FacetValue(
                            value,
                            label,
                            counts.get(
                                int(value) if facet.param == "cycle" else value, 0
                            ),
                            value in selected,
                        )
                        for value, label in self.labels[facet.param].items()
                    ],
                )
            )
        return views

    def tag_facet(self, facet, resources, selected):
        rows = (
            resources.filter(tags__isnull=False)
            .order_by()
            .values_list("tags__slug", "tags__name")
            .annotate(count=Count("pk"))
            .order_by("-count", "tags__name")
        )
        top = {slug: (name, count) for slug, name, count in rows[:TAGS_SHOWN]}
        values = [
            FacetValue(slug, name, count, slug in selected)
            for slug, (name, count) in top.items()
        ]
        # A ticked tag stays on screen, whatever its rank.
        values += [
            FacetValue(slug, slug, 0, True) for slug in selected if slug not in top
        ]
        return FacetView(facet, values)

    # Presentation

    @property
    def sorts(self):
        return [
            (value, label, value == self.sort)
            for value, (label, _order) in SORTS.items()
            if value != "pertinence" or self.query
        ]

    @property
    def active_filters(self):
        """What narrows the list now, each with the URL without it."""
        active = []
        for facet in FACETS:
            for value in self.selected.get(facet.param, []):
                label = self.labels.get(facet.param, {}).get(value, value)
                active.append(
                    (facet.label, label, self.url_without(facet.param, value))
                )
        return active

    def url_without(self, param, value):
        params = self.request.GET.copy()
        params.pop("page", None)
        params.setlist(param, [item for item in params.getlist(param) if item != value])
        return "?" + params.urlencode() if params else "?"
