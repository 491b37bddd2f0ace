"""The private calendar address and its feed of deadlines."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from partnership.accounts.decorators import permission_required, public
from partnership.accounts.models import Role, User
from partnership.web.actors import actor_for

from .. import services
from ..ics import deadlines_calendar
from ..models import (
    Deadline,
)


@permission_required("reviews.access")
def calendar(request):
    address = None
    if request.method == "POST":
        raw = services.calendar_token_issue(actor=actor_for(request))
        address = request.build_absolute_uri(
            reverse("reviews:calendar-feed", kwargs={"token": raw})
        )
    return render(
        request,
        "reviews/calendar.html",
        {"address": address, "has_address": bool(request.user.calendar_token)},
    )


@public
def calendar_feed(request, token):
    """The deadlines the token's owner may see, as iCalendar. The token is the credential:
    calendar programs cannot sign in."""
    if len(token) > 100:
        raise Http404
    user = User.objects.filter(
        calendar_token=services.calendar_token_hash(token), is_active=True
    ).first()
    if user is None or not user.has_role(*(set(Role) - {Role.PRACTITIONER})):
        raise Http404
    deadlines = (
        Deadline.objects.open()
        .visible_to(user)
        .select_related("review", "owner")
        .order_by("due_on", "pk")[:2000]
    )
    body = deadlines_calendar(deadlines, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
