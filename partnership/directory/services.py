"""Writes to the directory, each with its audit entry in the same transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.text import slugify

from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record, diff

from .models import AgencyToken, FormerName, Organisation

AUDITED_FIELDS = ["name", "short_name", "kind", "parent", "description", "website", "is_active"]


def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, counter = base, 2
    while Organisation.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def organisation_save(*, organisation: Organisation, actor: Actor) -> Organisation:
    """Create or update an organisation from a validated form's instance."""
    creating = organisation.pk is None
    before = (
        {}
        if creating
        else model_to_dict(Organisation.objects.get(pk=organisation.pk), fields=AUDITED_FIELDS)
    )
    if creating or not organisation.slug:
        organisation.slug = _unique_slug(organisation.name, organisation.pk)
    organisation.save()
    after = model_to_dict(organisation, fields=AUDITED_FIELDS)
    audit_record(
        actor=actor,
        action=Action.CREATE if creating else Action.UPDATE,
        obj=organisation,
        changes=diff(before, after),
    )
    return organisation


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@transaction.atomic
def organisation_rename(
    *,
    organisation: Organisation,
    name: str,
    short_name: str,
    renamed_on: datetime.date,
    actor: Actor,
) -> FormerName:
    """Give an organisation a new name from `renamed_on`, keeping the old one as a former name
    used until the day before (a CCG whose work passed to an ICB, a school become an academy).

    Historical records then print the name of their day (`Organisation.name_on`); the slug, and
    so every link, stays. Refused: an empty name, the current name again, another
    organisation's name, a date in the future, a date not after the last renaming.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    name = " ".join(name.split())
    short_name = " ".join(short_name.split())
    if not any(character.isalnum() for character in name):
        raise ValidationError({"name": "Enter the new name"}, code="no_name")
    if name == organisation.name:
        raise ValidationError(
            {"name": "The new name is the same as the current name"}, code="same_name"
        )
    if Organisation.objects.exclude(pk=organisation.pk).filter(name__iexact=name).exists():
        raise ValidationError(
            {"name": "An organisation with this name already exists"}, code="name_taken"
        )
    today = timezone.localdate()
    if renamed_on > today:
        raise ValidationError(
            {"renamed_on": "The date of the change must be today or in the past"},
            code="future",
        )
    if organisation.name_since is not None and renamed_on <= organisation.name_since:
        raise ValidationError(
            {
                "renamed_on": "The date of the change must be after "
                f"{_long_date(organisation.name_since)}, when the current name came into use"
            },
            code="before_last_change",
        )
    former = FormerName.objects.create(
        organisation=organisation,
        name=organisation.name,
        short_name=organisation.short_name,
        used_until=renamed_on - datetime.timedelta(days=1),
    )
    before = {"name": organisation.name, "short_name": organisation.short_name}
    organisation.name, organisation.short_name, organisation.name_since = (
        name,
        short_name,
        renamed_on,
    )
    organisation.save(update_fields=["name", "short_name", "name_since"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=organisation,
        changes=diff(before, {"name": name, "short_name": short_name}),
        summary=f"Renamed from {former.name} on {_long_date(renamed_on)}",
    )
    return former


@transaction.atomic
def token_issue(*, organisation: Organisation, name: str, actor: Actor) -> str:
    """Issue an API token for an agency; returns the raw token, shown to the user once."""
    token, raw = AgencyToken.issue(organisation=organisation, name=name, created_by=actor.user)
    audit_record(
        actor=actor,
        action=Action.GRANT,
        obj=token,
        summary=f"Issued API token {token.prefix}… for {organisation}",
    )
    return raw


@transaction.atomic
def token_revoke(*, token: AgencyToken, actor: Actor) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=Action.REVOKE,
        obj=token,
        summary=f"Revoked API token {token.prefix}…",
    )
