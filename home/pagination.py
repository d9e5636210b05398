from django.core.paginator import Paginator


def paginate(request, queryset, per_page=10):
    """The requested page of ``queryset``; bad or out-of-range input gives a
    valid page rather than an error."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(
        paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    )
    return page
