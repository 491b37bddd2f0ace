"""People's own bookings: the list, one booking, cancelling, accepting an offered place, the
calendar entry and the certificate.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.pagination import paginate

from .. import services
from ..certificates import certificate_pdf
from ..ics import booking_calendar
from ..models import (
    ACTIVE_STATUSES,
    Attendance,
    Booking,
    BookingStatus,
    Evaluation,
    Respondent,
    TrainingRules,
)
from .common import PORTAL_PAGE_SIZE, _booking

# People's own bookings ---------------------------------------------------------------------


@permission_required("training.view_own_bookings")
def my_bookings(request):
    now = timezone.now()
    mine = Booking.objects.filter(user=request.user).select_related("session__course")
    upcoming = list(
        mine.filter(status__in=ACTIVE_STATUSES, session__ends_at__gt=now).order_by(
            "session__starts_at"
        )[:100]
    )
    past = mine.exclude(pk__in=[booking.pk for booking in upcoming]).order_by(
        "-session__starts_at", "-pk"
    )
    page = paginate(request, past, per_page=PORTAL_PAGE_SIZE)
    return render(request, "training/my_bookings.html", {"upcoming": upcoming, "page": page})


@permission_required("training.view_booking", fn=_booking)
@never_cache
def booking_detail(request, pk, obj):
    booking = obj
    session = booking.session
    rules = TrainingRules.current()
    now = timezone.now()
    evaluation_link = None
    if (
        booking.attendance == Attendance.ATTENDED
        and session.ends_at <= now
        and not Evaluation.objects.filter(booking=booking).exists()
    ):
        evaluation_link = reverse(
            "training:evaluation",
            kwargs={"token": services.feedback_token(booking, Respondent.ATTENDEE)},
        )
    deadline = session.self_cancel_deadline(rules)
    return render(
        request,
        "training/booking_detail.html",
        {
            "booking": booking,
            "session": session,
            "course": session.course,
            "position": services.waiting_position(booking),
            "cancel_deadline": deadline,
            "can_self_cancel": booking.is_active
            and (booking.status != BookingStatus.CONFIRMED or timezone.localdate() <= deadline)
            and not session.has_started(now),
            "evaluation_link": evaluation_link,
            "is_own": booking.user_id == request.user.pk,
        },
    )


@permission_required("training.view_booking", fn=_booking)
@never_cache
def booking_cancel(request, pk, obj):
    booking = obj
    error = None
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking, actor=actor_for(request))
        except services.TrainingError as refusal:
            error = refusal.message
        else:
            text = {
                BookingStatus.WAITING: "You have left the waiting list",
                BookingStatus.OFFERED: "You have turned down the place",
            }.get(booking.status, "Your booking is cancelled")
            messages.success(request, text)
            return redirect(booking)
    return render(
        request,
        "training/booking_cancel.html",
        {
            "booking": booking,
            "session": booking.session,
            "error": error,
            "cancel_deadline": booking.session.self_cancel_deadline(),
        },
    )


@permission_required("training.view_booking", fn=_booking)
@never_cache
def booking_accept(request, pk, obj):
    booking = obj
    error = None
    if request.method == "POST":
        try:
            booking = services.offer_accept(booking=booking, actor=actor_for(request))
        except services.TrainingError as refusal:
            error = refusal.message
        else:
            messages.success(request, "The place is yours. We have emailed you the details")
            return redirect(booking)
    return render(
        request,
        "training/booking_accept.html",
        {"booking": booking, "session": booking.session, "error": error},
    )


@permission_required("training.view_booking", fn=_booking)
def booking_calendar_download(request, pk, obj):
    response = HttpResponse(booking_calendar(obj), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{obj.session_id}.ics"'
    return response


@permission_required("training.view_booking", fn=_booking)
def certificate(request, pk, obj):
    if obj.attendance != Attendance.ATTENDED:
        raise Http404("Certificates are for people who attended")
    response = HttpResponse(certificate_pdf(obj), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{obj.pk}.pdf"'
    return response
