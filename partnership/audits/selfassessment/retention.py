"""Self-assessment records on the retention schedule (see docs/guide/records.md).

A return holds an organisation's account of its safeguarding arrangements, not children's
details; it is kept for 6 years after its cycle starts, so that three two-yearly cycles can
be compared."""

from partnership.lib.retention import RecordKind

SOURCE = (
    "IRMS Local Government Retention Guidelines: audit and inspection of services, "
    "6 years after the audit."
)

RECORD_KINDS = [
    RecordKind(
        key="audits.selfassessment",
        label="Section 11 or section 175 return (with its answers, evidence and actions)",
        model="audits.SelfAssessment",
        describe=lambda assessment: (
            f"Self-assessment {assessment.pk} of organisation {assessment.organisation_id}, "
            f"cycle {assessment.cycle_id}"
        ),
        trigger="cycle__starts_on",
        trigger_label="the start of the cycle",
        default_months=72,
        source=SOURCE,
    ),
]
