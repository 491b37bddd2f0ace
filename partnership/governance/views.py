import datetime as dt
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required, public
from partnership.accounts.models import Role, User
from partnership.directory.models import Organisation, Person
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate
from partnership.web.storage import file_download

from . import documents, ics, services
from .attendance import AttendanceRule, group_attendance, local_midnight, person_attendance
from .cadence import group_meeting_counts
from .forms import (
    ActionFilterForm,
    ActionForm,
    ActionUpdateForm,
    AgendaItemForm,
    AttendanceForm,
    FundingForm,
    GroupForm,
    InterestForm,
    ItemDeclarationForm,
    MeetingForm,
    MembershipEndForm,
    MembershipForm,
    MinutesForm,
    PaperForm,
    YearForm,
)
from .models import (
    Action,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceLetter,
    Decision,
    FundingContribution,
    Group,
    InterestDeclaration,
    ItemDeclaration,
    LetterStatus,
    Meeting,
    MeetingStatus,
    Membership,
    MinutesStatus,
    Paper,
    financial_year_bounds,
    financial_year_of,
)

SLUG = re.compile(r"^[-a-z0-9]{1,80}$")


def _group_in_query(request):
    """The group named by ?group=<slug>, if it is one (anything else is ignored)."""
    slug = request.GET.get("group", "")
    return Group.objects.filter(slug=slug).first() if SLUG.match(slug) else None


# Groups -----------------------------------------------------------------------------------


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


# Meetings ---------------------------------------------------------------------------------


def _meeting(request, pk, **kwargs):
    return get_object_or_404(
        Meeting.objects.select_related("group", "priority", "priority__thematic_lead"), pk=pk
    )


@permission_required("governance.view_meeting")
def meeting_list(request):
    meetings = (
        Meeting.objects.visible_to(request.user)
        .select_related("group", "priority")
        .order_by("starts_at")
    )
    group = _group_in_query(request)
    if group is not None:
        meetings = meetings.filter(group=group)
    when = request.GET.get("when", "upcoming")
    if when == "past":
        meetings = meetings.filter(ends_at__lt=timezone.now()).order_by("-starts_at")
    else:
        when = "upcoming"
        meetings = meetings.filter(ends_at__gte=timezone.now())
    page = paginate(request, meetings)
    return render(
        request,
        "governance/meeting_list.html",
        {
            "page": page,
            "when": when,
            "group": group,
            "groups": Group.objects.only("name", "slug"),
        },
    )


@permission_required("governance.manage_meetings", fn=_group)
def meeting_create(request, slug, obj):
    priority = services.next_priority(obj)
    return form_page(
        request,
        MeetingForm(posted(request), group=obj, initial={"priority": priority}),
        template="governance/meeting_form.html",
        on_valid=lambda data: services.meeting_schedule(
            group=obj,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            priority=data.get("priority"),
            actor=actor_for(request),
        ),
        success=lambda meeting: f"The meeting on {meeting.local_date:%-d %B %Y} is scheduled",
        next_url=lambda meeting: meeting,
        context={"group": obj},
    )


@permission_required("governance.manage_meetings", fn=_meeting)
def meeting_edit(request, pk, obj):
    local_start = timezone.localtime(obj.starts_at)
    initial = {
        "date": local_start.date(),
        "start_time": f"{local_start:%H:%M}",
        "end_time": f"{timezone.localtime(obj.ends_at):%H:%M}",
        "location": obj.location,
        "priority": obj.priority,
    }
    return form_page(
        request,
        MeetingForm(posted(request), group=obj.group, initial=initial),
        template="governance/meeting_form.html",
        on_valid=lambda data: services.meeting_update(
            meeting=obj,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            location=data["location"],
            priority=data.get("priority", obj.priority),
            actor=actor_for(request),
        ),
        success="The meeting has been changed",
        next_url=obj.get_absolute_url(),
        context={"group": obj.group, "meeting": obj},
    )


@permission_required("governance.manage_meetings", fn=_meeting)
def meeting_cancel(request, pk, obj):
    if obj.status != MeetingStatus.SCHEDULED:
        raise Http404("Only a scheduled meeting can be cancelled")
    if request.method == "POST":
        services.meeting_cancel(meeting=obj, actor=actor_for(request))
        messages.success(request, "The meeting has been cancelled")
        return redirect(obj)
    return render(request, "governance/meeting_cancel.html", {"meeting": obj})


def _visible_papers(request, meeting):
    return list(
        Paper.objects.visible_to(request.user)
        .filter(meeting=meeting)
        .order_by("item__position", "id")
    )


@permission_required("governance.view_meeting", fn=_meeting)
def meeting_detail(request, pk, obj):
    user = request.user
    items = list(obj.items.all())
    papers = _visible_papers(request, obj)
    for item in items:
        item.visible_papers = [paper for paper in papers if paper.item_id == item.pk]
    matters_arising = list(
        obj.matters_arising().filter(pk__in=Action.objects.visible_to(user).values("pk"))
    )
    previous = obj.previous()
    can_manage = user.has_perm("governance.manage_meetings")
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": obj,
            "items": items,
            "matters_arising": matters_arising,
            "previous": previous,
            "can_manage": can_manage,
            "can_see_minutes": obj.minutes_visible_to(user),
            "can_approve_previous": can_manage
            and previous is not None
            and previous.minutes_status == MinutesStatus.DRAFT
            and obj.has_started,
            "can_declare": user.has_perm("governance.declare_on_item", obj),
            "hidden_papers": obj.papers.count() - len(papers),
            "today": timezone.localdate(),
        },
    )


def _item(request, pk, item_pk, **kwargs):
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting", "meeting__group"), meeting_id=pk, pk=item_pk
    )


@permission_required("governance.manage_meetings", fn=_meeting)
def item_create(request, pk, obj):
    return form_page(
        request,
        AgendaItemForm(posted(request)),
        template="governance/item_form.html",
        on_valid=lambda data: services.agenda_item_add(
            meeting=obj, **data, actor=actor_for(request)
        ),
        success=lambda item: f"“{item.title}” is on the agenda",
        next_url=obj.get_absolute_url(),
        context={"meeting": obj},
    )


@permission_required("governance.manage_meetings", fn=_item)
def item_edit(request, pk, item_pk, obj):
    form = AgendaItemForm(
        posted(request),
        initial={"title": obj.title, "presenter": obj.presenter, "description": obj.description},
    )
    return form_page(
        request,
        form,
        template="governance/item_form.html",
        on_valid=lambda data: services.agenda_item_update(
            item=obj, **data, actor=actor_for(request)
        ),
        success="The item has been changed",
        next_url=obj.meeting.get_absolute_url(),
        context={"meeting": obj.meeting, "item": obj},
    )


@permission_required("governance.manage_meetings", fn=_item)
def paper_upload(request, pk, item_pk, obj):
    return form_page(
        request,
        PaperForm(posted(request), request.FILES if request.method == "POST" else None),
        template="governance/paper_form.html",
        on_valid=lambda data: services.paper_upload(
            item=obj,
            title=data["title"],
            upload=data["file"],
            restricted=data["restricted"],
            actor=actor_for(request),
        ),
        success=lambda paper: f"“{paper.title}” has been uploaded",
        next_url=obj.meeting.get_absolute_url(),
        context={"item": obj, "meeting": obj.meeting},
    )


def _paper(request, pk, **kwargs):
    return get_object_or_404(Paper.objects.select_related("meeting", "meeting__group"), pk=pk)


@permission_required("governance.view_paper", fn=_paper)
def paper_download(request, pk, obj):
    response = file_download(obj.file, filename=obj.file_name, content_type=obj.content_type)
    services.paper_record_download(paper=obj, actor=actor_for(request))
    return response


@permission_required("governance.manage_meetings", fn=_paper)
def paper_remove(request, pk, obj):
    if request.method == "POST":
        services.paper_remove(paper=obj, actor=actor_for(request))
        messages.success(request, f"“{obj.title}” has been removed")
        return redirect(obj.meeting)
    return render(request, "governance/paper_remove.html", {"paper": obj})


@permission_required("governance.view_meeting", fn=_meeting)
def pack_download(request, pk, obj):
    include_restricted = request.user.has_perm("governance.view_members_only", obj)
    pack = documents.build_agenda_pack(obj, include_restricted=include_restricted)
    services.pack_record_download(
        meeting=obj, restricted_included=include_restricted, actor=actor_for(request)
    )
    response = HttpResponse(pack.pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="agenda-pack-{obj.group.slug}-{obj.local_date:%Y-%m-%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("governance.view_meeting", fn=_meeting)
def meeting_ics(request, pk, obj):
    body = ics.feed(
        [obj], name=obj.title, link_for=lambda m: request.build_absolute_uri(m.get_absolute_url())
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{obj.pk}.ics"'
    return response


@permission_required("governance.manage_meetings", fn=_meeting)
def pack_send(request, pk, obj):
    if obj.status == MeetingStatus.CANCELLED:
        raise Http404("The meeting was cancelled")
    recipients = services.pack_recipients(obj)
    error = None
    if request.method == "POST":
        try:
            count = services.pack_send(meeting=obj, actor=actor_for(request))
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(
                request, f"The agenda pack is being sent to {count} members, with an invitation"
            )
            return redirect(obj)
    return render(
        request,
        "governance/pack_send.html",
        {"meeting": obj, "recipients": recipients, "error": error},
    )


# Attendance and minutes -------------------------------------------------------------------


@permission_required("governance.manage_meetings", fn=_meeting)
def attendance_record(request, pk, obj):
    seats = services.meeting_register(obj)
    existing = {row.person_id: row for row in obj.attendance.all()}
    form = AttendanceForm(posted(request), seats=seats, existing=existing)
    return form_page(
        request,
        form,
        template="governance/attendance_form.html",
        on_valid=lambda data: services.attendance_record(
            meeting=obj, entries=form.entries, actor=actor_for(request)
        ),
        success="The attendance has been recorded",
        next_url=reverse("governance:minutes", kwargs={"pk": obj.pk}),
        context={"meeting": obj, "not_started": not obj.has_started},
    )


@permission_required("governance.view_minutes", fn=_meeting)
def minutes_detail(request, pk, obj):
    items = list(
        obj.items.prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("id")),
            Prefetch(
                "declarations",
                queryset=ItemDeclaration.objects.select_related("person").order_by("id"),
            ),
        )
    )
    attendance = list(
        obj.attendance.select_related("person", "organisation").order_by("person__full_name")
    )
    actions = list(
        obj.actions.select_related("owner", "owner_organisation", "group", "item").order_by(
            "number"
        )
    )
    if obj.minutes_status == MinutesStatus.DRAFT:
        services.minutes_record_view(meeting=obj, actor=actor_for(request))
    # The minutes list every action raised; each action's own page (its history) is scoped.
    linked = set(
        Action.objects.visible_to(request.user).filter(raised_at=obj).values_list("pk", flat=True)
    )
    return render(
        request,
        "governance/minutes_detail.html",
        {
            "meeting": obj,
            "items": items,
            "attendance": attendance,
            "actions": actions,
            "linked": linked,
            "can_manage": request.user.has_perm("governance.manage_meetings"),
        },
    )


@permission_required("governance.manage_meetings", fn=_meeting)
def minutes_edit(request, pk, obj):
    if obj.minutes_status == MinutesStatus.APPROVED:
        messages.success(request, "These minutes have been approved and cannot be changed")
        return redirect("governance:minutes", pk=obj.pk)
    items = list(obj.items.all())
    decisions: dict[int, list[str]] = {}
    for decision in Decision.objects.filter(item__meeting=obj).order_by("id"):
        decisions.setdefault(decision.item_id, []).append(decision.text)
    form = MinutesForm(posted(request), items=items, decisions=decisions)
    return form_page(
        request,
        form,
        template="governance/minutes_form.html",
        on_valid=lambda data: services.minutes_save(
            meeting=obj, notes=form.notes, decisions=form.decisions, actor=actor_for(request)
        ),
        success="The draft minutes have been saved",
        next_url=reverse("governance:minutes", kwargs={"pk": obj.pk}),
        context={"meeting": obj},
    )


@permission_required("governance.manage_meetings", fn=_meeting)
def minutes_approve(request, pk, obj):
    """At this meeting, approve the previous meeting's minutes."""
    previous = obj.previous()
    if previous is None or previous.minutes_status != MinutesStatus.DRAFT:
        raise Http404("There are no draft minutes to approve")
    error = None
    if request.method == "POST":
        try:
            services.minutes_approve(meeting=previous, at_meeting=obj, actor=actor_for(request))
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, f"The minutes of {previous} are approved")
            return redirect(obj)
    return render(
        request,
        "governance/minutes_approve.html",
        {"meeting": obj, "previous": previous, "error": error},
    )


def _owner_choices(meeting):
    people = Membership.objects.current(on=meeting.local_date).filter(group_id=meeting.group_id)
    return (
        Person.objects.filter(Q(pk__in=people.values("person_id")))
        .select_related("organisation")
        .order_by("full_name")
    )


@permission_required("governance.manage_meetings", fn=_meeting)
def action_create(request, pk, obj):
    form = ActionForm(
        posted(request), meeting=obj, people=_owner_choices(obj), items=list(obj.items.all())
    )
    return form_page(
        request,
        form,
        template="governance/action_form.html",
        on_valid=lambda data: services.action_create(
            meeting=obj,
            item=data["item"],
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            actor=actor_for(request),
        ),
        success=lambda action: f"Action {action.reference} has been added",
        next_url=reverse("governance:minutes", kwargs={"pk": obj.pk}),
        context={"meeting": obj},
    )


@permission_required("governance.declare_on_item", fn=_meeting)
def item_declaration_create(request, pk, obj):
    user = request.user
    if user.has_perm("governance.manage_meetings"):
        people = _owner_choices(obj)
    else:
        people = Person.objects.filter(user=user).select_related("organisation")
    declared = set(
        ItemDeclaration.objects.filter(item__meeting=obj).values_list("item_id", "person_id")
    )
    return form_page(
        request,
        ItemDeclarationForm(
            posted(request), items=list(obj.items.all()), people=people, declared=declared
        ),
        template="governance/item_declaration_form.html",
        on_valid=lambda data: services.item_declaration_record(
            item=data["item"],
            person=data["person"],
            interest=data["interest"],
            outcome=data["outcome"],
            actor=actor_for(request),
        ),
        success="The declaration of interest has been recorded",
        next_url=obj.get_absolute_url(),
        context={"meeting": obj},
    )


# The action log ---------------------------------------------------------------------------


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


# Members and their interests --------------------------------------------------------------


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


# Letters to chief officers ----------------------------------------------------------------


@permission_required("governance.view_letters")
def letter_list(request):
    letters = AttendanceLetter.objects.select_related(
        "group", "person", "organisation", "chief_officer"
    ).order_by("status", "-created_at")
    page = paginate(request, letters)
    return render(request, "governance/letter_list.html", {"page": page})


@require_POST
@permission_required("governance.manage_letters", fn=_group)
def letter_create(request, slug, obj):
    person_id = request.POST.get("person", "")
    person = (
        Person.objects.filter(pk=person_id).first()
        if person_id.isdigit() and len(person_id) < 19
        else None
    )
    if person is None:
        raise Http404("No such member")
    try:
        letter = services.attendance_letter_draft(
            group=obj, person=person, actor=actor_for(request)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("governance:group-attendance", slug=obj.slug)
    return redirect(letter)


def _letter(request, pk, **kwargs):
    return get_object_or_404(
        AttendanceLetter.objects.select_related("group", "person", "organisation", "chief_officer"),
        pk=pk,
    )


@permission_required("governance.view_letters", fn=_letter)
def letter_detail(request, pk, obj):
    return render(
        request,
        "governance/letter_detail.html",
        {"letter": obj, "text": documents.letter_text(obj)},
    )


@permission_required("governance.view_letters", fn=_letter)
def letter_download(request, pk, fmt, obj):
    if fmt == "pdf":
        body, content_type = documents.letter_pdf(obj), "application/pdf"
    else:
        body = documents.letter_docx(obj)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    services.attendance_letter_record_download(letter=obj, fmt=fmt, actor=actor_for(request))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="attendance-letter-{obj.pk}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("governance.manage_letters", fn=_letter)
def letter_mark_sent(request, pk, obj):
    if obj.status != LetterStatus.DRAFT:
        raise Http404("The letter has already been sent")
    if request.method == "POST":
        services.attendance_letter_mark_sent(letter=obj, actor=actor_for(request))
        messages.success(request, f"The letter to {obj.chief_officer} is recorded as sent")
        return redirect(obj)
    return render(request, "governance/letter_sent.html", {"letter": obj})


# Funding ----------------------------------------------------------------------------------


@permission_required("governance.view_funding")
def funding(request):
    years = list(
        FundingContribution.objects.order_by("-financial_year")
        .values_list("financial_year", flat=True)
        .distinct()
    )
    this_year = financial_year_of(timezone.localdate())
    form = YearForm(request.GET or None, years=years or [this_year])
    year = (form.cleaned_data["year"] if form.is_valid() else None) or (
        years[0] if years else this_year
    )
    contributions = list(
        FundingContribution.objects.filter(financial_year=year)
        .select_related("organisation")
        .order_by("organisation__kind", "organisation__name")
    )
    totals = FundingContribution.objects.filter(financial_year=year).aggregate(
        agreed=Sum("agreed_amount"), received=Sum("received_amount")
    )
    by_year = list(
        FundingContribution.objects.values("financial_year")
        .annotate(agreed=Sum("agreed_amount"), received=Sum("received_amount"))
        .order_by("-financial_year")
    )
    return render(
        request,
        "governance/funding.html",
        {
            "form": form,
            "year": year,
            "contributions": contributions,
            "totals": totals,
            "by_year": by_year,
        },
    )


@permission_required("governance.change_funding")
def funding_create(request):
    form = FundingForm(posted(request))
    return form_page(
        request,
        form,
        template="governance/funding_form.html",
        on_valid=lambda data: services.funding_save(
            contribution=form.instance, actor=actor_for(request)
        ),
        success=lambda contribution: f"The contribution from {contribution.organisation} is saved",
        next_url=lambda contribution: f"{_funding_url()}?year={contribution.financial_year}",
    )


def _contribution(request, pk, **kwargs):
    return get_object_or_404(FundingContribution.objects.select_related("organisation"), pk=pk)


@permission_required("governance.change_funding", fn=_contribution)
def funding_edit(request, pk, obj):
    form = FundingForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="governance/funding_form.html",
        on_valid=lambda data: services.funding_save(
            contribution=form.instance, actor=actor_for(request)
        ),
        success="Your changes have been saved",
        next_url=lambda contribution: f"{_funding_url()}?year={contribution.financial_year}",
        context={"contribution": obj},
    )


def _funding_url() -> str:
    return reverse("governance:funding")


# Calendar ---------------------------------------------------------------------------------


@permission_required("governance.use_calendar")
def calendar(request):
    raw = None
    if request.method == "POST":
        if request.POST.get("stop"):
            services.calendar_token_revoke(actor=actor_for(request))
            messages.success(request, "Your private calendar address has stopped working")
            return redirect("governance:calendar")
        raw = services.calendar_token_issue(actor=actor_for(request))
    feed_url = (
        request.build_absolute_uri(_reverse("governance:calendar-feed", token=raw)) if raw else None
    )
    return render(
        request,
        "governance/calendar.html",
        {"feed_url": feed_url, "has_feed": bool(request.user.calendar_token)},
    )


def _reverse(name, **kwargs):
    return reverse(name, kwargs=kwargs)


FEED_ROLES = [
    Role.BUSINESS_UNIT,
    Role.INDEPENDENT_CHAIR,
    Role.PARTNER_LEAD,
    Role.GROUP_MEMBER,
    Role.DATA_SUBMITTER,
]


def feed_meetings(user):
    """The meetings in a user's calendar feed: their groups' (the business unit: all)."""
    from partnership.governance.scopes import group_ids

    meetings = Meeting.objects.select_related("group", "priority").filter(
        starts_at__gte=timezone.now() - dt.timedelta(days=92)
    )
    if not user.has_role(Role.BUSINESS_UNIT):
        meetings = meetings.filter(group_id__in=group_ids(user))
    return meetings.order_by("starts_at")[:500]


@public
def calendar_feed(request, token):
    """A private feed for calendar apps, which cannot sign in: the token is the key.

    A wrong, old or stopped token gets the same 404 as any unknown address, and the feed
    holds only when and where meetings are, never papers or minutes.
    """
    if len(token) > 100:
        raise Http404
    user = (
        User.objects.filter(
            calendar_token=services.calendar_token_hash(token), is_active=True
        ).first()
        if token
        else None
    )
    if user is None or not user.has_role(*FEED_ROLES):
        raise Http404
    body = ics.feed(
        feed_meetings(user),
        name=f"Meetings – {user.full_name}",
        link_for=lambda m: request.build_absolute_uri(m.get_absolute_url()),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
