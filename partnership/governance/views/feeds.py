"""Each person's private calendar address and the feed it serves."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.decorators import permission_required, public
from partnership.accounts.models import Role, User
from partnership.web.actors import actor_for

from .. import ics, services
from ..models import (
    Meeting,
)


@permission_required("governance.use_calendar")
def calendar(request):
    raw = None
    if request.method == "POST":
        if request.POST.get("stop"):
            services.calendar_token_revoke(actor=actor_for(request))
            messages.success(request, "Your private calendar address has stopped working")
            return redirect("governance:calendar")
        raw = services.calendar_token_issue(actor=actor_for(request))
    feed_url = (
        request.build_absolute_uri(_reverse("governance:calendar-feed", token=raw)) if raw else None
    )
    return render(
        request,
        "governance/calendar.html",
        {"feed_url": feed_url, "has_feed": bool(request.user.calendar_token)},
    )


def _reverse(name, **kwargs):
    return reverse(name, kwargs=kwargs)


FEED_ROLES = [
    Role.BUSINESS_UNIT,
    Role.INDEPENDENT_CHAIR,
    Role.PARTNER_LEAD,
    Role.GROUP_MEMBER,
    Role.DATA_SUBMITTER,
]


def feed_meetings(user):
    """The meetings in a user's calendar feed: their groups' (the business unit: all)."""
    from partnership.governance.scopes import group_ids

    meetings = Meeting.objects.select_related("group", "priority").filter(
        starts_at__gte=timezone.now() - dt.timedelta(days=92)
    )
    if not user.has_role(Role.BUSINESS_UNIT):
        meetings = meetings.filter(group_id__in=group_ids(user))
    return meetings.order_by("starts_at")[:500]


@public
def calendar_feed(request, token):
    """A private feed for calendar apps, which cannot sign in: the token is the key.

    A wrong, old or stopped token gets the same 404 as any unknown address, and the feed
    holds only when and where meetings are, never papers or minutes.
    """
    if len(token) > 100:
        raise Http404
    user = (
        User.objects.filter(
            calendar_token=services.calendar_token_hash(token), is_active=True
        ).first()
        if token
        else None
    )
    if user is None or not user.has_role(*FEED_ROLES):
        raise Http404
    body = ics.feed(
        feed_meetings(user),
        name=f"Meetings – {user.full_name}",
        link_for=lambda m: request.build_absolute_uri(m.get_absolute_url()),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
