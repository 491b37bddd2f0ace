import rules

from partnership.accounts.rules import is_business_unit, is_verified

# Retention, holds, disposal, subject access and erasure reach every module's records: the
# business unit alone manages them.
rules.add_perm("records.manage", is_verified & is_business_unit)
