"""Pages for groups: the list, a group's page, its terms of reference, members and attendance."""

import datetime as dt

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted

from .. import services
from ..attendance import group_attendance, local_midnight
from ..cadence import group_meeting_counts
from ..forms import (
    GroupForm,
    MembershipEndForm,
    MembershipForm,
    YearForm,
)
from ..models import (
    Attendance,
    AttendanceLetter,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    financial_year_bounds,
    financial_year_of,
)
from .lookups import _group


@permission_required("governance.view_group")
def group_list(request):
    today_members = Q(memberships__ended_on__isnull=True)
    groups = (
        Group.objects.visible_to(request.user)
        .select_related("accountable_to")
        .annotate(member_count=Count("memberships", filter=today_members))
    )
    return render(request, "governance/group_list.html", {"groups": groups})


def _current_seats(group):
    return (
        Membership.objects.current()
        .filter(group=group)
        .select_related("person", "organisation", "deputy")
        .order_by("role", "organisation__name", "person__full_name")
    )


@permission_required("governance.view_group", fn=_group)
def group_detail(request, slug, obj):
    memberships = list(_current_seats(obj))
    now = timezone.now()
    meetings = Meeting.objects.filter(group=obj).select_related("priority")
    upcoming = list(meetings.upcoming(now).order_by("starts_at")[:3])
    recent = list(meetings.filter(ends_at__lt=now).order_by("-starts_at")[:3])
    attendance = group_attendance(obj)
    for membership in memberships:
        membership.tally = attendance.member(membership.person_id)
    return render(
        request,
        "governance/group_detail.html",
        {
            "group": obj,
            "counts": group_meeting_counts(obj),
            "memberships": memberships,
            "show_contacts": request.user.has_perm("governance.view_group_contacts", obj),
            "upcoming": upcoming,
            "recent": recent,
            "attendance": attendance,
            "flagged": attendance.flagged_members,
        },
    )


@permission_required("governance.change_group")
def group_create(request):
    form = GroupForm(posted(request))
    return form_page(
        request,
        form,
        template="governance/group_form.html",
        on_valid=lambda data: services.group_save(group=form.instance, actor=actor_for(request)),
        success=lambda group: f"The {group.name} is added",
        next_url=lambda group: group,
    )


@permission_required("governance.change_group", fn=_group)
def group_edit(request, slug, obj):
    # The page's heading and links name the group as it is saved, not as typed.
    saved = Group.objects.get(pk=obj.pk)
    form = GroupForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="governance/group_form.html",
        on_valid=lambda data: services.group_save(group=form.instance, actor=actor_for(request)),
        success="Your changes have been saved",
        next_url=lambda group: group,
        context={"group": saved},
    )


@permission_required("governance.change_group", fn=_group)
def group_members(request, slug, obj):
    today = timezone.localdate()
    seats = list(
        Membership.objects.filter(group=obj)
        .select_related("person", "organisation", "deputy")
        .order_by("person__full_name", "-started_on")
    )
    current = [seat for seat in seats if seat.ended_on is None or seat.ended_on >= today]
    past = [seat for seat in seats if seat.ended_on is not None and seat.ended_on < today]
    past.sort(key=lambda seat: seat.ended_on, reverse=True)
    return render(
        request,
        "governance/group_members.html",
        {"group": obj, "current": current, "past": past, "today": today},
    )


@permission_required("governance.change_group", fn=_group)
def membership_create(request, slug, obj):
    return form_page(
        request,
        MembershipForm(posted(request), group=obj),
        template="governance/membership_form.html",
        on_valid=lambda data: services.membership_add(group=obj, **data, actor=actor_for(request)),
        success=lambda seat: f"{seat.person.full_name} is now a member of the {obj.name}",
        next_url=reverse("governance:group-members", kwargs={"slug": obj.slug}),
        context={"group": obj},
    )


def _membership(request, slug, pk, **kwargs):
    return get_object_or_404(
        Membership.objects.select_related("group", "person", "organisation"),
        group__slug=slug,
        pk=pk,
    )


@permission_required("governance.change_group", fn=_membership)
def membership_end(request, slug, pk, obj):
    form = MembershipEndForm(posted(request), membership=obj)
    context = {"group": obj.group, "membership": obj}
    if obj.ended_on is not None and request.method == "POST":
        form.is_valid()
        form.add_error(None, f"This seat already ended on {obj.ended_on:%-d %B %Y}")
        return render(request, "governance/membership_end.html", {"form": form, **context})
    return form_page(
        request,
        form,
        template="governance/membership_end.html",
        on_valid=lambda data: services.membership_end(
            membership=obj, ended_on=data["ended_on"], actor=actor_for(request)
        ),
        success=f"{obj.person.full_name}'s seat on the {obj.group.name} is ended",
        next_url=reverse("governance:group-members", kwargs={"slug": obj.group.slug}),
        context=context,
    )


@permission_required("governance.view_attendance", fn=_group)
def group_attendance_view(request, slug, obj):
    attendance = group_attendance(obj)
    seats = {seat.person_id: seat for seat in _current_seats(obj)}
    members = sorted(attendance.members.values(), key=lambda tally: tally.name)
    letters = {}
    if request.user.has_perm("governance.view_letters"):
        letters = {
            letter.person_id: letter
            for letter in AttendanceLetter.objects.filter(group=obj).order_by("created_at")
        }
    return render(
        request,
        "governance/group_attendance.html",
        {
            "group": obj,
            "counts": group_meeting_counts(obj),
            "attendance": attendance,
            "members": members,
            "seats": seats,
            "organisations": sorted(attendance.organisations.values(), key=lambda t: t.name),
            "letters": letters,
        },
    )


@permission_required("governance.view_attendance", fn=_group)
def attendance_report(request, slug, obj):
    """The yearly attendance report: every held meeting of a financial year, member by member."""
    this_year = financial_year_of(timezone.localdate())
    first = Meeting.objects.filter(group=obj).order_by("starts_at").first()
    start_year = int(financial_year_of(first.local_date)[:4]) if first else int(this_year[:4])
    years = [
        f"{year}/{(year + 1) % 100:02d}" for year in range(int(this_year[:4]), start_year - 1, -1)
    ]
    form = YearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_valid() and form.cleaned_data["year"] else None
    year = year or this_year
    start, end = financial_year_bounds(year)
    attendance = group_attendance(obj, start=start, end=end)
    meetings = list(
        Meeting.objects.filter(
            group=obj,
            status=MeetingStatus.HELD,
            starts_at__gte=local_midnight(start),
            starts_at__lt=local_midnight(end + dt.timedelta(days=1)),
        ).order_by("starts_at")
    )
    grid = {
        (row.meeting_id, row.person_id): row
        for row in Attendance.objects.filter(meeting__in=meetings).only(
            "meeting_id", "person_id", "status"
        )
    }
    members = sorted(attendance.members.values(), key=lambda tally: tally.name)
    counts = group_meeting_counts(obj)
    return render(
        request,
        "governance/attendance_report.html",
        {
            "group": obj,
            "year": year,
            "year_count": next((p for p in counts.years if p.label == year), None),
            "form": form,
            "attendance": attendance,
            "meetings": meetings,
            "members": members,
            "grid": grid,
            "organisations": sorted(attendance.organisations.values(), key=lambda t: t.name),
        },
    )


@permission_required("governance.view_cadence")
def cadence_list(request):
    groups = list(Group.objects.exclude(cadence_problem="").order_by("display_order", "name"))
    checked = Group.objects.order_by("cadence_checked_on").values_list(
        "cadence_checked_on", flat=True
    )
    return render(
        request,
        "governance/cadence_list.html",
        {"groups": groups, "checked_on": checked.first()},
    )
