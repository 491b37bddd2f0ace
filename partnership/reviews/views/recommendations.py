"""Recommendations, their action plans, evidence and sign-off; learning products."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import forms, services
from ..models import (
    ActionItem,
    ActionStatus,
    EvidenceFile,
    Recommendation,
)
from .common import _form_page, _review, _review_url, _scoped_review, _viewed
from .documents import _serve


@permission_required("reviews.view_review", fn=_review)
def recommendations(request, pk, obj):
    page = paginate(
        request,
        obj.recommendations.prefetch_related("themes")
        .order_by("number")
        .annotate(
            action_count=Count("actions"),
            open_count=Count("actions", filter=~Q(actions__status=ActionStatus.SIGNED_OFF)),
        ),
    )
    products = list(obj.learning_products.all())
    _viewed(request, obj, "the recommendations")
    return render(
        request,
        "reviews/recommendations.html",
        {"review": obj, "page": page, "products": products, "section": "recommendations"},
    )


@permission_required("reviews.manage_review", fn=_review)
def recommendation_add(request, pk, obj):
    form = forms.RecommendationForm(posted(request))
    form.instance.review = obj

    def save(data):
        item = services.recommendation_save(
            recommendation=form.instance, themes=data["themes"], actor=actor_for(request)
        )
        return item.get_absolute_url()

    return _form_page(
        request,
        obj,
        form,
        title="Add a recommendation",
        back=_review_url(obj, "reviews:recommendations"),
        success="The recommendation has been added",
        on_valid=save,
    )


def _recommendation(request, pk, number, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        Recommendation.objects.select_related("review__group"), review=review, number=number
    )


@permission_required("reviews.view_review", fn=_recommendation)
def recommendation_detail(request, pk, number, obj):
    actions = list(obj.actions.select_related("organisation", "owner"))
    _viewed(request, obj.review, f"recommendation {obj.number}")
    return render(
        request,
        "reviews/recommendation_detail.html",
        {
            "review": obj.review,
            "recommendation": obj,
            "actions": actions,
            "themes": list(obj.themes.all()),
            "products": list(obj.learning_products.all()),
            "section": "recommendations",
        },
    )


@permission_required("reviews.manage_review", fn=_recommendation)
def recommendation_edit(request, pk, number, obj):
    form = forms.RecommendationForm(posted(request), instance=obj)
    return _form_page(
        request,
        obj.review,
        form,
        title=f"Change recommendation {obj.number}",
        back=obj.get_absolute_url(),
        success="The recommendation has been saved",
        on_valid=lambda data: services.recommendation_save(
            recommendation=form.instance, themes=data["themes"], actor=actor_for(request)
        ),
    )


@permission_required("reviews.manage_review", fn=_recommendation)
def action_add(request, pk, number, obj):
    return _action_form(request, ActionItem(recommendation=obj, review=obj.review), obj)


def _action(request, pk, action, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        ActionItem.objects.select_related(
            "review__group", "recommendation", "organisation", "owner", "signed_off_by"
        ),
        pk=action,
        review=review,
    )


@permission_required("reviews.manage_review", fn=_action)
def action_edit(request, pk, action, obj):
    return _action_form(request, obj, obj.recommendation)


def _action_form(request, action, recommendation):
    form = forms.ActionForm(posted(request), instance=action)

    def save(data):
        form.instance.owner = data["owner_email"]
        services.action_save(action=form.instance, actor=actor_for(request))

    return _form_page(
        request,
        recommendation.review,
        form,
        title="Change the action" if action.pk else "Add an action",
        intro=f"Recommendation {recommendation.number}: {recommendation.text}",
        back=recommendation.get_absolute_url(),
        success="The action has been saved",
        on_valid=save,
    )


@permission_required("reviews.view_review", fn=_action)
def action_detail(request, pk, action, obj):
    _viewed(request, obj.review, f"action {obj.pk}")
    return render(
        request,
        "reviews/action_detail.html",
        {
            "review": obj.review,
            "action": obj,
            "files": list(obj.files.select_related("uploaded_by")),
            "section": "recommendations",
        },
    )


@permission_required("reviews.submit_evidence", fn=_action)
def evidence(request, pk, action, obj):
    form = forms.EvidenceForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        initial={"evidence": obj.evidence},
    )
    return _form_page(
        request,
        obj.review,
        form,
        title="Send the evidence of completion",
        intro=obj.description,
        back=obj.get_absolute_url(),
        success="The evidence has been sent to the group for sign-off",
        submit_text="Send",
        on_valid=lambda data: services.action_submit_evidence(
            action=obj,
            evidence=data["evidence"],
            files=[data["file"]] if data["file"] else [],
            submitted_on=services.today(),
            actor=actor_for(request),
        ),
    )


@permission_required("reviews.view_review", fn=_action)
def evidence_download(request, pk, action, file, obj):
    item = get_object_or_404(EvidenceFile, pk=file, action=obj)
    return _serve(request, obj.review, item, back=obj.get_absolute_url())


@permission_required("reviews.sign_off_action", fn=_action)
def action_sign_off(request, pk, action, obj):
    form = forms.ActionSignOffForm(posted(request))
    return _form_page(
        request,
        obj.review,
        form,
        title="Sign off the action",
        intro=obj.evidence or "No evidence has been sent yet.",
        back=obj.get_absolute_url(),
        success="The action has been signed off",
        submit_text="Sign off",
        on_valid=lambda data: services.action_sign_off(
            action=obj, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def product_add(request, pk, obj):
    form = forms.LearningProductForm(posted(request), review=obj)
    form.instance.review = obj
    return _form_page(
        request,
        obj,
        form,
        title="Add a learning product",
        intro="A 7-minute briefing, a 60-minute briefing or a newsletter item that spreads the "
        "review's learning.",
        back=_review_url(obj, "reviews:recommendations"),
        success="The learning product has been added",
        on_valid=lambda data: services.learning_product_save(
            product=form.instance,
            recommendations=data["recommendations"],
            actor=actor_for(request),
        ),
    )
