import rules

from partnership.accounts.rules import is_business_unit, is_partnership_staff, is_verified
from partnership.accounts.scopes import group_ids


@rules.predicate
def is_member_of_group(user, group) -> bool:
    return group is not None and group.pk in group_ids(user)


rules.add_perm("governance.view_group", is_partnership_staff)
rules.add_perm("governance.change_group", is_verified & is_business_unit)
# Members' contact details: the group's own members and the business unit.
rules.add_perm(
    "governance.view_group_contacts", is_verified & (is_business_unit | is_member_of_group)
)
