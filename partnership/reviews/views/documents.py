"""A review's documents: upload, and download (recorded once the file opens)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from partnership.accounts.decorators import permission_required
from partnership.accounts.models import Role
from partnership.web.actors import actor_for
from partnership.web.forms import posted
from partnership.web.pagination import paginate
from partnership.web.storage import file_download

from .. import forms, services
from ..models import (
    Review,
    ReviewDocument,
)
from .common import _form_page, _review, _review_url, _viewed


@permission_required("reviews.view_review", fn=_review)
def documents(request, pk, obj):
    page = paginate(request, obj.documents.select_related("uploaded_by"))
    _viewed(request, obj, "the documents")
    return render(
        request, "reviews/documents.html", {"review": obj, "page": page, "section": "documents"}
    )


@permission_required("reviews.upload_document", fn=_review)
def document_upload(request, pk, obj):
    form = forms.DocumentForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        reviewer=not request.user.has_role(Role.BUSINESS_UNIT),
    )
    return _form_page(
        request,
        obj,
        form,
        title="Upload a document",
        intro="Documents are kept privately and served only to people who may see this review; "
        "every download is recorded.",
        back=_review_url(obj, "reviews:documents"),
        success="The document has been uploaded",
        submit_text="Upload",
        on_valid=lambda data: services.document_upload(
            review=obj,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            actor=actor_for(request),
        ),
    )


def _serve(request, review: Review, stored, *, back: str):
    """The file, and then the "downloaded" entry: only once it has opened, so a file missing
    from storage is a page saying so (404) and no download on the record."""
    try:
        response = file_download(
            stored.file, filename=stored.original_name, content_type=stored.content_type
        )
    except Http404:
        return render(
            request,
            "reviews/file_missing.html",
            {"review": review, "name": stored.original_name, "back": back},
            status=404,
        )
    services.document_opened(review=review, document=stored, actor=actor_for(request))
    return response


@permission_required("reviews.view_review", fn=_review)
def document_download(request, pk, document, obj):
    item = get_object_or_404(ReviewDocument, pk=document, review=obj)
    return _serve(request, obj, item, back=_review_url(obj, "reviews:documents"))
