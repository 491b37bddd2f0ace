"""Scale data for training: at scale 1, 2,000 sessions and 100,000 bookings.

Two years delivered and six months to come, over 60 courses, booked by the scale
partnership's practitioners (the users whose address starts "scale-", if
`partnership.demo.scale` made them first) and by people without accounts, as agencies'
systems book them. Delivered sessions have attendance, evaluations and impact follow-ups;
coming ones have waiting lists where full. Everything goes in with `bulk_create`, from the
`random.Random` given, so a run is quick and repeatable; `places_taken` is worked out first,
so the session constraints hold for every row.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from partnership.directory.models import Organisation
from partnership.reviews.models import LearningTheme

from .models import (
    Attendance,
    Booking,
    BookingSource,
    BookingStatus,
    Course,
    CourseType,
    Evaluation,
    ImpactResponse,
    Level,
    Session,
    Trainer,
)

PREFIX = "scale-"  # as partnership.demo.scale: scale data never collides with the demo
BATCH = 2000
PER_SCALE = {"courses": 60, "trainers": 40, "sessions": 2000, "bookings": 100_000}

TOPICS = [
    "Child sexual exploitation", "Child criminal exploitation", "Neglect", "Domestic abuse",
    "Mental health", "Online safety", "Missing children", "Professional curiosity",
    "Voice of the child", "Safer sleeping", "Contextual safeguarding", "Information sharing",
    "Parental substance misuse", "Female genital mutilation", "Radicalisation and Prevent",
]  # fmt: skip
VENUES = ["Huyton Hub", "Kirkby Centre", "Prescot Library", "Halewood Centre", "Online"]


def _count(key: str, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(PER_SCALE[key] * scale))


@transaction.atomic
def scale_training(scale: float, rng: random.Random) -> dict[str, int]:
    """Make the training scale data; returns what was made, by kind."""
    now = timezone.now()
    themes = list(LearningTheme.objects.all())
    organisations = list(Organisation.objects.filter(slug__startswith=PREFIX).only("pk"))
    if not organisations:
        organisations = list(Organisation.objects.only("pk")[:50])
    users = list(
        get_user_model()
        .objects.filter(email__startswith=PREFIX, role_grants__role="practitioner")
        .values_list("pk", "email", "full_name", "organisation_id")
    )

    trainers = Trainer.objects.bulk_create(
        [
            Trainer(full_name=f"{PREFIX}trainer {number}", job_title="Trainer")
            for number in range(_count("trainers", scale))
        ]
    )
    courses = []
    for number in range(_count("courses", scale)):
        topic = TOPICS[number % len(TOPICS)]
        kind = rng.choice(list(CourseType))
        courses.append(
            Course(
                title=f"{topic}: {kind.label} {number + 1}",
                slug=f"{PREFIX}course-{number + 1}",
                course_type=kind,
                level=rng.choice(list(Level)),
                audience="Practitioners and volunteers",
                summary=f"{topic}, for everyone who works with children and families.",
                learning_outcomes="Recognise the signs\nKnow what to do\nKnow who to tell",
                created_at=now - dt.timedelta(days=800),
            )
        )
    Course.objects.bulk_create(courses)
    Course.themes.through.objects.bulk_create(
        [
            Course.themes.through(course_id=course.pk, learningtheme_id=theme.pk)
            for course in courses
            for theme in rng.sample(themes, min(len(themes), rng.randint(1, 3)))
        ]
    )

    # Sessions: three in four delivered over the last two years, the rest in the next six months.
    session_count = _count("sessions", scale)
    booking_target = _count("bookings", scale)
    per_session = booking_target / session_count
    sessions, wanted = [], []
    for _ in range(session_count):
        past = rng.random() < 0.75
        offset = -rng.uniform(1, 730) if past else rng.uniform(2, 180)
        starts = (now + dt.timedelta(days=offset)).replace(minute=0, second=0, microsecond=0)
        starts = starts.replace(hour=rng.choice([9, 10, 13, 18]))
        capacity = max(5, round(rng.uniform(0.7, 1.2) * per_session))
        venue = rng.choice(VENUES)
        sessions.append(
            Session(
                course=rng.choice(courses),
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=rng.choice([1, 2, 3, 6])),
                venue="" if venue == "Online" else venue,
                online_link="https://meet.example.org/training" if venue == "Online" else "",
                capacity=capacity,
                created_at=starts - dt.timedelta(days=60),
            )
        )
        wanted.append(past)
    # Spread the bookings so that they add up to the target exactly.
    counts = [max(1, round(rng.uniform(0.8, 1.2) * per_session)) for _ in sessions]
    difference = booking_target - sum(counts)
    index = 0
    while difference:
        step = 1 if difference > 0 else -1
        if counts[index % len(counts)] + step >= 1:
            counts[index % len(counts)] += step
            difference -= step
        index += 1

    people = _people(users, organisations, max(counts) * 2, rng)
    bookings = []
    for session, past, count in zip(sessions, wanted, counts, strict=True):
        held = 0
        for person_id, email, name, organisation_id in rng.sample(people, count):
            holds = held < session.capacity
            status = BookingStatus.CONFIRMED if holds else BookingStatus.WAITING
            attendance = Attendance.NOT_RECORDED
            if past:
                # Past sessions keep only those who had places; the rest left the queue.
                status = BookingStatus.CONFIRMED if holds else BookingStatus.CANCELLED
                if holds:
                    roll = rng.random()
                    attendance = (
                        Attendance.ATTENDED
                        if roll < 0.86
                        else Attendance.NO_SHOW
                        if roll < 0.95
                        else Attendance.LATE_CANCELLATION
                    )
            held += 1 if status == BookingStatus.CONFIRMED else 0
            made = session.starts_at - dt.timedelta(days=rng.uniform(2, 50))
            bookings.append(
                Booking(
                    session=session,
                    user_id=person_id,
                    full_name=name,
                    email=email,
                    organisation_id=organisation_id,
                    status=status,
                    attendance=attendance,
                    source=rng.choice([BookingSource.PORTAL] * 3 + [BookingSource.API]),
                    created_at=min(made, now),
                    confirmed_at=min(made, now) if status == BookingStatus.CONFIRMED else None,
                    cancelled_at=session.starts_at - dt.timedelta(days=1)
                    if status == BookingStatus.CANCELLED
                    else None,
                )
            )
        session.places_taken = held
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    Session.trainers.through.objects.bulk_create(
        [
            Session.trainers.through(session_id=session.pk, trainer_id=rng.choice(trainers).pk)
            for session in sessions
        ],
        batch_size=BATCH,
    )
    Booking.objects.bulk_create(bookings, batch_size=BATCH)

    evaluations, impacts = [], []
    for booking in bookings:
        if booking.attendance != Attendance.ATTENDED:
            continue
        if rng.random() < 0.6:
            before = rng.randint(1, 4)
            evaluations.append(
                Evaluation(
                    booking=booking,
                    overall=rng.choice([3, 4, 4, 5, 5]),
                    trainer=rng.choice([3, 4, 5, 5]),
                    outcomes_met=rng.choice(["fully", "fully", "mostly", "partly"]),
                    confidence_before=before,
                    confidence_after=min(5, before + rng.randint(0, 2)),
                    submitted_at=booking.session.ends_at + dt.timedelta(days=1),
                )
            )
        if rng.random() < 0.25:
            impacts.append(
                ImpactResponse(
                    booking=booking,
                    respondent="attendee",
                    learning_applied=rng.choice(["often", "sometimes", "not_yet", "no"]),
                    impact=rng.choice([2, 3, 4, 4, 5]),
                    submitted_at=booking.session.ends_at + dt.timedelta(weeks=6),
                )
            )
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    ImpactResponse.objects.bulk_create(impacts, batch_size=BATCH)
    return {
        "training courses": len(courses),
        "training sessions": len(sessions),
        "training bookings": len(bookings),
        "evaluations": len(evaluations),
        "impact follow-ups": len(impacts),
    }


def _people(users, organisations, minimum: int, rng) -> list[tuple]:
    """Who books: the scale practitioners, topped up with people without accounts."""
    people = list(users)
    number = 0
    while len(people) < minimum:
        number += 1
        people.append(
            (
                None,
                f"{PREFIX}learner-{number}@example.org",
                f"Learner {number}",
                rng.choice(organisations).pk if organisations else None,
            )
        )
    return people
