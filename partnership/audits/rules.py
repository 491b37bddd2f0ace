"""Who may do what in the audits module: the module's own entry, then each part's rules,
imported here because django-rules autodiscovers only `<app>/rules.py`."""

import rules

from partnership.accounts.rules import is_partnership_staff
from partnership.audits.cases import rules as cases_rules  # noqa: F401
from partnership.audits.selfassessment import rules as selfassessment_rules  # noqa: F401

# The module's home page: partnership staff (commissioned reviewers see only their review).
rules.add_perm("audits.access", is_partnership_staff)
