"""Review deadlines as iCalendar (RFC 5545): one all-day event per open deadline."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar, Event

PRODUCT_ID = "-//Safeguarding Partnership//Reviews//EN"


def deadline_uid(deadline) -> str:
    """Stable while the deadline exists, so calendars move the event when its date moves."""
    return f"review-deadline-{deadline.key.replace(':', '-')}@{slugify(settings.PARTNERSHIP_SHORT_NAME) or 'partnership'}"


def deadlines_calendar(deadlines, *, base_url: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.PARTNERSHIP_SHORT_NAME} review deadlines")
    stamp = timezone.now().astimezone(dt.UTC)
    base = base_url.rstrip("/")
    for deadline in deadlines:
        event = Event()
        event.add("uid", deadline_uid(deadline))
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + dt.timedelta(days=1))
        event.add("summary", f"{deadline.review.reference}: {deadline.title}")
        description = [f"Review {deadline.review.reference}: {deadline.review.title}."]
        if deadline.owner_id:
            description.append(f"Owner: {deadline.owner}.")
        if base:
            description.append(f"{base}{deadline.path}")
            event.add("url", f"{base}{deadline.path}")
        event.add("description", "\n".join(description))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
