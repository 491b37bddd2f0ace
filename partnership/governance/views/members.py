"""A member's page and the register of interests."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.decorators import permission_required
from partnership.directory.models import Person
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import services
from ..attendance import AttendanceRule, person_attendance
from ..forms import (
    InterestForm,
)
from ..models import (
    Action,
    Group,
    InterestDeclaration,
    ItemDeclaration,
    Membership,
)
from .lookups import _group_in_query


def _person(request, pk, **kwargs):
    return get_object_or_404(Person.objects.select_related("organisation", "user"), pk=pk)


@permission_required("governance.view_attendance", fn=_person)
def member_detail(request, pk, obj):
    seats = list(
        Membership.objects.current()
        .filter(person=obj)
        .select_related("group", "organisation")
        .order_by("group__display_order")
    )
    groups = [seat.group for seat in seats]
    tallies = person_attendance(obj, groups)
    for seat in seats:
        seat.tally = tallies.get(seat.group_id)
        seat.rule = AttendanceRule.for_group(seat.group)
    interests = list(obj.interests.order_by("ended_on", "-declared_on"))
    actions = list(
        Action.objects.visible_to(request.user)
        .filter(owner=obj)
        .open()
        .select_related("group", "owner_organisation")
        .order_by("due_on")[:20]
    )
    item_declarations = list(
        ItemDeclaration.objects.filter(person=obj)
        .select_related("item", "item__meeting", "item__meeting__group")
        .order_by("-item__meeting__starts_at")[:20]
    )
    return render(
        request,
        "governance/member_detail.html",
        {
            "person": obj,
            "seats": seats,
            "interests": interests,
            "actions": actions,
            "item_declarations": item_declarations,
            "today": timezone.localdate(),
            "can_declare": request.user.has_perm("governance.declare_interest", obj),
        },
    )


@permission_required("governance.declare_interest", fn=_person)
def interest_create(request, pk, obj):
    return form_page(
        request,
        InterestForm(posted(request)),
        template="governance/interest_form.html",
        on_valid=lambda data: services.interest_declare(
            person=obj, **data, actor=actor_for(request)
        ),
        success="The interest has been added to the register",
        next_url=reverse("governance:member", kwargs={"pk": obj.pk}),
        context={"person": obj},
    )


def _interest(request, pk, **kwargs):
    declaration = get_object_or_404(
        InterestDeclaration.objects.select_related("person"), pk=pk, ended_on__isnull=True
    )
    request.declaration = declaration
    return declaration.person


@permission_required("governance.declare_interest", fn=_interest)
def interest_end(request, pk, obj):
    declaration = request.declaration
    if request.method == "POST":
        services.interest_end(
            declaration=declaration,
            ended_on=max(timezone.localdate(), declaration.declared_on),
            actor=actor_for(request),
        )
        messages.success(request, "The interest has been marked as ended")
        return redirect("governance:member", pk=obj.pk)
    return render(
        request, "governance/interest_end.html", {"declaration": declaration, "person": obj}
    )


@permission_required("governance.view_interests")
def interest_register(request):
    declarations = (
        InterestDeclaration.objects.filter(ended_on__isnull=True)
        .select_related("person", "person__organisation")
        .order_by("person__full_name", "-declared_on")
    )
    group = _group_in_query(request)
    if group is not None:
        declarations = declarations.filter(
            person__in=Membership.objects.current().filter(group=group).values("person_id")
        )
    page = paginate(request, declarations)
    return render(
        request,
        "governance/interest_register.html",
        {"page": page, "group": group, "groups": Group.objects.only("name", "slug")},
    )
