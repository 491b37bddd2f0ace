"""Who may do what with training.

The catalogue and the sessions are public. Booking needs an account with a role (the
portal's registration gives practitioners theirs). Bookings are personal: people see their
own; the business unit, which runs training, sees all of them. Agencies answer the needs
analysis for their own organisation.
"""

import rules

from partnership.accounts.models import Role
from partnership.accounts.rules import (
    has_role,
    is_business_unit,
    is_independent_chair,
    is_partner_lead,
    is_signed_in,
    is_verified,
)

is_training_team = is_verified & is_business_unit
has_any_role = has_role(*Role.values)


@rules.predicate
def is_own_booking(user, booking) -> bool:
    return booking is not None and booking.user_id is not None and booking.user_id == user.pk


@rules.predicate
def belongs_to_organisation(user, organisation) -> bool:
    return organisation is not None and user.organisation_id == organisation.pk


@rules.predicate
def has_an_organisation(user) -> bool:
    return bool(user.is_authenticated and user.organisation_id)


answers_for_an_agency = is_verified & has_role(
    Role.PARTNER_LEAD, Role.GROUP_MEMBER, Role.DATA_SUBMITTER
)

rules.add_perm("training.book", is_verified & has_any_role)
rules.add_perm("training.view_own_bookings", is_signed_in)
rules.add_perm("training.view_booking", is_verified & (is_own_booking | is_business_unit))
rules.add_perm("training.manage", is_training_team)
rules.add_perm(
    "training.view_reports",
    is_verified & (is_business_unit | is_independent_chair | is_partner_lead),
)
# The needs analysis: every agency's answers and the summary are for the training team and
# oversight; an agency's representatives answer for their own organisation.
rules.add_perm("training.view_needs", is_verified & (is_business_unit | is_independent_chair))
rules.add_perm(
    "training.answer_needs", is_training_team | (answers_for_an_agency & has_an_organisation)
)
rules.add_perm(
    "training.answer_needs_for",
    is_training_team | (answers_for_an_agency & belongs_to_organisation),
)
rules.add_perm(
    "training.view_plan", is_verified & (is_business_unit | is_independent_chair | is_partner_lead)
)
