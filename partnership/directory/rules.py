import rules

from partnership.accounts.rules import (
    is_business_unit,
    is_data_submitter,
    is_partner_lead,
    is_partnership_staff,
    is_verified,
)


@rules.predicate
def is_own_organisation(user, organisation) -> bool:
    return organisation is not None and user.organisation_id == organisation.pk


rules.add_perm("directory.view_organisation", is_partnership_staff)
rules.add_perm("directory.change_organisation", is_verified & is_business_unit)
rules.add_perm("directory.view_person", is_partnership_staff)
rules.add_perm("directory.change_person", is_verified & is_business_unit)
# API tokens: the business unit for every agency; a lead or data submitter for their own.
rules.add_perm(
    "directory.manage_tokens",
    is_verified & (is_business_unit | is_partner_lead | is_data_submitter),
)
rules.add_perm(
    "directory.manage_organisation_tokens",
    is_verified
    & (is_business_unit | ((is_partner_lead | is_data_submitter) & is_own_organisation)),
)
