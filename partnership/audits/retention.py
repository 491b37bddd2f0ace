"""The audits' records on the retention schedule: each part lists its own kinds."""

from .cases.retention import RECORD_KINDS as CASE_RECORD_KINDS

RECORD_KINDS = [*CASE_RECORD_KINDS]
