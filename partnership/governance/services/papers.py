"""Papers for agenda items, and the record of each download."""

from pathlib import PurePath

from django.db import transaction

from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record

from ..models import (
    AgendaItem,
    Meeting,
    Paper,
    PaperType,
)

# Papers -------------------------------------------------------------------------------


@transaction.atomic
def paper_upload(*, item: AgendaItem, title: str, upload, restricted: bool, actor: Actor) -> Paper:
    """Store a paper for an agenda item in private storage."""
    extension = PurePath(upload.name).suffix.lower().lstrip(".")
    paper = Paper(
        meeting=item.meeting,
        item=item,
        title=title,
        file_name=PurePath(upload.name).name[:200],
        file_type=PaperType(extension),
        size_bytes=upload.size,
        restricted=restricted,
        uploaded_by=actor.user,
    )
    paper.file.save(upload.name, upload, save=False)
    paper.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=paper,
        summary=f"Uploaded {'a restricted' if restricted else 'a'} paper for "
        f"{item.meeting.title}, item {item.position}",
        changes={"file_name": [None, paper.file_name], "size_bytes": [None, paper.size_bytes]},
    )
    return paper


@transaction.atomic
def paper_remove(*, paper: Paper, actor: Actor) -> None:
    """Take a paper off the agenda and delete its file (the audit trail keeps the record)."""
    name, meeting = paper.file.name, paper.meeting
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=paper,
        summary=f"Removed the paper {paper.file_name} from {meeting.title}",
    )
    paper.delete()
    # The file goes only once the row has gone for good.
    transaction.on_commit(lambda: paper.file.storage.delete(name))


@transaction.atomic
def paper_record_download(*, paper: Paper, actor: Actor) -> None:
    """Every download of a paper goes on the record."""
    audit_record(
        actor=actor,
        action=AuditAction.DOWNLOAD,
        obj=paper,
        summary=f"Downloaded {paper.file_name}" + (" (restricted)" if paper.restricted else ""),
    )


@transaction.atomic
def pack_record_download(*, meeting: Meeting, restricted_included: bool, actor: Actor):
    audit_record(
        actor=actor,
        action=AuditAction.DOWNLOAD,
        obj=meeting,
        summary="Downloaded the agenda pack"
        + (" with restricted papers" if restricted_included else ""),
    )
