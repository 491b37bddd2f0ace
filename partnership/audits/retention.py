"""The audits module's records on the retention schedule: each part lists its own kinds."""

from partnership.audits.cases.retention import RECORD_KINDS as CASE_RECORD_KINDS
from partnership.audits.selfassessment.retention import RECORD_KINDS as SELF_ASSESSMENT_KINDS

RECORD_KINDS = [*SELF_ASSESSMENT_KINDS, *CASE_RECORD_KINDS]
