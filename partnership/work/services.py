"""Writes of the work app: a person's email preference, and the notices of new work."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import ROLES_NEEDING_TWO_FACTOR, User
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record

from . import mail
from .models import EmailChoice, WorkNotice, WorkPreference
from .providers import items_waiting_for

NOTICE_ROLES = sorted(ROLES_NEEDING_TWO_FACTOR)


def email_choice_of(user) -> str:
    preference = WorkPreference.objects.filter(user=user).first()
    return preference.email if preference else EmailChoice.EACH


@transaction.atomic
def work_preference_set(*, user, email: str, actor: Actor) -> WorkPreference:
    """Record how `user` wants to be told about new work (each time, a daily digest, none)."""
    if email not in EmailChoice.values:
        raise ValueError(f"Not an email choice: {email!r}")
    preference, _ = WorkPreference.objects.get_or_create(user=user)
    before = preference.email
    preference.email = email
    preference.updated_at = timezone.now()
    preference.save(update_fields=["email", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=user,
        summary=f"Chose how to hear about new work: {preference.get_email_display()}",
        changes={"work_email": [before, email]} if before != email else None,
    )
    return preference


# Notices of new work ---------------------------------------------------------------------


def _staff():
    """The people the notices sweep looks at: everyone active with a role that reaches
    partnership business (practitioners' training already sends its own emails)."""
    return (
        User.objects.filter(is_active=True, role_grants__role__in=NOTICE_ROLES)
        .distinct()
        .select_related("organisation", "work_preference")
        .order_by("pk")
    )


def _as_signed_in(user):
    # The sweep lists what the person sees once signed in with their second factor: the
    # modules' permissions ask `user.is_verified()`, which only the sign-in sets.
    user.is_verified = lambda: True
    return user


@transaction.atomic
def work_notices_sweep(*, now: dt.datetime, actor: Actor) -> dict[str, int]:
    """Find what is newly asked of each member of staff (an action, a sign-off, a summary of
    their agency) and tell them: an email for each at once, or keep it for their daily
    digest, as they chose. Each item is told once (`WorkNotice`, unique per person and
    item); what was waiting when the sweep first met a person is noted, not emailed."""
    today = timezone.localdate(now)
    emailed = kept = noted = 0
    for user in _staff():
        preference = getattr(user, "work_preference", None)
        if preference is None:
            preference = WorkPreference.objects.create(user=user)
        first_look = preference.notices_since is None
        items = [
            item
            for item in items_waiting_for(_as_signed_in(user), today=today)
            if item.kind.is_asked_of_someone and item.key
        ]
        known = set(
            WorkNotice.objects.filter(user=user, key__in=[i.key for i in items]).values_list(
                "key", flat=True
            )
        )
        new = [item for item in items if item.key not in known]
        quiet = first_look or preference.email == EmailChoice.NONE
        notices = WorkNotice.objects.bulk_create(
            [
                WorkNotice(
                    user=user,
                    key=item.key,
                    kind=item.kind.value,
                    title=item.title[:300],
                    url=item.url[:500],
                    due_on=item.due_on,
                    seen_at=now,
                    baseline=quiet,
                )
                for item in new
            ]
        )
        if first_look:
            preference.notices_since = now
            preference.save(update_fields=["notices_since"])
        if quiet:
            noted += len(notices)
        elif preference.email == EmailChoice.DAILY:
            kept += len(notices)
        else:
            for notice in notices:
                mail.notice_email(notice=notice, actor=actor)
                notice.emailed_at = now
                notice.save(update_fields=["emailed_at"])
                emailed += 1
    return {"emailed": emailed, "kept_for_digest": kept, "noted": noted}


@transaction.atomic
def work_digests_send(*, now: dt.datetime, actor: Actor) -> int:
    """Send each person who chose a daily digest one email listing what is new since the
    last, once a day at most. Returns how many digests went."""
    today = timezone.localdate(now)
    waiting = (
        WorkNotice.objects.filter(emailed_at__isnull=True, baseline=False)
        .select_related("user")
        .order_by("user_id", "due_on", "pk")
    )
    by_user: dict[int, list[WorkNotice]] = {}
    for notice in waiting:
        by_user.setdefault(notice.user_id, []).append(notice)
    preferences = {
        p.user_id: p for p in WorkPreference.objects.filter(user_id__in=by_user).select_for_update()
    }
    sent = 0
    for user_id, notices in by_user.items():
        preference = preferences.get(user_id)
        if preference is None or preference.digest_sent_on == today:
            continue
        if preference.email == EmailChoice.DAILY:
            mail.digest_email(user=notices[0].user, notices=notices, actor=actor)
            sent += 1
        # Someone who moved from the digest to "no email" is not sent the old ones.
        WorkNotice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
        preference.digest_sent_on = today
        preference.save(update_fields=["digest_sent_on"])
    return sent
