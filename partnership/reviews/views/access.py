"""Who may see a review, and who has viewed it."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required
from partnership.trail.actors import ActorKind
from partnership.trail.models import Action, AuditEntry
from partnership.web.actors import actor_for
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import forms, services
from ..models import (
    Review,
    ReviewAccess,
)
from .common import _form_page, _review, _review_url, _viewed


@permission_required("reviews.manage_review", fn=_review)
def access(request, pk, obj):
    form = forms.AccessForm(posted(request))
    back = _review_url(obj, "reviews:access")
    grants = list(obj.access_grants.select_related("user__organisation", "added_by"))
    return _form_page(
        request,
        obj,
        form,
        title="Who may see this review",
        back=_review_url(obj),
        success="They have been added to the access list",
        submit_text="Add to the access list",
        on_valid=lambda data: (
            services.access_grant(review=obj, user=data["email"], actor=actor_for(request)) and back
        ),
        template="reviews/access.html",
        context={"grants": grants, "section": "access"},
    )


@require_POST
@permission_required("reviews.manage_review", fn=_review)
def access_remove(request, pk, grant, obj):
    item = get_object_or_404(
        ReviewAccess.objects.select_related("user", "review"), pk=grant, review=obj
    )
    services.access_revoke(grant=item, actor=actor_for(request))
    messages.success(request, f"{item.user} has been removed from the access list")
    return redirect("reviews:access", pk=obj.pk)


@permission_required("reviews.view_viewers", fn=_review)
def viewers(request, pk, obj):
    # On the record first, so this look is counted in the page it shows.
    _viewed(request, obj, "who has viewed this review")
    entries = AuditEntry.objects.filter(
        object_type=Review._meta.label_lower,
        object_id=str(obj.pk),
        action__in=[Action.VIEW, Action.DOWNLOAD],
    ).order_by("-id")
    page = paginate(request, entries)
    people = (
        entries.values("actor_label", "actor_kind")
        .annotate(count=Count("pk"))
        .order_by("-count", "actor_label")[:50]
    )
    kinds = dict(ActorKind.choices)
    return render(
        request,
        "reviews/viewers.html",
        {
            "review": obj,
            "page": page,
            "people": [
                {**person, "kind": kinds.get(person["actor_kind"], "")} for person in people
            ],
            "section": "viewers",
        },
    )
