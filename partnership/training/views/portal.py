"""The public portal: the sessions open for booking, the catalogue, a session, and booking a
place.
"""

from django.contrib import messages
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from partnership.accounts.decorators import permission_required, public
from partnership.web.actors import actor_for
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import services
from ..forms import (
    BookForm,
    SessionFilterForm,
)
from ..models import (
    Booking,
    BookingSource,
    BookingStatus,
    Course,
    Learner,
    Session,
)
from .common import PORTAL_PAGE_SIZE

# The public portal -------------------------------------------------------------------------


def _filtered_sessions(filters):
    sessions = Session.objects.upcoming().select_related("course")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            sessions = sessions.filter(
                Q(course__title__icontains=data["q"]) | Q(course__summary__icontains=data["q"])
            )
        if data["course_type"]:
            sessions = sessions.filter(course__course_type=data["course_type"])
        if data["level"]:
            sessions = sessions.filter(course__level=data["level"])
        if data["theme"]:
            sessions = sessions.filter(course__themes__slug=data["theme"])
    return sessions.order_by("starts_at", "pk")


@public
def portal(request):
    """Training and events: every session open for booking, soonest first."""
    filters = SessionFilterForm(request.GET or None)
    page = paginate(request, _filtered_sessions(filters), per_page=PORTAL_PAGE_SIZE)
    return render(request, "training/portal.html", {"page": page, "filters": filters})


@public
def course_list(request):
    upcoming = (
        Session.objects.upcoming()
        .filter(course=OuterRef("pk"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    courses = Course.objects.published().annotate(next_session=Subquery(upcoming))
    page = paginate(request, courses.order_by("title"))
    return render(request, "training/course_list.html", {"page": page})


@public
def course_detail(request, slug):
    course = get_object_or_404(Course.objects.published(), slug=slug)
    sessions = Session.objects.upcoming().filter(course=course).order_by("starts_at")
    page = paginate(request, sessions, per_page=PORTAL_PAGE_SIZE)
    return render(
        request,
        "training/course_detail.html",
        {"course": course, "themes": course.themes.all(), "page": page},
    )


def _own_active_booking(request, session):
    if not request.user.is_authenticated:
        return None
    return (
        Booking.objects.active().filter(session=session, email=request.user.email.lower()).first()
    )


@public
def session_detail(request, pk):
    session = get_object_or_404(
        Session.objects.select_related("course").filter(course__is_published=True), pk=pk
    )
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "trainers": session.trainers.all(),
            "booking": _own_active_booking(request, session),
            "bookable": session.is_bookable(),
            "cancel_deadline": session.self_cancel_deadline(),
        },
    )


def _bookable_session(request, pk, **kwargs):
    return get_object_or_404(
        Session.objects.select_related("course").filter(course__is_published=True), pk=pk
    )


@permission_required("training.book", fn=_bookable_session)
@never_cache
def book(request, pk, obj):
    session = obj
    user = request.user
    existing = _own_active_booking(request, session)
    if existing is not None:
        messages.success(request, "You already have this booking")
        return redirect(existing)
    learner = Learner.objects.filter(user=user).first()
    form = BookForm(
        posted(request), initial={"manager_email": learner.manager_email if learner else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.booking_create(
                session_id=session.pk,
                full_name=user.full_name or user.email,
                email=user.email,
                user=user,
                organisation=user.organisation,
                organisation_other=learner.organisation_other if learner else "",
                job_title=user.job_title,
                manager_email=form.cleaned_data["manager_email"],
                access_needs=form.cleaned_data["access_needs"],
                source=BookingSource.PORTAL,
                actor=actor_for(request),
            )
        except services.TrainingError as error:
            form.add_error(None, error.message)
        else:
            if form.cleaned_data["manager_email"]:
                services.learner_update_manager(
                    user=user, manager_email=form.cleaned_data["manager_email"]
                )
            booking = outcome.booking
            if booking.status == BookingStatus.CONFIRMED:
                messages.success(request, "Your place is booked. We have emailed you the details")
            else:
                messages.success(
                    request,
                    "The session is full, so you are on the waiting list. We will email you "
                    "if a place comes free",
                )
            return redirect(booking)
    return render(
        request,
        "training/book.html",
        {"session": session, "course": session.course, "form": form, "learner": learner},
    )
