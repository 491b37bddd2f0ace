import rules

from partnership.accounts.rules import is_business_unit, is_verified

# Emails carry what they are about (meetings, reviews, bookings): the business unit, who
# runs the partnership's correspondence, alone reads them and asks for a failed one again.
rules.add_perm("outbox.view_email", is_verified & is_business_unit)
rules.add_perm("outbox.retry_email", is_verified & is_business_unit)
