"""Writes of the work app: a person's email preference, and the notices of new work."""

from django.db import transaction
from django.utils import timezone

from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record

from .models import EmailChoice, WorkPreference


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
