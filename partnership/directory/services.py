"""Writes to the directory, each with its audit entry in the same transaction."""

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.text import slugify

from partnership.audit.models import Action
from partnership.audit.services import audit_record, diff

from .models import AgencyToken, Organisation

AUDITED_FIELDS = ["name", "short_name", "kind", "parent", "description", "website", "is_active"]


def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, counter = base, 2
    while Organisation.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def organisation_save(*, organisation: Organisation, actor, request=None) -> Organisation:
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
        request=request,
    )
    return organisation


@transaction.atomic
def token_issue(*, organisation: Organisation, name: str, actor, request=None) -> str:
    """Issue an API token for an agency; returns the raw token, shown to the user once."""
    token, raw = AgencyToken.issue(organisation=organisation, name=name, created_by=actor)
    audit_record(
        actor=actor,
        action=Action.GRANT,
        obj=token,
        request=request,
        summary=f"Issued API token {token.prefix}… for {organisation}",
    )
    return raw


@transaction.atomic
def token_revoke(*, token: AgencyToken, actor, request=None) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=Action.REVOKE,
        obj=token,
        request=request,
        summary=f"Revoked API token {token.prefix}…",
    )
