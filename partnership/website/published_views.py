"""Published case reviews on the public site.

The website reads what the reviews module publishes (`Publication.objects.published()`) and
never writes to it. Reports stay downloadable for the configured period (at least 12 months);
after that the page says they are available on request.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from partnership.accounts.decorators import public
from partnership.reviews.models import LearningProduct, Publication, ReviewDocument, ReviewRules
from partnership.web.pagination import paginate
from partnership.web.storage import file_download

DOCUMENTS = {"report": "report", "executive-summary": "executive_summary"}


@public
def review_list(request):
    rules = ReviewRules.current()
    publications = (
        Publication.objects.published().select_related("review").order_by("-published_on", "-pk")
    )
    page = paginate(request, publications, per_page=20)
    return render(
        request,
        "website/published/review_list.html",
        {"page": page, "rules": rules},
    )


def _publication(slug):
    return get_object_or_404(
        Publication.objects.published().select_related("review", "report", "executive_summary"),
        slug=slug,
    )


@public
def review_detail(request, slug):
    publication = _publication(slug)
    rules = ReviewRules.current()
    review = publication.review
    products = list(
        LearningProduct.objects.filter(review=review, published_on__isnull=False).order_by(
            "published_on"
        )
    )
    return render(
        request,
        "website/published/review_detail.html",
        {
            "publication": publication,
            "online": publication.is_online(rules),
            "online_until": publication.online_until(rules),
            # What was fixed when it was published: later edits show once published again.
            "content": publication.published_content,
            "document_href": lambda which, document: reverse(
                "published:document", kwargs={"slug": publication.slug, "which": which}
            ),
            "products": products,
        },
    )


@public
def document(request, slug, which):
    field = DOCUMENTS.get(which)
    if field is None:
        raise Http404
    publication = _publication(slug)
    fixed = publication.published_content.get(field)
    item = (
        ReviewDocument.objects.filter(review=publication.review, pk=fixed["id"]).first()
        if fixed
        else None
    )
    if item is None or not publication.is_online(ReviewRules.current()):
        raise Http404  # after the period online, the report is available on request
    return file_download(
        item.file,
        filename=item.original_name,
        content_type=item.content_type,
        inline=True,
        private=False,  # published material
    )
