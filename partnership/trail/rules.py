import rules

from partnership.accounts.rules import is_business_unit, is_verified

# The trail names who looked at which confidential record: the business unit alone reads it.
rules.add_perm("audit.view_trail", is_verified & is_business_unit)
