"""Case audits on the retention schedule (see docs/guide/records.md).

An audit, with its cases (references only), each agency's answers, findings,
recommendations and actions, is kept for 6 years after its report was due, the Limitation
Act 1980 period used across local government, and destroyed whole by the disposal run.
"""

from partnership.lib.retention import RecordKind

AUDIT_RECORD = (
    "Part of the partnership's record of how well agencies safeguard children, kept to carry "
    "out its statutory functions (Children Act 2004 s16E-16H; UK GDPR Article 17(3)(b)): not "
    "erased on request, destroyed by the disposal run when its retention period ends."
)

RECORD_KINDS = [
    RecordKind(
        key="audits.caseagency",
        label="An agency's answers for a case in a case audit",
        model="audits.CaseAgency",
        describe=lambda part: f"Case audit part {part.pk} (case {part.case_id})",
        part_of="audits.caseaudit",
        statutory=AUDIT_RECORD,
    ),
    RecordKind(
        key="audits.caseauditaction",
        label="An action from a case audit's recommendation",
        model="audits.CaseAuditAction",
        describe=lambda action: f"Case audit action {action.pk} (due {action.due_on:%d %B %Y})",
        part_of="audits.caseaudit",
        statutory=AUDIT_RECORD,
    ),
    RecordKind(
        key="audits.caseaudit",
        label="Multi-agency case audit",
        model="audits.CaseAudit",
        describe=lambda audit: f"Case audit {audit.pk} (report due {audit.report_due_on:%d %B %Y})",
        trigger="report_due_on",
        trigger_label="the day its report was due",
        default_months=72,
        source="IRMS Local Government Retention Guidelines (audit and inspection records), "
        "6 years.",
        statutory=AUDIT_RECORD,
    ),
]
