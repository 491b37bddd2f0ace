"""What the public site shows of a review, and publishing it."""

from django.shortcuts import redirect
from django.urls import reverse

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.forms import posted

from .. import forms, participation_forms, services
from ..deadlines import related
from ..models import (
    Publication,
    PublicationStatus,
    ReviewRules,
)
from .common import _form_page, _review, _review_url


@permission_required("reviews.manage_review", fn=_review)
def publication_edit(request, pk, obj):
    existing = related(obj, "publication")
    publication = existing or Publication(review=obj, title=obj.title)
    form = forms.PublicationForm(posted(request), instance=publication, review=obj)
    return _form_page(
        request,
        obj,
        form,
        title="Publication",
        intro="What the public site shows: the report and its executive summary, or (where the "
        "report is not published by decision) information about the improvements, with the "
        "partnership's response.",
        back=_review_url(obj),
        success="The publication has been saved",
        on_valid=lambda data: (
            services.publication_save(publication=form.instance, actor=actor_for(request))
            and _review_url(obj, "reviews:publish")
        ),
        template="reviews/publication_form.html",
        context={"publication": existing},
    )


@permission_required("reviews.manage_review", fn=_review)
def publish(request, pk, obj):
    """Check your answers: exactly what the public page will show, what still stops it, and
    the date it goes up."""
    publication = related(obj, "publication")
    if publication is None:
        return redirect("reviews:publication", pk=obj.pk)
    form = forms.DateForm(
        posted(request),
        label="Publication date",
        field="published_on",
        initial={"published_on": publication.published_on},
        hint="It appears on the public site from this date.",
    )
    return _form_page(
        request,
        obj,
        form,
        title="Check what will be published",
        back=_review_url(obj),
        success="The review is published",
        submit_text="Publish",
        on_valid=lambda data: services.publication_publish(
            publication=publication, actor=actor_for(request), **data
        ),
        template="reviews/publish.html",
        context={
            "publication": publication,
            "rules": ReviewRules.current(),
            "problems": services.publication_problems(publication),
            "content": services.publication_preview(publication, publication.published_on),
            "document_href": lambda which, document: reverse(
                "reviews:document-download", kwargs={"pk": obj.pk, "document": document["id"]}
            ),
        },
    )


@permission_required("reviews.manage_review", fn=_review)
def withdraw(request, pk, obj):
    publication = related(obj, "publication")
    if publication is None or publication.status != PublicationStatus.PUBLISHED:
        return redirect("reviews:publication", pk=obj.pk)
    form = participation_forms.WithdrawForm(posted(request))
    return _form_page(
        request,
        obj,
        form,
        title="Withdraw the publication",
        intro="The review's page comes off the public site at once. It can be published "
        "again later.",
        back=_review_url(obj),
        success="The publication has been withdrawn from the website",
        submit_text="Withdraw",
        on_valid=lambda data: services.publication_withdraw(
            publication=publication, reason=data["reason"], actor=actor_for(request)
        ),
    )
