"""Shared by every page about a review: finding it in the user's scope, the VIEW entry, the form page."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from partnership.web.actors import actor_for
from partnership.web.form_views import form_page

from .. import services
from ..models import (
    Review,
)


def _scoped_review(request, pk) -> Review:
    if not request.user.has_perm("reviews.access"):
        raise PermissionDenied
    return get_object_or_404(
        Review.objects.visible_to(request.user).select_related("group", "case_manager"), pk=pk
    )


def _review(request, pk, **kwargs) -> Review:
    return _scoped_review(request, pk)


def _viewed(request, review: Review, page: str) -> None:
    services.review_viewed(review=review, actor=actor_for(request), page=page)


def _form_page(
    request,
    review: Review,
    form,
    *,
    title: str,
    back: str,
    on_valid,
    success: str,
    caption: str = "",
    intro: str = "",
    submit_text: str = "Save",
    template: str = "reviews/form.html",
    context: dict | None = None,
):
    """Render a form about a review (the shared `form_page`); on a valid POST call
    `on_valid(cleaned_data)`, which may refuse with a ValidationError (shown on the form) or
    return where to go next (else `back`). A page shown, first or with its errors, is a view
    of the review on the record."""
    response = form_page(
        request,
        form,
        template=template,
        on_valid=on_valid,
        success=success,
        next_url=lambda target: target if isinstance(target, str) else back,
        context={
            "review": review,
            "title": title,
            "back": back,
            "caption": caption or f"{review.reference}: {review.title}",
            "intro": intro,
            "submit_text": submit_text,
            **(context or {}),
        },
    )
    if not isinstance(response, HttpResponseRedirect):
        _viewed(request, review, f"the form: {title}")
    return response


def _review_url(review: Review, name: str = "reviews:review", **kwargs) -> str:
    return reverse(name, kwargs={"pk": review.pk, **kwargs})
