"""Meetings as iCalendar (RFC 5545): an invitation per meeting and a feed per user."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar, Event, vCalAddress, vText

from partnership.outputs.links import absolute_url

from .models import Meeting, MeetingStatus

PRODUCT_ID = "-//Safeguarding Partnership//Governance//EN"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the meeting's life, so calendars update the event rather than add one."""
    return f"meeting-{meeting.pk}@{slugify(settings.PARTNERSHIP_SHORT_NAME) or 'partnership'}"


def meeting_event(meeting: Meeting, *, link: str = "") -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
    event.add("summary", meeting.title)
    event.add("location", meeting.location)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    description = [f"{meeting.group.name} meeting."]
    if meeting.priority_id:
        description.append(f"Theme: {meeting.priority.name}.")
    link = link or absolute_url(meeting.get_absolute_url())
    if link:
        description.append(f"Agenda and papers: {link}")
        event.add("url", link)
    event.add("description", "\n".join(description))
    return event


def _calendar(method: str, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def invitation(meeting: Meeting, *, attendees: list[tuple[str, str]], link: str = "") -> bytes:
    """A calendar invitation (METHOD:REQUEST) to the members, from the partnership."""
    calendar = _calendar(
        "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST", meeting.title
    )
    event = meeting_event(meeting, link=link)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(settings.PARTNERSHIP_NAME)
    event.add("organizer", organizer)
    for name, email in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def feed(meetings, *, name: str, link_for=None) -> bytes:
    """A subscribable feed (METHOD:PUBLISH) of meetings."""
    calendar = _calendar("PUBLISH", name)
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, link=link_for(meeting) if link_for else ""))
    return calendar.to_ical()
