"""Who may reach each plans URL (see partnership/accounts/tests/matrix_support.py)."""

ROWS: list = []
