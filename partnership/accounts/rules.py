"""Who may do what: predicates for django-rules.

Roles grant actions. Which records a user sees is decided separately, by the scoped
querysets (`visible_to`) and `partnership.governance.scopes`.
"""

import rules

from .models import ROLES_NEEDING_TWO_FACTOR, Role


def has_role(*roles: str):
    name = "has_role:" + ",".join(sorted(roles))

    @rules.predicate(name=name)
    def predicate(user) -> bool:
        return bool(user.is_authenticated and user.is_active and user.has_role(*roles))

    return predicate


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def is_verified(user) -> bool:
    """Signed in, with the second factor checked for every account that needs one."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not user.needs_two_factor:
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


is_business_unit = has_role(Role.BUSINESS_UNIT)
is_independent_chair = has_role(Role.INDEPENDENT_CHAIR)
is_partner_lead = has_role(Role.PARTNER_LEAD)
is_data_submitter = has_role(Role.DATA_SUBMITTER)
is_staff_member = is_verified & has_role(*ROLES_NEEDING_TWO_FACTOR)
# Partnership staff other than commissioned reviewers, who see only their own review.
is_partnership_staff = is_verified & has_role(*(ROLES_NEEDING_TWO_FACTOR - {Role.REVIEWER}))
is_oversight = is_verified & (is_business_unit | is_independent_chair)

rules.add_perm("accounts.view_own_account", is_signed_in)
rules.add_perm("accounts.manage_users", is_verified & is_business_unit)
