"""Pages for meetings: the list, scheduling, the agenda, papers and the agenda pack."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate
from partnership.web.storage import file_download

from .. import documents, ics, services
from ..forms import (
    AgendaItemForm,
    MeetingForm,
    PaperForm,
)
from ..models import (
    Action,
    AgendaItem,
    Group,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    Paper,
)
from .lookups import _group, _group_in_query, _meeting


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
            "pack_delivery": services.pack_delivery(obj) if can_manage else None,
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


@permission_required("governance.manage_meetings", fn=_meeting)
def agenda_order(request, pk, obj):
    """Reorder the agenda: each item moves up or down one place, standing items included."""
    error = None
    if request.method == "POST":
        item = get_object_or_404(obj.items, pk=request.POST.get("item"))
        try:
            services.agenda_item_move(
                item=item, up=request.POST.get("move") == "up", actor=actor_for(request)
            )
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, f"“{item.title}” is now item {item.position}")
            return redirect("governance:agenda-order", pk=obj.pk)
    return render(
        request,
        "governance/agenda_order.html",
        {"meeting": obj, "items": list(obj.items.all()), "error": error},
    )


@permission_required("governance.manage_meetings", fn=_item)
def item_remove(request, pk, item_pk, obj):
    error = None
    if request.method == "POST":
        try:
            services.agenda_item_remove(item=obj, actor=actor_for(request))
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, f"“{obj.title}” has been taken off the agenda")
            return redirect("governance:agenda-order", pk=obj.meeting_id)
    return render(request, "governance/item_remove.html", {"item": obj, "error": error})
