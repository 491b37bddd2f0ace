from partnership.accounts.tests.matrix_support import only

ROWS = {"audit:trail": ("get", {}, only(["business_unit"]))}
