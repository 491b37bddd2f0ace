"""The audits module's records on the retention schedule: each part's kinds."""

from partnership.audits.selfassessment.retention import RECORD_KINDS as SELF_ASSESSMENT_KINDS

RECORD_KINDS = [*SELF_ASSESSMENT_KINDS]
