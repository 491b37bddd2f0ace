"""The audit trail on the retention schedule (see docs/guide/records.md).

The trail is append-only and hash-chained: no disposal run removes an entry, and no erasure
request does (it is how the partnership shows who did what with children's records). It
outlives the records it describes; entries written by disposal and erasure name records by
kind and id only, so the trail keeps no content of what was destroyed.
"""

from partnership.lib.retention import RecordKind

from .models import AuditEntry

RECORD_KINDS = [
    RecordKind(
        key="audit.auditentry",
        label="Audit trail entry",
        model="audit.AuditEntry",
        describe=lambda entry: f"Audit entry {entry.pk}, {entry.at:%d %B %Y}",
        trigger="at",
        trigger_label="the day of the entry",
        default_months=None,
        source=(
            "Judgement: kept for as long as the platform holds any record it describes, and "
            "at least as long as the longest class (case reviews); the chain cannot lose an "
            "entry without showing it. See the guide for how an archive would be cut."
        ),
        judgement=True,
        statutory=(
            "The audit trail is the partnership's evidence of who did what with confidential "
            "records (UK GDPR Article 5(2), accountability): it is append-only and never "
            "erased."
        ),
        disposable=False,
        subject_rows=lambda subject: (
            AuditEntry.objects.filter(actor=subject.user)
            if subject.user
            else AuditEntry.objects.none()
        ),
    ),
]


def subject_access(subject) -> list[tuple[str, list[dict]]]:
    if subject.user is None:
        return []
    rows = [
        {
            "When": entry.at,
            "Action": entry.get_action_display(),
            "Record type": entry.object_type,
            "Record id": entry.object_id,
            "Record": entry.object_label,
            "Summary": entry.summary,
            "From address": entry.ip_address or "",
        }
        for entry in AuditEntry.objects.filter(actor=subject.user)
        .order_by("id")
        .iterator(chunk_size=2000)
    ]
    return [("What they did (from the audit trail)", rows)]
