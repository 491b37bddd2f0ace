from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from partnership.accounts.decorators import permission_required

from .models import Group, Membership


@permission_required("governance.view_group")
def group_list(request):
    today_members = Q(memberships__ended_on__isnull=True)
    groups = (
        Group.objects.visible_to(request.user)
        .select_related("accountable_to")
        .annotate(member_count=Count("memberships", filter=today_members))
    )
    return render(request, "governance/group_list.html", {"groups": groups})


def _group(request, slug, **kwargs):
    # Groups and their terms of reference are not confidential: the permission decides.
    return get_object_or_404(Group.objects.select_related("accountable_to"), slug=slug)


@permission_required("governance.view_group", fn=_group)
def group_detail(request, slug, obj):
    memberships = (
        Membership.objects.current()
        .filter(group=obj)
        .select_related("person", "organisation", "deputy")
        .order_by("role", "organisation__name", "person__full_name")
    )
    return render(
        request,
        "governance/group_detail.html",
        {
            "group": obj,
            "memberships": memberships,
            "show_contacts": request.user.has_perm("governance.view_group_contacts", obj),
        },
    )
