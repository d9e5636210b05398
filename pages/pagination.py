import datetime
import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Window

# Farther than this, a page cannot even be asked of a database (its offset
# would not fit in 64 bits): it is past the end.
MAX_OFFSET = 2**62


def paginate(request, queryset, per_page=10):
    """The requested page of ``queryset``; bad or out-of-range input gives a
    valid page rather than an error. A queryset is counted in the query that
    reads the page (one query, whatever the number of items)."""
    paginator = Paginator(queryset, per_page)
    if isinstance(queryset, QuerySet) and not queryset.query.distinct:
        page = counted_page(paginator, request.GET.get("page"))
    else:
        page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(
        paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    )
    return page


def counted_page(paginator, number):
    """``paginator.get_page(number)``, with the total read beside the items
    (``COUNT(*) OVER ()``) instead of in a query of its own."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    queryset = paginator.object_list.annotate(listing_total=Window(Count("pk")))
    start = (number - 1) * paginator.per_page
    items = []
    if 0 <= start < MAX_OFFSET:
        items = list(queryset[start : start + paginator.per_page])
    if items:
        paginator.count = items[0].listing_total
    elif number == 1:
        paginator.count = 0
    else:
        # Before the first page or past the end: the last page, as
        # Paginator.get_page gives it.
        number = paginator.num_pages
        start = (number - 1) * paginator.per_page
        items = list(paginator.object_list[start : start + paginator.per_page])
    return Page(items, number, paginator)


# The URL parameters of a listing read by key: the page of the news older
# than the key, or newer than it. The first page has neither: its URL stays
# the listing's own.
OLDER = "avant"
NEWER = "apres"
# A key is a news item's date and id: « 2026-12-06_1234 ». The id is capped
# so that a tampered key always fits in a database integer.
KEY = re.compile(r"(\d{4}-\d{2}-\d{2})_(\d{1,18})")


@dataclass
class KeyPage:
    """One page of a listing read newest first (by date, then id) and
    paginated by key: the news around a key, never counted. ``older_url``
    and ``newer_url`` are the links to the neighbouring pages, or empty."""

    object_list: list
    older_url: str = ""
    newer_url: str = ""

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def key_of(item):
    """The key of a listed news item: its date and id."""
    return f"{item.date.isoformat()}_{item.pk}"


def parse_key(raw):
    """The (date, id) of a key from a URL, or None if it is not one (a
    tampered or truncated URL then gives the first page)."""
    found = KEY.fullmatch(raw or "")
    if found is None:
        return None
    try:
        return datetime.date.fromisoformat(found[1]), int(found[2])
    except ValueError:
        return None


def page_url(request, parameter, item):
    """The URL of this listing with ``parameter`` set to ``item``'s key (the
    other parameters kept, such as the feed's source)."""
    query = request.GET.copy()
    for name in (OLDER, NEWER, "page"):
        query.pop(name, None)
    query[parameter] = key_of(item)
    return f"?{query.urlencode()}"


def paginate_by_key(request, queryset, per_page=10):
    """The page of ``queryset`` (news ordered by ``-date, -pk``) that the
    request's key asks for, read in one query that stops after a page: the
    database walks its newest-first index and never counts the listing. A
    key that is not one, or past the end, gives the first page."""
    older = parse_key(request.GET.get(OLDER))
    newer = None if older else parse_key(request.GET.get(NEWER))
    if newer:
        date, pk = newer
        after = queryset.filter(Q(date__gt=date) | Q(date=date, pk__gt=pk))
        items = list(after.order_by("date", "pk")[: per_page + 1])[::-1]
        if len(items) > per_page:
            return key_page(request, items[1:], older=True, newer=True)
        if len(items) == per_page:
            # Exactly a page newer than the key: the first page.
            return key_page(request, items, older=True, newer=False)
    if older:
        date, pk = older
        before = queryset.filter(Q(date__lt=date) | Q(date=date, pk__lt=pk))
        items = list(before[: per_page + 1])
        if items:
            return key_page(
                request, items[:per_page], older=len(items) > per_page, newer=True
            )
    items = list(queryset[: per_page + 1])
    return key_page(request, items[:per_page], older=len(items) > per_page, newer=False)


def key_page(request, items, older, newer):
    """The ``KeyPage`` of ``items``, with links to the older and newer pages
    where there are some."""
    page = KeyPage(items)
    if older:
        page.older_url = page_url(request, OLDER, items[-1])
    if newer:
        page.newer_url = page_url(request, NEWER, items[0])
    return page


# Search words beyond this length are dropped.
MAX_QUERY_LENGTH = 200


def clean_query(raw):
    """A reader's search words: NUL bytes and quotes mean nothing to a
    reader and break some search engines' query syntax."""
    return raw.replace("\x00", "").replace('"', " ").strip()[:MAX_QUERY_LENGTH]
