from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

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


# Search words beyond this length are dropped.
MAX_QUERY_LENGTH = 200


def clean_query(raw):
    """A reader's search words: NUL bytes and quotes mean nothing to a
    reader and break some search engines' query syntax."""
    return raw.replace("\x00", "").replace('"', " ").strip()[:MAX_QUERY_LENGTH]
