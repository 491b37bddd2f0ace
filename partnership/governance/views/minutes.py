"""Pages for the register of attendance and the minutes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required, public
from partnership.directory.models import Person
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import documents, services
from ..forms import (
    ActionForm,
    AttendanceForm,
    ItemDeclarationForm,
    MinutesCommentForm,
    MinutesForm,
)
from ..models import (
    Action,
    Decision,
    ItemDeclaration,
    Meeting,
    Membership,
    MinutesStatus,
)
from .lookups import _meeting


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
    # The minute-taker (the business unit) sees every comment; a member, their own.
    can_manage = request.user.has_perm("governance.manage_meetings")
    comments = obj.minutes_comments.all()
    if not can_manage:
        comments = comments.filter(author=request.user)
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
            "can_manage": can_manage,
            "comments": list(comments),
            "can_comment": obj.minutes_status == MinutesStatus.DRAFT
            and obj.minutes_circulated_at is not None
            and request.user.has_perm("governance.comment_on_minutes", obj),
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
        Person.objects.current()
        .filter(Q(pk__in=people.values("person_id")))
        .select_related("organisation")
        .order_by("full_name")
    )


def _action_create(request, meeting, form, data):
    common = {
        "meeting": meeting,
        "item": data["item"],
        "description": data["description"],
        "due_on": data["due_on"],
        "actor": actor_for(request),
    }
    if new_owner := form.invitation_details():
        return services.action_create_inviting_owner(new_owner=new_owner, **common)
    return services.action_create(owner=data["owner"], **common)


@permission_required("governance.manage_meetings", fn=_meeting)
def action_create(request, pk, obj):
    form = ActionForm(
        posted(request), meeting=obj, people=_owner_choices(obj), items=list(obj.items.all())
    )
    return form_page(
        request,
        form,
        template="governance/action_form.html",
        on_valid=lambda data: _action_create(request, obj, form, data),
        success=lambda action: (
            f"Action {action.reference} has been added"
            + (f"; {action.owner} has been sent an invitation" if form.inviting else "")
        ),
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


@require_POST
@permission_required("governance.manage_meetings", fn=_meeting)
def minutes_circulate(request, pk, obj):
    try:
        count = services.minutes_circulate(meeting=obj, actor=actor_for(request))
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
    else:
        messages.success(request, f"The draft minutes have gone to {count} members for comment")
    return redirect("governance:minutes", pk=obj.pk)


@permission_required("governance.comment_on_minutes", fn=_meeting)
def minutes_comment(request, pk, obj):
    if obj.minutes_status != MinutesStatus.DRAFT or obj.minutes_circulated_at is None:
        raise Http404("These minutes are not open for comment")
    return form_page(
        request,
        MinutesCommentForm(posted(request)),
        template="governance/minutes_comment_form.html",
        on_valid=lambda data: services.minutes_comment_add(
            meeting=obj, text=data["text"], actor=actor_for(request)
        ),
        success="Your comment has been sent to the minute-taker",
        next_url=reverse("governance:minutes", kwargs={"pk": obj.pk}),
        context={"meeting": obj},
    )


@permission_required("governance.view_minutes", fn=_meeting)
def minutes_download(request, pk, obj, fmt):
    """The approved minutes as PDF or Word (drafts stay on the platform, for members)."""
    if obj.minutes_status != MinutesStatus.APPROVED:
        raise Http404("Only approved minutes are exported")
    services.minutes_record_export(meeting=obj, fmt=fmt, actor=actor_for(request))
    return _minutes_file(obj, fmt)


def _minutes_file(meeting, fmt):
    if fmt == "pdf":
        data, content_type = documents.minutes_pdf(meeting), "application/pdf"
    else:
        data = documents.minutes_docx(meeting)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=content_type)
    name = f"minutes-{meeting.group.slug}-{meeting.local_date:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _published(request, pk, **kwargs):
    return get_object_or_404(Meeting.objects.published_minutes().select_related("group"), pk=pk)


@public
def published_minutes_list(request):
    meetings = (
        Meeting.objects.published_minutes()
        .select_related("group")
        .order_by("group__display_order", "group__name", "-starts_at")
    )
    return render(
        request, "governance/published_minutes.html", {"page": paginate(request, meetings)}
    )


@public
def published_minutes_download(request, pk):
    return _minutes_file(_published(request, pk), "pdf")
