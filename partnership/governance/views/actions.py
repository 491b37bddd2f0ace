"""The action log and each action's page."""

from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from partnership.accounts.decorators import permission_required
from partnership.directory.models import Organisation
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import services
from ..forms import (
    ActionFilterForm,
    ActionUpdateForm,
)
from ..models import (
    Action,
    ActionStatus,
)


@permission_required("governance.view_actions")
def action_list(request):
    user = request.user
    organisations = Organisation.objects.filter(
        pk__in=Action.objects.values("owner_organisation_id")
    ).only("name", "slug")
    filters = ActionFilterForm(request.GET or None, organisations=organisations)
    actions = Action.objects.visible_to(user).select_related("group", "owner", "owner_organisation")
    show = "open"
    if filters.is_valid():
        data = filters.cleaned_data
        show = data["show"] or "open"
        if data["mine"]:
            actions = actions.filter(owner__user=user)
        if data["group"]:
            actions = actions.filter(group=data["group"])
        if data["organisation"]:
            actions = actions.filter(owner_organisation=data["organisation"])
    if show == "open":
        actions = actions.open()
    elif show == "overdue":
        actions = actions.overdue()
    elif show == "closed":
        actions = actions.exclude(status__in=ActionStatus.open_values()).order_by("-closed_at")
    page = paginate(request, actions.order_by("due_on", "id") if show != "closed" else actions)
    return render(
        request,
        "governance/action_list.html",
        {
            "page": page,
            "filters": filters,
            "show": show,
            "today": timezone.localdate(),
            "by_group": _open_and_overdue(user, "group__name", "group__slug"),
            "by_organisation": _open_and_overdue(
                user, "owner_organisation__name", "owner_organisation__slug"
            )[:15],
        },
    )


def _open_and_overdue(user, name, slug):
    """Open and overdue actions the user may see, counted by group or organisation."""
    today = timezone.localdate()
    return list(
        Action.objects.visible_to(user)
        .open()
        .values(name=F(name), slug=F(slug))
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by("-overdue", "-open", "name")
    )


def _action(request, pk, **kwargs):
    return get_object_or_404(
        Action.objects.select_related("group", "owner", "owner_organisation", "raised_at", "item"),
        pk=pk,
    )


@permission_required("governance.view_action", fn=_action)
def action_detail(request, pk, obj):
    form = None
    if request.user.has_perm("governance.update_action", obj):
        form = ActionUpdateForm(action=obj)
    return render(
        request,
        "governance/action_detail.html",
        {"action": obj, "updates": obj.updates.all(), "form": form, "today": timezone.localdate()},
    )


@permission_required("governance.update_action", fn=_action)
def action_update(request, pk, obj):
    return form_page(
        request,
        ActionUpdateForm(posted(request), action=obj),
        template="governance/action_detail.html",
        on_valid=lambda data: services.action_update(
            action=obj,
            note=data["note"],
            status=data["status"],
            due_on=data["due_on"],
            actor=actor_for(request),
        ),
        success=f"Action {obj.reference} has been updated",
        next_url=obj.get_absolute_url(),
        context={"action": obj, "updates": obj.updates.all(), "today": timezone.localdate()},
    )
