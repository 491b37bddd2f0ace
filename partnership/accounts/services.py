"""Account workflows: two-factor set-up and recovery codes, each with its audit entry."""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.audit.models import Action
from partnership.audit.services import audit_record

RECOVERY_CODE_COUNT = 10


def two_factor_pending_device(*, user) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (made once, then reused)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, user, device: TOTPDevice, request=None) -> list[str]:
    """Confirm a new authenticator, retire any older one, and issue fresh recovery codes."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=user, request=request, audit=False)
    audit_record(
        actor=user,
        action=Action.TWO_FACTOR,
        obj=user,
        summary="Set up an authenticator app and was issued recovery codes",
        request=request,
    )
    return codes


@transaction.atomic
def recovery_codes_issue(*, user, request=None, audit: bool = True) -> list[str]:
    """Replace the user's recovery codes with new single-use ones and return them."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    if audit:
        audit_record(
            actor=user,
            action=Action.TWO_FACTOR,
            obj=user,
            summary="Was issued new recovery codes",
            request=request,
        )
    return codes
