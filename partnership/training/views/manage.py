"""Running training (the business unit): the dashboard, courses, sessions, the register, bookings,
trainers and the rules.
"""

import datetime as dt

from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.decorators import permission_required
from partnership.outputs.spreadsheets import csv_bytes
from partnership.trail.models import Action
from partnership.trail.services import audit_record
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import reports, services
from ..forms import (
    AttendanceForm,
    BookingCancelForm,
    CourseForm,
    RulesForm,
    SessionCancelForm,
    SessionForm,
    TrainerForm,
)
from ..models import (
    Attendance,
    Booking,
    BookingStatus,
    Course,
    Session,
    SessionStatus,
    Trainer,
    TrainingRules,
)
from .common import _booking, _refused_on

# Running training ----------------------------------------------------------------------------


@permission_required("training.manage")
def manage(request):
    waiting = Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING))
    sessions = (
        Session.objects.filter(status=SessionStatus.SCHEDULED, ends_at__gt=timezone.now())
        .select_related("course")
        .annotate(waiting=waiting)
        .order_by("starts_at", "pk")
    )
    page = paginate(request, sessions, per_page=25)
    needing_register = (
        Session.objects.filter(
            status=SessionStatus.SCHEDULED,
            ends_at__lte=timezone.now(),
            ends_at__gte=timezone.now() - dt.timedelta(days=60),
        )
        .filter(
            Exists(
                Booking.objects.filter(
                    session=OuterRef("pk"),
                    status=BookingStatus.CONFIRMED,
                    attendance=Attendance.NOT_RECORDED,
                )
            )
        )
        .select_related("course")
        .order_by("-starts_at")[:20]
    )
    return render(
        request,
        "training/manage/dashboard.html",
        {"page": page, "needing_register": needing_register},
    )


@permission_required("training.manage")
def manage_courses(request):
    courses = Course.objects.annotate(
        session_count=Count("sessions", filter=Q(sessions__status=SessionStatus.SCHEDULED))
    ).order_by("title")
    page = paginate(request, courses)
    return render(request, "training/manage/course_list.html", {"page": page})


@permission_required("training.manage")
def course_create(request):
    form = CourseForm(posted(request))
    return form_page(
        request,
        form,
        template="training/manage/course_form.html",
        on_valid=lambda data: services.course_save(
            course=form.instance, themes=data["themes"], actor=actor_for(request)
        ),
        success=lambda course: f"{course.title} has been added",
        next_url="training:manage-courses",
    )


def _course(request, slug, **kwargs):
    return get_object_or_404(Course, slug=slug)


@permission_required("training.manage", fn=_course)
def course_edit(request, slug, obj):
    form = CourseForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/manage/course_form.html",
        on_valid=lambda data: services.course_save(
            course=form.instance, themes=data["themes"], actor=actor_for(request)
        ),
        success="Your changes have been saved",
        next_url="training:manage-courses",
        context={"course": obj},
    )


@permission_required("training.manage")
def session_create(request):
    initial = {}
    course = Course.objects.filter(slug=request.GET.get("course", "")).first()
    if course:
        initial["course"] = course
    form = SessionForm(posted(request), initial=initial)
    return form_page(
        request,
        form,
        template="training/manage/session_form.html",
        on_valid=_refused_on(
            "capacity",
            lambda data: services.session_save(
                session=form.instance, trainers=data["trainers"], actor=actor_for(request)
            ),
        ),
        success="The session has been added and is open for booking",
        next_url=lambda session: reverse("training:manage-session", kwargs={"pk": session.pk}),
    )


def _session(request, pk, **kwargs):
    return get_object_or_404(Session.objects.select_related("course"), pk=pk)


@permission_required("training.manage", fn=_session)
def manage_session(request, pk, obj):
    session = obj
    bookings = (
        session.bookings.filter(status__in=[BookingStatus.CONFIRMED, BookingStatus.OFFERED])
        .select_related("organisation")
        .order_by("full_name", "pk")
    )
    page = paginate(request, bookings)
    waiting = list(session.bookings.waiting_in_order().select_related("organisation")[:200])
    return render(
        request,
        "training/manage/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "page": page,
            "waiting": waiting,
            "trainers": session.trainers.all(),
            "breakdown": reports.agency_breakdown(session),
            "started": session.has_started(),
        },
    )


@permission_required("training.manage", fn=_session)
def session_edit(request, pk, obj):
    form = SessionForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/manage/session_form.html",
        on_valid=_refused_on(
            "capacity",
            lambda data: services.session_save(
                session=form.instance, trainers=data["trainers"], actor=actor_for(request)
            ),
        ),
        success="Your changes have been saved",
        next_url=reverse("training:manage-session", kwargs={"pk": obj.pk}),
        context={"session": obj},
    )


@permission_required("training.manage", fn=_session)
def session_cancel(request, pk, obj):
    form = SessionCancelForm(posted(request))
    return form_page(
        request,
        form,
        template="training/manage/session_cancel.html",
        on_valid=_refused_on(
            None,
            lambda data: services.session_cancel(
                session=obj, reason=data["reason"], actor=actor_for(request)
            ),
        ),
        success=lambda told: f"The session is cancelled and {told} people have been told",
        next_url=reverse("training:manage-session", kwargs={"pk": obj.pk}),
        context={"session": obj},
    )


@permission_required("training.manage", fn=_session)
def attendance(request, pk, obj):
    session = obj
    if not session.has_started():
        messages.success(request, "The register opens when the session starts")
        return redirect("training:manage-session", pk=session.pk)
    bookings = services.register_bookings(session)
    form = AttendanceForm(posted(request), bookings=bookings)
    return form_page(
        request,
        form,
        template="training/manage/attendance.html",
        on_valid=_refused_on(
            None,
            lambda data: services.attendance_record(
                session=session, outcomes=form.outcomes(), actor=actor_for(request)
            ),
        ),
        success=lambda counts: (
            f"The register is saved: {counts.get(Attendance.ATTENDED, 0)} attended, "
            f"{counts.get(Attendance.NO_SHOW, 0)} did not attend"
        ),
        next_url=reverse("training:manage-session", kwargs={"pk": session.pk}),
        context={"session": session},
    )


@permission_required("training.manage", fn=_session)
def session_export(request, pk, obj):
    """The session's bookings as CSV, for the trainer's sign-in sheet."""
    bookings = obj.bookings.exclude(status=BookingStatus.OFFER_EXPIRED).select_related(
        "organisation"
    )
    rows = [
        ["Name", "Email", "Role", "Organisation", "Status", "Attendance", "Access needs", "Booked"]
    ]
    for booking in bookings.order_by("status", "full_name"):
        rows.append(
            [
                booking.full_name,
                booking.email,
                booking.job_title,
                booking.organisation_name,
                booking.get_status_display(),
                booking.get_attendance_display(),
                booking.access_needs,
                f"{timezone.localtime(booking.created_at):%Y-%m-%d %H:%M}",
            ]
        )
    audit_record(
        actor=actor_for(request),
        action=Action.EXPORT,
        obj=obj,
        summary="Downloaded the bookings as CSV",
    )
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{obj.pk}-bookings.csv"'
    return response


@permission_required("training.manage", fn=_booking)
def booking_cancel_for(request, pk, obj):
    """The training team cancels for someone: after the cut-off it is a late cancellation."""
    form = BookingCancelForm(posted(request))
    late = timezone.localdate() > obj.session.self_cancel_deadline()
    return form_page(
        request,
        form,
        template="training/manage/booking_cancel.html",
        on_valid=_refused_on(
            None,
            lambda data: services.booking_cancel(
                booking=obj,
                actor=actor_for(request),
                by_training_team=True,
                reason=data["reason"],
            ),
        ),
        success=f"{obj.full_name}'s booking is cancelled",
        next_url=reverse("training:manage-session", kwargs={"pk": obj.session_id}),
        context={"booking": obj, "session": obj.session, "late": late},
    )


@permission_required("training.manage")
def trainers(request):
    pool = Trainer.objects.select_related("organisation").annotate(session_count=Count("sessions"))
    page = paginate(request, pool.order_by("-is_active", "full_name"))
    return render(request, "training/manage/trainer_list.html", {"page": page})


@permission_required("training.manage")
def trainer_create(request):
    form = TrainerForm(posted(request))
    return form_page(
        request,
        form,
        template="training/manage/trainer_form.html",
        on_valid=lambda data: services.trainer_save(
            trainer=form.instance, actor=actor_for(request)
        ),
        success=lambda trainer: f"{trainer.full_name} has been added to the training pool",
        next_url="training:trainers",
    )


def _trainer(request, pk, **kwargs):
    return get_object_or_404(Trainer, pk=pk)


@permission_required("training.manage", fn=_trainer)
def trainer_edit(request, pk, obj):
    form = TrainerForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/manage/trainer_form.html",
        on_valid=lambda data: services.trainer_save(
            trainer=form.instance, actor=actor_for(request)
        ),
        success="Your changes have been saved",
        next_url="training:trainers",
        context={"trainer": obj},
    )


@permission_required("training.manage")
def rules_edit(request):
    form = RulesForm(posted(request), instance=TrainingRules.current())
    return form_page(
        request,
        form,
        template="training/manage/rules_form.html",
        on_valid=lambda data: services.rules_update(rules=form.instance, actor=actor_for(request)),
        success="The training rules have been saved",
        next_url="training:manage",
    )
