"""Training records on the retention schedule (see docs/guide/records.md).

A booking holds a practitioner's details as they gave them; it is kept 6 years after the
session, the period agencies rely on to evidence their staff's safeguarding training.
Certificates are not stored: each is drawn from an attended booking when asked for, so they
go with the booking. Training records carry no statutory duty, so a practitioner may have
them erased on request: the booking stays as "Erased attendee", so session numbers and
evaluation scores stay right, and the personal details and free text go.
"""

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from partnership.lib.retention import ANONYMISE, DELETE, RecordKind

from .models import (
    ACTIVE_STATUSES,
    Attendance,
    Booking,
    Evaluation,
    ImpactResponse,
    Learner,
)

ERASED_ATTENDEE = "Erased attendee"
IRMS_TRAINING = (
    "IRMS Local Government Retention Guidelines: training records, 6 years after the training "
    "(the Limitation Act 1980 period); agencies use them to evidence their staff's training."
)


def bookings_of(subject):
    """Bookings made by the subject's account, or in their email address (agencies book
    through the API for staff who have no account)."""
    match = Q(pk__in=[])
    if subject.user is not None:
        match |= Q(user=subject.user)
    if subject.email:
        match |= Q(email__iexact=subject.email)
    return Booking.objects.filter(match)


def anonymise_booking(booking: Booking) -> None:
    booking.full_name = ERASED_ATTENDEE
    # Unique per booking: the one-active-booking-per-email rule must still hold.
    booking.email = f"erased-{booking.pk}@erased.invalid"
    booking.job_title = ""
    booking.organisation_other = ""
    booking.manager_email = ""
    booking.access_needs = ""
    booking.user = None
    booking.idempotency_key = ""
    booking.save()


def anonymise_evaluation(evaluation: Evaluation) -> None:
    # The scores are kept for the course's figures; the words are the person's own.
    evaluation.most_useful = ""
    evaluation.will_do_differently = ""
    evaluation.improvements = ""
    evaluation.save()


def anonymise_impact(response: ImpactResponse) -> None:
    response.example = ""
    response.barriers = ""
    response.save()


def _booking_refusal(booking: Booking) -> str:
    if booking.status in ACTIVE_STATUSES and booking.session.ends_at > timezone.now():
        return (
            "The session has not happened yet and the place is still held: cancel the booking "
            "first, so the place goes to someone else."
        )
    return ""


RECORD_KINDS = [
    RecordKind(
        key="training.evaluation",
        label="Course evaluation",
        model="training.Evaluation",
        describe=lambda evaluation: (
            f"Evaluation {evaluation.pk} of booking {evaluation.booking_id}"
        ),
        part_of="training.booking",
        anonymise=anonymise_evaluation,
        subject_rows=lambda subject: Evaluation.objects.filter(
            booking__in=bookings_of(subject).values("pk")
        ),
        erasure=ANONYMISE,
    ),
    RecordKind(
        key="training.impactresponse",
        label="Impact follow-up response",
        model="training.ImpactResponse",
        describe=lambda response: f"Impact response {response.pk} of booking {response.booking_id}",
        part_of="training.booking",
        anonymise=anonymise_impact,
        subject_rows=lambda subject: ImpactResponse.objects.filter(
            booking__in=bookings_of(subject).values("pk")
        ),
        erasure=ANONYMISE,
    ),
    RecordKind(
        key="training.booking",
        label="Training booking (with its evaluation, impact follow-up and certificate)",
        model="training.Booking",
        describe=lambda booking: f"Booking {booking.pk} on session {booking.session_id}",
        trigger="session__starts_at",
        trigger_label="the day of the session",
        default_months=72,
        source=IRMS_TRAINING,
        held_with=(("training.session", "session_id"),),
        disposal=DELETE,
        anonymise=anonymise_booking,
        subject_rows=bookings_of,
        erasure=ANONYMISE,
        erasure_refusal=_booking_refusal,
    ),
    RecordKind(
        key="training.learner",
        label="Training portal profile (closed account)",
        model="training.Learner",
        describe=lambda learner: f"Training profile {learner.pk} of account {learner.user_id}",
        trigger=lambda: Coalesce("user__last_login", "created_at"),
        trigger_label="the last sign-in of a closed account",
        default_months=24,
        source="Judgement: as the account it belongs to.",
        judgement=True,
        scope=lambda: Q(user__is_active=False),
        subject_rows=lambda subject: (
            Learner.objects.filter(user=subject.user) if subject.user else Learner.objects.none()
        ),
        erasure=DELETE,
    ),
    RecordKind(
        key="training.session",
        label="Training session",
        model="training.Session",
        describe=lambda session: (
            f"Session {session.pk} of course {session.course_id} "
            f"({timezone.localtime(session.starts_at):%d %B %Y})"
        ),
        trigger="starts_at",
        trigger_label="the day of the session",
        default_months=72,
        source=IRMS_TRAINING,
    ),
]


def subject_access(subject) -> list[tuple[str, list[dict]]]:
    bookings = list(
        bookings_of(subject)
        .select_related("session__course", "organisation")
        .order_by("session__starts_at", "pk")
    )
    booking_rows = [
        {
            "Course": booking.session.course.title,
            "Session": booking.session.starts_at,
            "Name given": booking.full_name,
            "Email given": booking.email,
            "Role": booking.job_title,
            "Organisation": booking.organisation.name
            if booking.organisation_id
            else booking.organisation_other,
            "Manager's email": booking.manager_email,
            "Access needs": booking.access_needs,
            "Status": booking.get_status_display(),
            "Attendance": booking.get_attendance_display(),
            "Booked": booking.created_at,
        }
        for booking in bookings
    ]
    certificates = [
        {"Course": booking.session.course.title, "Session": booking.session.starts_at}
        for booking in bookings
        if booking.attendance == Attendance.ATTENDED
    ]
    evaluations = [
        {
            "Course": evaluation.booking.session.course.title,
            "Overall (1-5)": evaluation.overall,
            "Trainer (1-5)": evaluation.trainer,
            "Outcomes met": evaluation.get_outcomes_met_display(),
            "Confidence before": evaluation.confidence_before,
            "Confidence after": evaluation.confidence_after,
            "Most useful": evaluation.most_useful,
            "Will do differently": evaluation.will_do_differently,
            "Improvements": evaluation.improvements,
            "Submitted": evaluation.submitted_at,
        }
        for evaluation in Evaluation.objects.filter(booking__in=[b.pk for b in bookings])
        .select_related("booking__session__course")
        .order_by("submitted_at")
    ]
    impact = [
        {
            "Course": response.booking.session.course.title,
            "Respondent": response.get_respondent_display(),
            "Learning applied": response.get_learning_applied_display(),
            "Impact (1-5)": response.impact,
            "Example": response.example,
            "Barriers": response.barriers,
            "Submitted": response.submitted_at,
        }
        for response in ImpactResponse.objects.filter(booking__in=[b.pk for b in bookings])
        .select_related("booking__session__course")
        .order_by("submitted_at")
    ]
    profile = []
    if subject.user is not None:
        learner = Learner.objects.filter(user=subject.user).first()
        if learner is not None:
            profile = [
                {
                    "Organisation (if not listed)": learner.organisation_other,
                    "Manager's email": learner.manager_email,
                    "Confirmed": learner.confirmed_at,
                }
            ]
    return [
        ("Training profile", profile),
        ("Training bookings", booking_rows),
        ("Certificates (drawn from attended bookings)", certificates),
        ("Course evaluations", evaluations),
        ("Impact follow-up responses", impact),
    ]
