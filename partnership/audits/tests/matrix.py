"""Who may reach each audits URL (see partnership/accounts/tests/matrix_support.py): each
part's rows."""

from partnership.audits.tests.cases.matrix import ROWS as CASE_ROWS
from partnership.audits.tests.selfassessment.matrix import ROWS as SELF_ASSESSMENT_ROWS

ROWS = {**SELF_ASSESSMENT_ROWS, **CASE_ROWS}
