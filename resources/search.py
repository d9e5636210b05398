"""Finding resources: facets that combine, French full-text search, counts
per facet value, sorting, and a shareable URL for every state.

Values of one facet are alternatives (CE1 *or* CE2), facets add up (CE1 *and*
mathematics). The counts shown beside a facet's values are computed with the
query and every *other* facet applied, so they tell how many resources a
reader gets by ticking that value.

A search costs two statements, whatever the size of the library and the
number of facets ticked (docs/library.md):

- the counts: the resources this reader may see that match the words are
  read once (a common table expression, the text matched with the search
  index), each row with a flag per ticked facet telling whether it passes
  it; every facet is then counted over the rows that pass all the *other*
  facets, and the results over the rows that pass them all, in one
  ``UNION ALL``. Visitors without an account share these counts
  (``visibility.cache.remember``: dropped when anything they see changes);
- the page of results, ranked or sorted, with the ids of each one's levels.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from taggit.models import Tag

from pages.pagination import clean_query
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


class JoinedIds(Aggregate):
    """The ids of a group joined by commas: ``GROUP_CONCAT`` on SQLite,
    ``STRING_AGG`` on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(CAST(%(expressions)s AS TEXT), ',')",
            **extra_context,
        )


def cards(resources):
    """``resources`` with what their cards show, the ids of their levels
    read in the same statement (``LibrarySearch.with_level_codes``)."""
    level_ids = (
        LevelLink.objects.filter(resourcepage_id=OuterRef("pk"))
        .order_by()
        .values("resourcepage_id")
        .annotate(ids=JoinedIds("level_id"))
        .values("ids")
    )
    return (
        resources.select_related("subject")
        .only(*CARD_FIELDS)
        .annotate(level_ids=Subquery(level_ids))
    )


@dataclass(frozen=True)
class LinkTable:
    """A table linking resources to values, named for a SQL statement."""

    table: str
    # The columns of the resource and of the value, with their table.
    owner: str
    target: str


def link_table(model, owner, target):
    table = model._meta.db_table
    return LinkTable(
        table,
        f"{table}.{model._meta.get_field(owner).column}",
        f"{table}.{model._meta.get_field(target).column}",
    )


@dataclass
class Facet:
    param: str
    label: str
    # The field a resource's value is read from (for the facets with a
    # value of their own: cycles, levels and tags are read through links).
    field: str

    def condition(self, values, levels):
        if self.param in ("cycle", "niveau"):
            # Level ids rather than a join: the planner knows the links'
            # statistics better than those of the small levels table.
            ids = [
                pk
                for pk, code, cycle in levels
                if (str(cycle) if self.param == "cycle" else code) in values
            ]
            # Asked of each row (its links' unique index answers): reading
            # every resource of a cycle first would cost more.
            links = LevelLink.objects.filter(
                resourcepage_id=OuterRef("pk"), level_id__in=ids
            )
            return Q(Exists(links))
        if self.param == "etiquette":
            tagged = ResourcePageTag.objects.filter(
                content_object_id=OuterRef("pk"), tag__slug__in=values
            )
            return Q(Exists(tagged))
        return Q(**{f"{self.field}__in": values})


FACETS = [
    Facet("cycle", _("Cycle"), "levels__cycle"),
    Facet("niveau", _("Level"), "levels__code"),
    Facet("matiere", _("Subject"), "subject__slug"),
    Facet("type", _("Kind of resource"), "kind"),
    Facet("licence", _("Licence"), "licence"),
    Facet("etiquette", _("Tags"), "tags__slug"),
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

    def text_matches(self):
        """The ids of the resources whose text matches the words, read with
        the search index."""
        return (
            ResourcePage.objects.search(self.query, order_by_relevance=False)
            .get_queryset()
            .values("pk")
        )

    @cached_property
    def matched(self):
        """The resources this reader may see that match the words."""
        if not self.query:
            return self.scope
        return self.scope.filter(pk__in=self.text_matches())

    def facet_conditions(self):
        """What every ticked facet asks of a resource."""
        condition = Q()
        for facet in FACETS:
            if facet.param in self.selected:
                condition &= facet.condition(self.selected[facet.param], self.levels)
        return condition

    @cached_property
    def page(self):
        """The requested page of results, with the total read with the
        counts: bad or out-of-range numbers give a valid page."""
        paginator = Paginator(self.results(), PER_PAGE)
        paginator.count = self.counts["total"]
        page = paginator.get_page(self.request.GET.get("page"))
        page.object_list = self.with_level_codes(list(page.object_list))
        page.pages_list = list(
            paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        )
        return page

    def results(self):
        """The results in their order, each with what its card shows."""
        if self.sort == "pertinence":
            # Ranked by the search engine. The candidates are matched too:
            # the planner then starts from the few resources with the words
            # rather than from every resource of the ticked facets.
            candidates = self.matched.filter(self.facet_conditions()).values("pk")
            return cards(ResourcePage.objects.filter(pk__in=candidates)).search(
                self.query
            )
        return cards(self.matched.filter(self.facet_conditions())).order_by(
            *SORTS[self.sort][1]
        )

    def with_level_codes(self, resources):
        """``resources``, each with the codes of its levels in the levels'
        order, read from the ids its statement brought."""
        for resource in resources:
            ids = {int(pk) for pk in (resource.level_ids or "").split(",") if pk}
            resource.level_codes = ", ".join(
                code for pk, code, _cycle in self.levels if pk in ids
            )
        return resources

    @cached_property
    def counts(self):
        """The number of results and every facet's counts. Visitors without
        an account all see the same resources: they share them until anything
        they may see changes."""
        if self.request.user.is_authenticated:
            return self.count_everything()
        state = json.dumps([self.index.pk, self.query, sorted(self.selected.items())])
        digest = hashlib.sha256(state.encode()).hexdigest()
        return remember(f"library-counts:{digest}", self.count_everything)

    def count_everything(self):
        """The counts, read in one statement (``count_statement``)."""
        counts = {"total": 0, "tags": [], **{facet.param: {} for facet in FACETS}}
        with connection.cursor() as cursor:
            cursor.execute(*self.count_statement())
            for param, value, label, count, _rank in sorted(
                cursor.fetchall(), key=lambda row: row[4] or 0
            ):
                if param == "total":
                    counts["total"] = count
                elif param == "etiquette":
                    counts["tags"].append((value, label, count))
                else:
                    counts[param][value] = count
        return counts

    def count_statement(self):
        """One statement counting the results and each facet's values with
        every other facet applied, over the matching rows read once."""
        flags = {
            f"passes_{param}": ExpressionWrapper(
                facet.condition(self.selected[param], self.levels),
                output_field=BooleanField(),
            )
            for facet in FACETS
            if (param := facet.param) in self.selected
        }
        rows = (
            self.matched.annotate(**flags)
            .order_by()
            .values_list("pk", "subject__slug", "kind", "licence", *flags)
        )
        rows_sql, params = rows.query.sql_with_params()
        columns = ", ".join(["id", "matiere", "type", "licence", *flags])

        def passing(except_param=None):
            """The rows that pass every ticked facet but ``except_param``."""
            kept = [
                f"passes_{param}" for param in self.selected if param != except_param
            ]
            return " AND ".join(kept) or "1 = 1"

        link = link_table(LevelLink, "resourcepage", "level")
        level = Level._meta.db_table
        tagged = link_table(ResourcePageTag, "content_object", "tag")
        tag = Tag._meta.db_table
        levels_of_rows = (
            f"FROM matched JOIN {link.table} ON {link.owner} = matched.id "
            f"JOIN {level} ON {level}.id = {link.target}"
        )
        # Only names from the code are written into the statement; the
        # reader's words and values are parameters of ``rows_sql``.
        parts = [
            # The rank of tags is typed in the first branch: PostgreSQL reads
            # the other branches' NULL as text otherwise.
            f"SELECT 'total', NULL, NULL, COUNT(*), CAST(NULL AS BIGINT) "  # noqa: S608
            f"FROM matched "
            f"WHERE {passing()}",
            *(
                f"SELECT '{param}', {param}, NULL, COUNT(*), NULL FROM matched "  # noqa: S608
                f"WHERE {passing(param)} GROUP BY {param}"
                for param in ("matiere", "type", "licence")
            ),
            f"SELECT 'cycle', CAST({level}.cycle AS TEXT), NULL, "
            f"COUNT(DISTINCT matched.id), NULL {levels_of_rows} "
            f"WHERE {passing('cycle')} GROUP BY {level}.cycle",
            f"SELECT 'niveau', {level}.code, NULL, COUNT(DISTINCT matched.id), "
            f"NULL {levels_of_rows} WHERE {passing('niveau')} GROUP BY {level}.code",
            f"SELECT * FROM (SELECT 'etiquette', {tag}.slug, {tag}.name, "  # noqa: S608
            f"COUNT(*), ROW_NUMBER() OVER (ORDER BY COUNT(*) DESC, {tag}.name) "
            f"AS tag_rank FROM matched "
            f"JOIN {tagged.table} ON {tagged.owner} = matched.id "
            f"JOIN {tag} ON {tag}.id = {tagged.target} "
            f"WHERE {passing('etiquette')} GROUP BY {tag}.slug, {tag}.name "
            f"ORDER BY tag_rank LIMIT {TAGS_SHOWN}) AS top_tags",
        ]
        sql = f"WITH matched ({columns}) AS ({rows_sql}) " + " UNION ALL ".join(parts)
        return sql, params

    @cached_property
    def facets(self):
        views = []
        for facet in FACETS:
            selected = self.selected.get(facet.param, [])
            if facet.param == "etiquette":
                views.append(self.tag_facet(facet, selected))
                continue
            counts = self.counts[facet.param]
            views.append(
                FacetView(
                    facet,
                    [
                        FacetValue(
                            value, label, counts.get(value, 0), value in selected
                        )
                        for value, label in self.labels[facet.param].items()
                    ],
                )
            )
        return views

    def tag_facet(self, facet, selected):
        values = [
            FacetValue(slug, name, count, slug in selected)
            for slug, name, count in self.counts["tags"]
        ]
        # A ticked tag stays on screen, whatever its rank.
        shown = {value.value for value in values}
        values += [
            FacetValue(slug, slug, 0, True) for slug in selected if slug not in shown
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
