"""Refusals on the audit trail: failed sign-ins, wrong two-factor codes, refused pages.

Each refusal is written with who tried (the signed-in user, else a visitor) and the client's
address. An attacker must not be able to fill the trail, so the entries are bounded through
the cache: one entry per client, actor and thing tried per clock minute (a repeat within the minute
adds nothing), and at most REFUSALS_PER_CLIENT_PER_MINUTE entries from one client address in a
minute whatever they try. Failed sign-ins are also bounded by django-axes, which locks an
email address out from one place after AXES_FAILURE_LIMIT tries.
"""

from django.db import transaction
from django.http import HttpRequest

from partnership.trail.models import Action
from partnership.trail.services import audit_record

from .actors import actor_for, client_ip
from .throttle import window_count

REFUSALS_PER_CLIENT_PER_MINUTE = 10
WINDOW_SECONDS = 60


def _within_bounds(address: str | None, who: str, what: str) -> bool:
    if window_count("refusal-once", address, who, what, seconds=WINDOW_SECONDS) > 1:
        return False  # the same refusal within the minute: already on the trail
    per_client = window_count("refusal-client", address, seconds=WINDOW_SECONDS)
    return per_client <= REFUSALS_PER_CLIENT_PER_MINUTE


def refusal_record(
    request: HttpRequest,
    *,
    action: Action,
    summary: str,
    what: str,
    obj=None,
    visitor_doing: str = "sign-in form",
    object_type: str = "",
    object_label: str = "",
) -> bool:
    """Write one refusal to the trail, unless the bounds above say it is already there or
    this client has written its share this minute. `what` is the thing tried (a path, an
    email address), for the once-a-minute bound. Returns whether an entry was written."""
    actor = actor_for(request, visitor_doing=visitor_doing)
    who = actor.user.pk if actor.user is not None else "visitor"
    if not _within_bounds(actor.client_ip or client_ip(request), who, what):
        return False
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=action,
            obj=obj,
            summary=summary,
            object_type=object_type,
            object_label=object_label,
        )
    return True
