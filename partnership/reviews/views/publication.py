"""What the public site shows of a review, and publishing it."""

from django.shortcuts import redirect

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.forms import posted

from .. import forms, services
from ..deadlines import related
from ..models import (
    Publication,
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
        title="Publish on the website",
        back=_review_url(obj),
        success="The review is published",
        submit_text="Publish",
        on_valid=lambda data: services.publication_publish(
            publication=publication, actor=actor_for(request), **data
        ),
        template="reviews/publish.html",
        context={"publication": publication, "rules": ReviewRules.current()},
    )
