"""Who may do what with the business plan.

Partnership staff read the plan, its actions and the thematic reports (review
recommendations in them are scoped to the reader). The business unit manages everything.
The Core Business Group, which monitors the plan, and the independent chair read the
review page. A priority's named thematic lead may add progress updates to that priority's
actions and to no others (see docs/guide/plans.md, "Thematic leads").
"""

import rules

from partnership.accounts.rules import (
    is_business_unit,
    is_independent_chair,
    is_partnership_staff,
    is_verified,
)
from partnership.governance.scopes import group_ids

CORE_BUSINESS_GROUP = "core-business-group"


@rules.predicate
def is_named_lead_of_actions_priority(user, action) -> bool:
    """The user is the named lead of the priority the action serves."""
    if action is None or not user.is_authenticated:
        return False
    lead = action.outcome.priority.lead
    return lead is not None and lead.user_id == user.pk


@rules.predicate
def is_thematic_lead_of_meeting(user, meeting) -> bool:
    """The user is the named lead of the plan priority a themed meeting reports on."""
    from .reports import plan_for_meeting

    if meeting is None or not user.is_authenticated:
        return False
    plan_priority = plan_for_meeting(meeting)
    lead = plan_priority.lead if plan_priority else None
    return lead is not None and lead.user_id == user.pk


@rules.predicate
def is_core_business_group_member(user) -> bool:
    from partnership.governance.models import Group

    ids = group_ids(user)
    return bool(ids) and Group.objects.filter(pk__in=ids, slug=CORE_BUSINESS_GROUP).exists()


is_plan_team = is_verified & is_business_unit

rules.add_perm("plans.view_plan", is_partnership_staff)
rules.add_perm("plans.manage", is_plan_team)
rules.add_perm(
    "plans.update_action",
    is_partnership_staff & (is_business_unit | is_named_lead_of_actions_priority),
)
rules.add_perm(
    "plans.view_review",
    is_partnership_staff
    & (is_business_unit | is_independent_chair | is_core_business_group_member),
)
rules.add_perm("plans.view_thematic_report", is_partnership_staff)
rules.add_perm("plans.attach_thematic_report", is_plan_team)
# The thematic lead writes their own account; the business unit may write it for them.
rules.add_perm(
    "plans.write_thematic_narrative",
    is_verified & (is_business_unit | is_thematic_lead_of_meeting),
)
