"""Documents on a review, and the record of each opening."""

from django.db import transaction

from partnership.trail.actors import Actor
from partnership.trail.models import Action

from ..models import (
    Review,
    ReviewDocument,
)
from .common import _audit

# Documents --------------------------------------------------------------------------------


@transaction.atomic
def document_upload(
    *, review: Review, kind: str, title: str, upload, actor: Actor
) -> ReviewDocument:
    """Store a report in default storage under a random name, never at a public address."""
    document = ReviewDocument(
        review=review,
        kind=kind,
        title=title.strip() or upload.name,
        original_name=upload.name[:255],
        size=upload.size,
        uploaded_by=actor.user,
    )
    document.file.save(upload.name, upload, save=False)
    try:
        document.save()
        _audit(
            review,
            actor=actor,
            action=Action.CREATE,
            summary=f"Uploaded the {document.get_kind_display().lower()} {document.original_name!r}",
        )
    except Exception:
        document.file.delete(save=False)  # the transaction is undone: leave no orphan file
        raise
    return document


def document_opened(*, review: Review, document, actor: Actor) -> None:
    """Write the audit entry for a download, once the view has opened the file to serve it
    (a file that cannot be opened is not downloaded, and is not recorded as such)."""
    _audit(
        review,
        actor=actor,
        action=Action.DOWNLOAD,
        summary=f"Downloaded {document.original_name!r}",
    )
