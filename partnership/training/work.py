"""What training has waiting for one person, for "Your work" (docs/adr/0011): places
offered to them from a waiting list, the sessions they are booked on, and the evaluations
and impact follow-ups of the courses they attended.

Bookings are personal (`rules.is_own_booking`), so every read is of `Booking.objects
.filter(user=user)`, in a fixed number of queries.

An evaluation is asked for when the session ends and is due `FEEDBACK_DAYS` later (the
daily sweep asks for it within that time); the impact follow-up is asked for
`TrainingRules.impact_weeks` after the session and due `FEEDBACK_DAYS` after that. Each
stays on the page, overdue, for `SHOWN_DAYS` after it was asked for, then drops off: by
then the answer would no longer say much about the course.
"""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from partnership.lib.work_items import WorkItem, WorkKind

from .models import (
    Attendance,
    Booking,
    BookingStatus,
    Evaluation,
    ImpactResponse,
    Respondent,
    SessionStatus,
    TrainingRules,
)
from .tokens import feedback_token

MODULE = "Training"
FEEDBACK_DAYS = 14
SHOWN_DAYS = 90


def items_waiting_for(user, *, today: dt.date) -> list[WorkItem]:
    if not user.has_perm("training.view_own_bookings"):
        return []
    now = timezone.now()
    mine = Booking.objects.filter(user=user).select_related("session__course")
    items = [
        WorkItem(
            kind=WorkKind.OFFER,
            module=MODULE,
            title=f"Accept or decline the place offered on {booking.session}",
            url=reverse("training:booking", kwargs={"pk": booking.pk}),
            due_on=timezone.localdate(booking.offer_expires_at),
            key=f"training.offer:{booking.pk}",
            detail=f"Held for you until {timezone.localtime(booking.offer_expires_at):%-d %B %Y, %H:%M}",
        )
        for booking in mine.filter(status=BookingStatus.OFFERED, offer_expires_at__gt=now)
    ]
    items += [
        WorkItem(
            kind=WorkKind.BOOKING,
            module=MODULE,
            title=f"Attend {booking.session}",
            url=reverse("training:booking", kwargs={"pk": booking.pk}),
            due_on=booking.session.local_date,
            detail=booking.session.where,
            key=f"training.booking:{booking.pk}",
        )
        for booking in mine.filter(
            status=BookingStatus.CONFIRMED,
            session__status=SessionStatus.SCHEDULED,
            session__ends_at__gt=now,
        ).order_by("session__starts_at")
    ]
    attended = mine.filter(attendance=Attendance.ATTENDED, session__ends_at__lte=now)
    earliest = today - dt.timedelta(days=SHOWN_DAYS)
    for booking in attended.filter(session__ends_at__date__gte=earliest).exclude(
        Exists(Evaluation.objects.filter(booking=OuterRef("pk")))
    ):
        ended = timezone.localdate(booking.session.ends_at)
        items.append(
            WorkItem(
                kind=WorkKind.FEEDBACK,
                module=MODULE,
                title=f"Evaluate {booking.session.course.title}",
                url=reverse(
                    "training:evaluation",
                    kwargs={"token": feedback_token(booking, Respondent.ATTENDEE)},
                ),
                due_on=ended + dt.timedelta(days=FEEDBACK_DAYS),
                detail=f"You attended on {ended:%-d %B %Y}",
                key=f"training.evaluation:{booking.pk}",
            )
        )
    weeks = dt.timedelta(weeks=TrainingRules.current().impact_weeks)
    answered = ImpactResponse.objects.filter(booking=OuterRef("pk"), respondent=Respondent.ATTENDEE)
    for booking in attended.filter(
        session__ends_at__date__lte=today - weeks,
        session__ends_at__date__gte=earliest - weeks,
    ).exclude(Exists(answered)):
        ended = timezone.localdate(booking.session.ends_at)
        items.append(
            WorkItem(
                kind=WorkKind.FEEDBACK,
                module=MODULE,
                title=f"Tell us how {booking.session.course.title} changed your practice",
                url=reverse(
                    "training:impact",
                    kwargs={"token": feedback_token(booking, Respondent.ATTENDEE)},
                ),
                due_on=ended + weeks + dt.timedelta(days=FEEDBACK_DAYS),
                detail=f"Impact follow-up: you attended on {ended:%-d %B %Y}",
                key=f"training.impact:{booking.pk}",
            )
        )
    return items
