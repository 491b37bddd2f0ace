"""Who may reach every audits URL: each part lists its own rows."""

from .cases.matrix import ROWS as CASE_ROWS

ROWS = {**CASE_ROWS}
