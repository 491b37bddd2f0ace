"""The demo's work for the personas the modules' demos leave with nothing to do.

Run by `load_demo` after every module's demo. Through the services, as a user would:
- the business manager, the independent chair and the health member of the Review and
  Learning Group are each given an action at their group's latest meeting (its minutes
  are not yet approved, so an action may still be raised there);
- the commissioned reviewer books a place on the next training session with places left;
- the practitioner attended two recent sessions of "CSE for Practitioners", recorded as the
  training demo records past ones (sessions and bookings written with their attendance;
  places counted): one 4 working days ago waits for her evaluation; one 35 working days ago
  (past the impact follow-up's six weeks), evaluated already, waits for her impact
  follow-up.

Idempotent: the actions are found by their wording, the booking by the session.
"""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from partnership.governance import services as governance
from partnership.governance.models import Action, Meeting, MinutesStatus
from partnership.lib.clocks import working_days_before
from partnership.trail.actors import Actor
from partnership.training import services as training
from partnership.training.models import (
    Attendance,
    Booking,
    BookingSource,
    BookingStatus,
    Course,
    Evaluation,
    Session,
)

# (persona, group, what, due in days from today)
ACTIONS = [
    (
        "business_unit",
        "core-business-group",
        "Circulate the revised multi-agency threshold document to every agency",
        21,
    ),
    (
        "independent_chair",
        "strategic-forum",
        "Write to the three partners' chief officers about the yearly report's priorities",
        14,
    ),
    (
        "group_member",
        "review-and-learning-group",
        "Share the health chronology template with the GP practices",
        10,
    ),
]


@transaction.atomic
def build(organisations, users) -> None:
    today = timezone.localdate()
    business_unit = Actor.for_user(users["business_unit"])
    for key, slug, description, days in ACTIONS:
        user = users[key]
        if Action.objects.filter(description=description).exists():
            continue
        meeting = (
            Meeting.objects.not_cancelled()
            .filter(group__slug=slug, starts_at__lt=timezone.now())
            .exclude(minutes_status=MinutesStatus.APPROVED)
            .order_by("-starts_at")
            .first()
        )
        if meeting is None:
            continue
        governance.action_create(
            meeting=meeting,
            description=description,
            owner=user.person,
            due_on=today + dt.timedelta(days=days),
            actor=business_unit,
        )
    reviewer = users["reviewer"]
    if not reviewer.training_bookings.exists():
        session = next(
            (s for s in Session.objects.upcoming().order_by("starts_at") if s.places_left > 0),
            None,
        )
        if session is not None:
            training.booking_create(
                session_id=session.pk,
                full_name=reviewer.full_name,
                email=reviewer.email,
                source=BookingSource.PORTAL,
                user=reviewer,
                organisation=reviewer.organisation,
                job_title=reviewer.job_title,
                actor=Actor.for_user(reviewer),
            )
    _practitioner_feedback(users["practitioner"])


# (working days ago the session was held, evaluated already)
FEEDBACK_SESSIONS = [(4, False), (35, True)]
FEEDBACK_COURSE = "CSE for Practitioners"


def _practitioner_feedback(pat) -> None:
    course = Course.objects.filter(title=FEEDBACK_COURSE).first()
    if course is None:
        return
    today = timezone.localdate()
    for days_ago, evaluated in FEEDBACK_SESSIONS:
        day = working_days_before(today, days_ago)
        starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
        session, _ = Session.objects.get_or_create(
            course=course,
            starts_at=starts_at,
            defaults={
                "ends_at": starts_at + dt.timedelta(hours=3),
                "venue": "Kirkby Centre, Norwich Way, Kirkby L32 8XY",
                "capacity": 20,
            },
        )
        if Booking.objects.filter(session=session, user=pat).exists():
            continue
        booking = Booking.objects.create(
            session=session,
            user=pat,
            full_name=pat.full_name,
            email=pat.email,
            job_title=pat.job_title,
            organisation=pat.organisation,
            manager_email="head@staidans.example.org",
            source=BookingSource.PORTAL,
            status=BookingStatus.CONFIRMED,
            attendance=Attendance.ATTENDED,
            created_at=starts_at - dt.timedelta(days=14),
            confirmed_at=starts_at - dt.timedelta(days=14),
        )
        Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") + 1)
        if evaluated:
            Evaluation.objects.create(
                booking=booking,
                overall=4,
                trainer=5,
                outcomes_met="mostly",
                confidence_before=2,
                confidence_after=4,
                most_useful="Knowing who to call, and when.",
                submitted_at=session.ends_at + dt.timedelta(hours=2),
            )
