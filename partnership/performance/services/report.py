"""The key-points report: its exports and comments on the record."""

from django.db import transaction

from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record

from ..models import (
    ReportComment,
    ReportingPeriod,
)
from ._shared import _who


def report_record_export(*, period: ReportingPeriod, kind: str, actor: Actor) -> None:
    """A download of the key-points report (`kind`: "PDF", "XLSX") goes on the record."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.EXPORT,
            object_type="performance.report",
            object_id=str(period.pk),
            object_label=f"Key-points report {period.label}",
            summary=f"Downloaded the key-points report for {period.label} ({kind})",
        )


def report_comment_add(*, period: ReportingPeriod, body: str, actor: Actor) -> ReportComment:
    """Add a comment to the key-points report for a period, with who wrote it."""
    with transaction.atomic():
        comment = ReportComment.objects.create(
            period=period, author=actor.user, author_label=_who(actor)[:200], body=body
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=comment,
            summary=f"Commented on the key-points report for {period.label}",
        )
    return comment
