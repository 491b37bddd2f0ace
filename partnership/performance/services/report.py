"""The key-points report: its exports and comments on the record."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
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


@transaction.atomic
def key_points_attach(*, meeting, period: ReportingPeriod, pdf: bytes, actor: Actor):
    """Put the key-points summary on a Policy and Performance Review Group meeting's agenda.

    It goes through governance's own services (an agenda item, then a paper), so it is in
    the agenda pack and on the record; restricted to the group's members, who read every
    agency's figures. Attaching again replaces the earlier copy until the pack is sent,
    after which the copy on the agenda is the one the meeting saw."""
    from partnership.governance import services as governance
    from partnership.governance.models import MeetingStatus

    from ..rules import PERFORMANCE_GROUP

    if meeting.group.slug != PERFORMANCE_GROUP:
        raise ValidationError(
            "The key-points summary goes to the Policy and Performance Review Group",
            code="wrong_group",
        )
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting has been cancelled", code="cancelled")
    title = f"Key-points report: {period.label}"
    file_name = f"key-points-summary-{period.slug}.pdf"
    earlier = meeting.papers.filter(file_name=file_name)
    if earlier.exists() and (meeting.pack_sent_at is not None or meeting.has_started):
        raise ValidationError(
            "The summary on the agenda is frozen: the agenda pack has gone to members",
            code="frozen",
        )
    for paper in earlier:
        governance.paper_remove(paper=paper, actor=actor)
    item = meeting.items.filter(title=title).first() or governance.agenda_item_add(
        meeting=meeting, title=title, presenter="KSCP Business Manager", actor=actor
    )
    return governance.paper_upload(
        item=item,
        title=f"Key-points summary: {period.label}",
        upload=ContentFile(pdf, name=file_name),
        restricted=True,
        actor=actor,
    )
