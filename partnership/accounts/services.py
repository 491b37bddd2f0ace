"""Account workflows, each with its audit entry: two-factor set-up, recovery codes, the
private calendar address, and the accounts the business unit runs (invitations, roles,
deactivation)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record

from . import mail
from .models import (
    ROLES_WITH_ORGANISATION_SCOPE,
    Invitation,
    Role,
    RoleGrant,
    User,
    invitation_token_hash,
)

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


# Accounts the business unit runs: invitations, roles, leaving -------------------------------
# A person's directory entry (directory.Person) is one layer up: directory.services makes
# the person and calls these for their account.


def _refuse(message: str, code: str, field: str | None = None) -> ValidationError:
    return ValidationError({field: message} if field else message, code=code)


@transaction.atomic
def account_create(
    *, email: str, full_name: str, job_title: str = "", organisation=None, actor: Actor
) -> User:
    """Make an account with no usable password, for an invitation to open.

    Refused if the address already has an account (the business unit, who may see every
    account, is told; the invitation page never says).
    """
    email = User.objects.normalize_email(email).strip().lower()
    if not email:
        raise _refuse("Enter an email address to invite them", "no_email", "email")
    if User.objects.filter(email__iexact=email).exists():
        raise _refuse("This email address already has an account", "email_taken", "email")
    user = User(
        email=email,
        full_name=" ".join(full_name.split()),
        job_title=job_title.strip(),
        organisation=organisation,
    )
    user.set_unusable_password()
    user.save()
    audit_record(actor=actor, action=Action.CREATE, obj=user, summary="Created the account")
    return user


def invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_EXPIRY_DAYS)


@transaction.atomic
def invitation_send(*, user: User, actor: Actor, resend: bool = False) -> Invitation:
    """Invite `user` to set a password: a new single-use link, emailed; any earlier open
    invitation stops working. Refused for an account that is deactivated or already has a
    password."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise _refuse("The account is deactivated: reactivate it first", "inactive")
    if user.has_usable_password():
        raise _refuse(
            "This person has already set a password: they can reset it from the sign-in page",
            "has_password",
        )
    now = timezone.now()
    Invitation.objects.filter(user=user).open().update(withdrawn_at=now)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=invitation_token_hash(raw),
        created_by=actor.user,
        expires_at=invitation_expiry(),
    )
    audit_record(
        actor=actor,
        action=Action.GRANT,
        obj=user,
        summary=("Resent the invitation" if resend else "Sent an invitation")
        + f" to {user.email}, open until {_long_datetime(invitation.expires_at)}",
    )
    mail.invitation_send(
        user=user,
        raw_token=raw,
        invited_by=actor.user.full_name if actor.user else settings.PARTNERSHIP_NAME,
        expires_at=invitation.expires_at,
        actor=actor,
    )
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, actor: Actor) -> None:
    """Stop an open invitation's link from working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise _refuse(f"The invitation is {invitation.status.lower()} already", "not_open")
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor, action=Action.REVOKE, obj=invitation.user, summary="Withdrew the invitation"
    )


def invitation_find(raw: str) -> Invitation | None:
    """The invitation a link's token belongs to, whatever its state; None for no such link."""
    if not raw or len(raw) > 100:
        return None
    return (
        Invitation.objects.select_related("user")
        .filter(token_hash=invitation_token_hash(raw))
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str, actor: Actor) -> User:
    """Set the invited person's password and use up the link (once only)."""
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if not invitation.is_open or not invitation.user.is_active:
        raise _refuse("This link no longer works", "not_open")
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=user,
        summary="Accepted the invitation and set a password",
    )
    return user


def _is_last_business_unit_administrator(user: User) -> bool:
    others = (
        RoleGrant.objects.filter(role=Role.BUSINESS_UNIT, user__is_active=True)
        .exclude(user=user)
        .exists()
    )
    return user.has_role(Role.BUSINESS_UNIT) and not others


LAST_ADMINISTRATOR = (
    "{name} is the only business unit administrator: grant the role to someone else first, "
    "so that someone can still add and remove people"
)


@transaction.atomic
def role_grant(*, user: User, role: str, organisation=None, actor: Actor) -> RoleGrant:
    """Give `user` a role, for `organisation` where the role is scoped to one (a data
    submitter's agency; their own organisation if none is named). Nobody grants themselves
    a role."""
    if actor.user is not None and actor.user.pk == user.pk:
        raise _refuse("You cannot give yourself a role: ask another administrator", "self", "role")
    if role not in Role.values:
        raise _refuse("Select a role", "no_role", "role")
    if not user.is_active:
        raise _refuse("The account is deactivated: reactivate it first", "inactive")
    if role in ROLES_WITH_ORGANISATION_SCOPE:
        organisation = organisation or user.organisation
        if organisation is None:
            raise _refuse(
                "Select the organisation they send data for", "no_organisation", "organisation"
            )
    elif organisation is not None:
        raise _refuse(
            f"A {Role(role).label.lower()} role is not for one organisation: leave it blank",
            "unscoped_role",
            "organisation",
        )
    if RoleGrant.objects.filter(user=user, role=role).exists():
        raise _refuse(f"{user} is already a {Role(role).label.lower()}", "duplicate", "role")
    grant = RoleGrant.objects.create(
        user=user, role=role, organisation=organisation, granted_by=actor.user
    )
    user.forget_roles()
    audit_record(actor=actor, action=Action.GRANT, obj=user, summary=f"Granted {grant.description}")
    return grant


@transaction.atomic
def role_remove(*, grant: RoleGrant, actor: Actor) -> None:
    """Take a role away. The last business unit administrator's role cannot be removed."""
    grant = (
        RoleGrant.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .get(pk=grant.pk)
    )
    user = grant.user
    if grant.role == Role.BUSINESS_UNIT and _is_last_business_unit_administrator(user):
        raise _refuse(LAST_ADMINISTRATOR.format(name=user), "last_administrator")
    description = grant.description
    grant.delete()
    user.forget_roles()
    audit_record(actor=actor, action=Action.REVOKE, obj=user, summary=f"Removed {description}")


@transaction.atomic
def user_deactivate(*, user: User, reason: str = "", actor: Actor) -> User:
    """Close an account: it cannot sign in and its sessions stop at their next request.
    Everything it did stays. Open invitations are withdrawn. Refused for your own account
    and for the last business unit administrator."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor.user is not None and actor.user.pk == user.pk:
        raise _refuse("You cannot deactivate your own account", "self")
    if not user.is_active:
        raise _refuse(f"{user}'s account is already deactivated", "inactive")
    if _is_last_business_unit_administrator(user):
        raise _refuse(LAST_ADMINISTRATOR.format(name=user), "last_administrator")
    user.is_active = False
    # A new session hash (Django checks it on every request) ends any signed-in session
    # even where is_active is not consulted.
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    Invitation.objects.filter(user=user).open().update(withdrawn_at=timezone.now())
    audit_record(
        actor=actor,
        action=Action.REVOKE,
        obj=user,
        summary="Deactivated the account" + (f": {reason}" if reason else ""),
    )
    return user


@transaction.atomic
def user_reactivate(*, user: User, actor: Actor) -> User:
    """Open a deactivated account again. Its old password is gone: send an invitation so the
    person sets a new one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise _refuse(f"{user}'s account is active already", "active")
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action=Action.GRANT, obj=user, summary="Reactivated the account")
    return user


def _long_datetime(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"
