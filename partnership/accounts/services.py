"""Account workflows: two-factor set-up, recovery codes and the private calendar address,
each with its audit entry."""

import hashlib
import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record

RECOVERY_CODE_COUNT = 10


def two_factor_pending_device(*, user) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (made once, then reused)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, device: TOTPDevice, actor: Actor) -> list[str]:
    """Confirm a new authenticator, retire any older one, and issue fresh recovery codes
    (for the signed-in person acting on their own account)."""
    user = actor.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(actor=actor, audit=False)
    audit_record(
        actor=actor,
        action=Action.TWO_FACTOR,
        obj=user,
        summary="Set up an authenticator app and was issued recovery codes",
    )
    return codes


@transaction.atomic
def recovery_codes_issue(*, actor: Actor, audit: bool = True) -> list[str]:
    """Replace the acting person's recovery codes with new single-use ones and return them."""
    user = actor.user
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    if audit:
        audit_record(
            actor=actor, action=Action.TWO_FACTOR, obj=user, summary="Was issued new recovery codes"
        )
    return codes


# The private calendar address ------------------------------------------------------------
# One address per user serves every module's feed (meetings, review deadlines), so the
# token is issued here, once; only a hash is kept.


def calendar_token_hash(raw: str) -> str:
    return hashlib.sha256(f"calendar:{raw}".encode()).hexdigest()


@transaction.atomic
def calendar_token_issue(*, actor: Actor) -> str:
    """Give the acting person a new private calendar address (the old one stops working);
    shown once."""
    user = actor.user
    raw = secrets.token_urlsafe(32)
    user.calendar_token = calendar_token_hash(raw)
    user.save(update_fields=["calendar_token"])
    audit_record(
        actor=actor, action=Action.GRANT, obj=user, summary="Made a new private calendar address"
    )
    return raw


@transaction.atomic
def calendar_token_revoke(*, actor: Actor) -> None:
    user = actor.user
    user.calendar_token = ""
    user.save(update_fields=["calendar_token"])
    audit_record(
        actor=actor, action=Action.REVOKE, obj=user, summary="Stopped the private calendar address"
    )
