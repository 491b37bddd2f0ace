"""Training sessions as iCalendar (RFC 5545): attached to confirmations and reminders.

The UID is stable for the session and the SEQUENCE goes up with each change, so a calendar
updates the event it already has (a new time, a cancellation) rather than adding another.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar, Event, vCalAddress, vText

from partnership.outputs.links import absolute_url

from .models import Booking, BookingStatus, SessionStatus

PRODUCT_ID = "-//Safeguarding Partnership//Training//EN"


def session_uid(session) -> str:
    return (
        f"training-session-{session.pk}@{slugify(settings.PARTNERSHIP_SHORT_NAME) or 'partnership'}"
    )


def booking_calendar(booking: Booking) -> bytes:
    """The session as an invitation for one person, or its cancellation if the booking (or
    the session) is cancelled."""
    session = booking.session
    cancelled = (
        session.status == SessionStatus.CANCELLED or booking.status != BookingStatus.CONFIRMED
    )
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", session.starts_at.astimezone(dt.UTC))
    event.add("dtend", session.ends_at.astimezone(dt.UTC))
    event.add("summary", session.course.title)
    event.add("location", session.venue or session.online_link or "Online")
    # A cancelled booking is a new version of the event for this person.
    event.add("sequence", session.sequence + (1 if cancelled else 0))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    link = absolute_url(booking.get_absolute_url())
    description = [session.course.summary]
    if session.online_link and not cancelled:
        description.append(f"Join online: {session.online_link}")
    if session.joining_instructions:
        description.append(session.joining_instructions)
    description.append(f"Your booking: {link}")
    event.add("description", "\n\n".join(part for part in description if part))
    event.add("url", link)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(settings.PARTNERSHIP_NAME)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{booking.email}")
    attendee.params["cn"] = vText(booking.full_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
