"""The demo's work for the personas the modules' demos leave with nothing to do.

Run by `load_demo` after every module's demo. Through the services, as a user would:
- the business manager, the independent chair and the health member of the Review and
  Learning Group are each given an action at their group's latest meeting (its minutes
  are not yet approved, so an action may still be raised there);
- the commissioned reviewer books a place on the next training session with places left.

Idempotent: the actions are found by their wording, the booking by the session.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from partnership.governance import services as governance
from partnership.governance.models import Action, Meeting, MinutesStatus
from partnership.trail.actors import Actor
from partnership.training import services as training
from partnership.training.models import BookingSource, Session

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
