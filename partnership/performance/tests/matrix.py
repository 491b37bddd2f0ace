"""Who may reach each performance URL (see partnership/accounts/tests/matrix_support.py)."""

ROWS: list = []
