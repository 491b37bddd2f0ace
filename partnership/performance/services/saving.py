"""Saving checked figures as versions of a return, and moving its status."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record

from ..models import (
    COUNTED_STATUSES,
    DataPoint,
    DataReturn,
    ReturnStatus,
    ReturnVersion,
    Source,
)
from ._shared import _who
from .checking import CheckedRow


class CorrectionNeedsReason(ValueError):
    pass


def needs_reason(data_return) -> bool:
    return data_return.status in COUNTED_STATUSES


def get_return(organisation, period) -> DataReturn:
    data_return, _ = DataReturn.objects.get_or_create(organisation=organisation, period=period)
    return data_return


def save_return(
    data_return,
    rows: list[CheckedRow],
    *,
    actor: Actor,
    source=Source.FORM,
    reason: str = "",
    submit: bool = False,
) -> ReturnVersion:
    """Save checked rows as a new version of the return (merged over the current one).

    A correction to a submitted or validated return needs a reason; the version it replaces
    is kept, with who made it, when and why.
    """
    reason = reason.strip()
    with transaction.atomic():
        locked = DataReturn.objects.select_for_update().get(pk=data_return.pk)
        if needs_reason(locked) and not reason:
            raise CorrectionNeedsReason("Say why you are correcting a submitted return")
        current = locked.versions.filter(is_current=True).first()
        merged: dict[int, dict] = {}
        if current is not None:
            for point in current.points.all():
                merged[point.indicator_id] = {
                    "numerator": point.numerator,
                    "denominator": point.denominator,
                    "value": point.value,
                }
            current.is_current = False
            current.save(update_fields=["is_current"])
            DataPoint.objects.filter(version=current).update(is_current=False)
        for row in rows:
            merged[row.indicator.pk] = {
                "numerator": row.numerator,
                "denominator": row.denominator,
                "value": row.value,
            }
        number = locked.version_count + 1
        version = ReturnVersion.objects.create(
            data_return=locked,
            number=number,
            created_by=actor.user,
            created_by_label=_who(actor)[:200],
            reason=reason or ("First version" if number == 1 else ""),
            source=source,
        )
        DataPoint.objects.bulk_create(
            DataPoint(
                version=version,
                data_return=locked,
                period_id=locked.period_id,
                indicator_id=indicator_id,
                **numbers,
            )
            for indicator_id, numbers in merged.items()
        )
        before = locked.status
        locked.version_count = number
        if submit or locked.status in COUNTED_STATUSES:
            locked.status = ReturnStatus.SUBMITTED
            locked.submitted_at = timezone.now()
            locked.validated_at, locked.validated_by = None, None
        elif locked.status in (ReturnStatus.NOT_STARTED,):
            locked.status = ReturnStatus.DRAFT
        locked.save()
        audit_record(
            actor=actor,
            action=Action.CREATE if number == 1 else Action.UPDATE,
            obj=locked,
            summary=(
                f"Version {number} of the {locked.period} return"
                f" ({Source(source).label.lower()}, {len(rows)} figures)"
                + (f": {reason}" if reason else "")
            ),
            changes={"status": [before, locked.status], "version": number, "reason": reason},
        )
    data_return.refresh_from_db()
    return version


def submit_return(data_return, *, actor: Actor) -> None:
    with transaction.atomic():
        locked = DataReturn.objects.select_for_update().get(pk=data_return.pk)
        if locked.version_count == 0:
            raise ValueError("Enter the figures before you submit the return")
        before = locked.status
        locked.status, locked.submitted_at = ReturnStatus.SUBMITTED, timezone.now()
        locked.save(update_fields=["status", "submitted_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            summary=f"Submitted the {locked.period} return",
            changes={"status": [before, locked.status]},
        )


def validate_return(data_return, *, actor: Actor) -> None:
    with transaction.atomic():
        locked = DataReturn.objects.select_for_update().get(pk=data_return.pk)
        if locked.status != ReturnStatus.SUBMITTED:
            raise ValueError("Only a submitted return can be validated")
        locked.status = ReturnStatus.VALIDATED
        locked.validated_at, locked.validated_by = timezone.now(), actor.user
        locked.save(update_fields=["status", "validated_at", "validated_by"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            summary=f"Validated the {locked.period} return",
            changes={"status": [ReturnStatus.SUBMITTED, ReturnStatus.VALIDATED]},
        )


def record_return_read(data_return, *, actor: Actor) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.VIEW,
            obj=data_return,
            summary=f"Viewed the {data_return.period} return",
        )


def return_template_record_download(data_return, *, actor: Actor) -> None:
    """A download of the return's spreadsheet template goes on the record."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.DOWNLOAD,
            obj=data_return,
            summary=f"Downloaded the {data_return.period} return template",
        )


def mark_late(today: dt.date | None = None) -> int:
    """Returns not in by their due date become late. Returns how many changed."""
    today = today or timezone.localdate()
    return DataReturn.objects.filter(
        status__in=(ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT), period__due_on__lt=today
    ).update(status=ReturnStatus.LATE)
