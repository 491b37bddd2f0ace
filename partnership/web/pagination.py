"""Pagination for every list page: a bounded page of rows and the GOV.UK pagination links."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page (the first or last page if the number is not a real one)."""
    paginator = Paginator(queryset, per_page)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return page


def pagination_params(request, page) -> dict | None:
    """The parameters of the govukPagination macro for a page of results."""
    if page.paginator.num_pages <= 1:
        return None

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return "?" + query.urlencode()

    items = []
    last = page.paginator.num_pages
    shown = sorted(
        {1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1))
    )
    previous = None
    for number in shown:
        if previous is not None and number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": link(number), "current": number == page.number})
        previous = number
    params = {"items": items}
    if page.has_previous():
        params["previous"] = {"href": link(page.previous_page_number())}
    if page.has_next():
        params["next"] = {"href": link(page.next_page_number())}
    return params
