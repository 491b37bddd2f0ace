"""Training through the API: partner learning systems list sessions, book and cancel places.

An agency's system books places for its own staff (the booking's organisation is the agency
the token was issued to) and sees only the bookings it made. Booking is safe to repeat: send
an `Idempotency-Key` header and a repeated request returns the same booking (200, not 201);
without a key, booking a person who already has a place or a waiting-list place on the
session also returns that booking. Rules the request breaks (a session that has started or
was cancelled, a cancellation after the cut-off) are 409 with a `code`.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BeforeValidator, field_validator

from partnership.outputs.links import absolute_url
from partnership.web.actors import actor_for
from partnership.web.api_support import ERRORS, ErrorOut, Pagination, idempotency_key_header

from . import services
from .models import (
    Attendance,
    Booking,
    BookingSource,
    BookingStatus,
    CourseType,
    Level,
    Session,
    SessionStatus,
)

router = Router(tags=["Training"])

ID = Path(..., ge=1, le=2**31 - 1)
STARTS_FROM = Query(None, description="Only sessions on or after this date (YYYY-MM-DD).")


class ConflictOut(Schema):
    detail: str
    code: str


BOOKING_ERRORS = {**ERRORS, 409: ConflictOut}
# A body that is not JSON at all is refused before validation.
BODY_ERRORS = {**BOOKING_ERRORS, 400: ErrorOut}


class SessionOut(Schema):
    id: int
    course_id: int
    course_title: str
    course_type: CourseType
    level: Level
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    online: bool
    capacity: int
    places_left: int
    status: SessionStatus
    price: Decimal | None = Field(
        None, description="Price for organisations outside the partnership, in pounds."
    )
    url: str

    @staticmethod
    def resolve_course_title(session):
        return session.course.title

    @staticmethod
    def resolve_course_type(session):
        return session.course.course_type

    @staticmethod
    def resolve_level(session):
        return session.course.level

    @staticmethod
    def resolve_online(session):
        return bool(session.online_link) or not session.venue

    @staticmethod
    def resolve_url(session):
        return absolute_url(session.get_absolute_url())


NO_NUL = r"^[^\x00]*$"


class BookingIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=150, pattern=r"^[^\x00]*\S[^\x00]*$")
    email: str = Field(..., max_length=254, json_schema_extra={"format": "email"})
    job_title: str = Field("", max_length=200, pattern=NO_NUL)
    manager_email: str | None = Field(
        None,
        max_length=254,
        description="Leave out if there is no manager to ask about impact.",
        json_schema_extra={"format": "email"},
    )
    access_needs: str = Field("", max_length=2000, pattern=NO_NUL)

    @field_validator("full_name")
    @classmethod
    def _name(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return _valid_email(value, "Enter an email address in the correct format")

    @field_validator("manager_email")
    @classmethod
    def _manager_email(cls, value: str | None) -> str:
        if value is None:
            return ""
        return _valid_email(value, "Enter the manager's email address in the correct format")

    @field_validator("job_title", "access_needs")
    @classmethod
    def _text(cls, value: str) -> str:
        return value.strip()


def _iso_date(value):
    """Only YYYY-MM-DD (pydantic alone would also take a number as a Unix time)."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError("Enter a date as YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def _valid_email(value: str, message: str) -> str:
    value = value.strip().lower()
    if len(value) > 254:
        raise ValueError(message)
    try:
        validate_email(value)
    except DjangoValidationError as error:
        raise ValueError(message) from error
    return value


class BookingOut(Schema):
    id: int
    session_id: int
    full_name: str
    email: str
    status: BookingStatus
    waiting_position: int | None = Field(None, description="1 is next in line.")
    offer_expires_at: dt.datetime | None = Field(
        None, description="When a place is offered: accept it on the booking page by then."
    )
    attendance: Attendance
    created_at: dt.datetime
    cancelled_at: dt.datetime | None
    url: str

    @staticmethod
    def resolve_waiting_position(booking):
        if booking.status != BookingStatus.WAITING:
            return None
        if hasattr(booking, "queue_ahead"):  # annotated on lists: no query per booking
            return (booking.queue_ahead or 0) + 1
        return services.waiting_position(booking)

    @staticmethod
    def resolve_url(booking):
        return absolute_url(booking.get_absolute_url())


def _sessions():
    return Session.objects.select_related("course")


@router.get(
    "/sessions",
    response={200: list[SessionOut], **ERRORS},
    summary="List the sessions open for booking",
)
@paginate(Pagination)
def list_sessions(
    request,
    course_type: CourseType | None = None,
    level: Level | None = None,
    starts_from: IsoDate | None = STARTS_FROM,
):
    sessions = _sessions().upcoming().order_by("starts_at", "pk")
    if course_type:
        sessions = sessions.filter(course__course_type=course_type)
    if level:
        sessions = sessions.filter(course__level=level)
    if starts_from:
        sessions = sessions.filter(starts_at__date__gte=starts_from)
    return sessions


@router.get("/sessions/{session_id}", response={200: SessionOut, **ERRORS}, summary="One session")
def get_session(request, session_id: int = ID):
    return get_object_or_404(_sessions(), pk=session_id)


@router.post(
    "/sessions/{session_id}/bookings",
    response={200: BookingOut, 201: BookingOut, **BODY_ERRORS},
    summary="Book a place for a member of your staff (or a waiting-list place if full)",
)
def create_booking(
    request,
    payload: BookingIn,
    session_id: int = ID,
    idempotency_key: str = idempotency_key_header("booking"),
):
    get_object_or_404(Session, pk=session_id)
    try:
        outcome = services.booking_create(
            session_id=session_id,
            full_name=payload.full_name,
            email=payload.email,
            job_title=payload.job_title,
            manager_email=payload.manager_email or "",
            access_needs=payload.access_needs,
            organisation=request.agency,
            source=BookingSource.API,
            agency=request.agency,
            idempotency_key=idempotency_key,
            actor=actor_for(request),
        )
    except services.TrainingError as error:
        return Status(409, {"detail": error.message, "code": error.code})
    return Status(201 if outcome.created else 200, outcome.booking)


def _agency_bookings(request):
    ahead = (
        Booking.objects.filter(session=OuterRef("session"), status=BookingStatus.WAITING)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Booking.objects.filter(agency=request.agency).annotate(queue_ahead=Subquery(ahead))


@router.get(
    "/bookings",
    response={200: list[BookingOut], **ERRORS},
    summary="List the bookings your agency has made",
)
@paginate(Pagination)
def list_bookings(
    request,
    session_id: int | None = Query(None, ge=1, le=2**31 - 1),
    status: BookingStatus | None = None,
):
    bookings = _agency_bookings(request).order_by("-created_at", "-pk")
    if session_id:
        bookings = bookings.filter(session_id=session_id)
    if status:
        bookings = bookings.filter(status=status)
    return bookings


@router.get("/bookings/{booking_id}", response={200: BookingOut, **ERRORS}, summary="One booking")
def get_booking(request, booking_id: int = ID):
    return get_object_or_404(_agency_bookings(request), pk=booking_id)


@router.post(
    "/bookings/{booking_id}/cancel",
    response={200: BookingOut, **BOOKING_ERRORS},
    summary="Cancel a booking (up to the cut-off), or take someone off the waiting list",
)
def cancel_booking(request, booking_id: int = ID):
    booking = get_object_or_404(_agency_bookings(request), pk=booking_id)
    try:
        booking = services.booking_cancel(booking=booking, actor=actor_for(request))
    except services.TrainingError as error:
        return Status(409, {"detail": error.message, "code": error.code})
    return Status(200, booking)
