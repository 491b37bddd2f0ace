"""The partners' funding contributions."""

from django.db import transaction
from django.forms.models import model_to_dict

from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record, diff

from ..models import (
    FundingContribution,
)

# Funding ------------------------------------------------------------------------------

FUNDING_FIELDS = [
    "organisation",
    "financial_year",
    "agreed_amount",
    "received_amount",
    "received_on",
    "notes",
]


@transaction.atomic
def funding_save(*, contribution: FundingContribution, actor: Actor):
    """Create or update a partner's contribution for a financial year."""
    creating = contribution.pk is None
    before = (
        {}
        if creating
        else model_to_dict(
            FundingContribution.objects.get(pk=contribution.pk), fields=FUNDING_FIELDS
        )
    )
    contribution.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=contribution,
        changes=diff(before, model_to_dict(contribution, fields=FUNDING_FIELDS)),
    )
    return contribution
