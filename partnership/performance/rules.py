"""Who may do what with the performance framework.

Returns are an agency's own: its data submitters and representatives see and edit their
own organisation's returns. The business unit and the members of the Policy and Performance
Review Group see every return. The key-points report is for the business unit, the
independent chair, the partners' leads and the group's members; a priority's dashboard is
for its thematic lead (the lead organisation's group members and partner lead) and for
oversight. Which figures a reader sees is `Indicator.objects.figures_visible_to(user)`, built
from the same predicates: a data submitter sees only their own organisation's figures.
"""

import rules

from partnership.accounts.models import Role
from partnership.accounts.rules import (
    has_role,
    is_business_unit,
    is_independent_chair,
    is_partner_lead,
    is_partnership_staff,
    is_verified,
)

PERFORMANCE_GROUP = "policy-and-performance-group"


def in_performance_group(user) -> bool:
    """Whether the user sits on the Policy and Performance Review Group today (cached)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_performance_group_member", None)
    if cached is None:
        from partnership.governance.models import Membership

        cached = (
            Membership.objects.current()
            .filter(person__user=user, group__slug=PERFORMANCE_GROUP)
            .exists()
        )
        user._performance_group_member = cached
    return cached


@rules.predicate
def is_performance_group_member(user) -> bool:
    return in_performance_group(user)


@rules.predicate
def is_own_organisations(user, obj) -> bool:
    """The record (a return, or an organisation) is the user's own organisation's, or one a
    data submitter role of theirs is for."""
    if obj is None or not user.agency_ids:
        return False
    organisation_id = getattr(obj, "organisation_id", None) or getattr(obj, "pk", None)
    return organisation_id in user.agency_ids


@rules.predicate
def has_an_organisation(user) -> bool:
    return bool(user.is_authenticated and user.agency_ids)


@rules.predicate
def leads_the_priority(user, priority) -> bool:
    return (
        priority is not None
        and user.organisation_id is not None
        and priority.thematic_lead_id == user.organisation_id
    )


submits_for_an_agency = has_role(Role.DATA_SUBMITTER, Role.GROUP_MEMBER, Role.PARTNER_LEAD)
# An agency's voice in the partnership's groups (not a data submitter, who only sends figures).
represents_an_agency = has_role(Role.GROUP_MEMBER, Role.PARTNER_LEAD)
sees_all_returns = is_verified & (is_business_unit | is_performance_group_member)
# The readers of the key-points report, which shows every agency's figures.
sees_every_figure = is_verified & (
    is_business_unit | is_independent_chair | is_partner_lead | is_performance_group_member
)
is_performance_team = is_verified & is_business_unit

rules.add_perm("performance.view_library", is_partnership_staff)
rules.add_perm("performance.manage", is_performance_team)
# The indicator library, its definitions, the settings and the chasers: the business unit.
rules.add_perm("performance.manage_library", is_performance_team)
rules.add_perm(
    "performance.view_returns",
    sees_all_returns | (is_verified & submits_for_an_agency & has_an_organisation),
)
rules.add_perm(
    "performance.view_return",
    sees_all_returns | (is_verified & submits_for_an_agency & is_own_organisations),
)
rules.add_perm(
    "performance.edit_return",
    is_performance_team
    | (is_verified & (submits_for_an_agency | is_performance_group_member) & is_own_organisations),
)
rules.add_perm("performance.validate_return", is_performance_team)
rules.add_perm(
    "performance.view_completeness",
    is_verified & (is_business_unit | is_independent_chair | is_performance_group_member),
)
rules.add_perm("performance.view_report", sees_every_figure)
rules.add_perm(
    "performance.comment_report", is_verified & (is_business_unit | is_performance_group_member)
)
rules.add_perm(
    "performance.view_dashboards",
    is_verified
    & (is_business_unit | is_independent_chair | is_partner_lead | has_an_organisation)
    & is_partnership_staff,
)
rules.add_perm(
    "performance.view_dashboard",
    is_verified
    & (
        is_business_unit
        | is_independent_chair
        | (is_partnership_staff & represents_an_agency & leads_the_priority)
    ),
)
