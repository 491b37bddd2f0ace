"""Who may do what with section 11 and section 175 self-assessments.

An agency (or school) fills in and submits its own return: its data submitters (with a role
scoped to it), its representatives and partner lead. The business unit runs the cycles and
sees every return; the moderation panel named on a cycle sees and moderates that cycle's
returns. Which records are read is decided by the `visible_to` querysets.
"""

import rules

from partnership.accounts.models import Role
from partnership.accounts.rules import has_role, is_business_unit, is_partnership_staff, is_verified

sees_every_return = is_verified & is_business_unit
speaks_for_an_agency = has_role(Role.DATA_SUBMITTER, Role.GROUP_MEMBER, Role.PARTNER_LEAD)


def _cycle_of(obj):
    return getattr(obj, "cycle", obj)


@rules.predicate
def on_the_panel(user, obj) -> bool:
    """The user is on the moderation panel of the cycle (of the return)."""
    cycle = _cycle_of(obj)
    if cycle is None or not user.is_authenticated:
        return False
    cached = getattr(cycle, "_panel_ids", None)
    if cached is None:
        cached = set(cycle.moderators.values_list("pk", flat=True))
        cycle._panel_ids = cached
    return user.pk in cached


@rules.predicate
def own_organisations(user, obj) -> bool:
    """The return (or action) is for one of the user's own organisations."""
    assessment = getattr(getattr(obj, "answer", None), "assessment", obj)
    organisation_id = getattr(assessment, "organisation_id", None)
    return bool(organisation_id and organisation_id in user.agency_ids)


@rules.predicate
def takes_part_in_cycle(user, cycle) -> bool:
    if cycle is None or not user.agency_ids:
        return False
    return cycle.returns.filter(organisation_id__in=user.agency_ids).exists()


@rules.predicate
def owns_the_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


@rules.predicate
def is_open_for_editing(user, assessment) -> bool:
    return assessment is not None and not assessment.is_locked


agency_contact = is_verified & speaks_for_an_agency
moderator = is_verified & (sees_every_return | on_the_panel)

rules.add_perm("audits.view_self_assessments", is_partnership_staff)
rules.add_perm("audits.manage_self_assessments", sees_every_return)
rules.add_perm(
    "audits.view_self_assessment_cycle",
    moderator | (agency_contact & takes_part_in_cycle),
)
rules.add_perm("audits.view_self_assessment_dashboard", moderator)
rules.add_perm("audits.view_self_assessment", moderator | (agency_contact & own_organisations))
rules.add_perm(
    "audits.change_self_assessment", agency_contact & own_organisations & is_open_for_editing
)
rules.add_perm("audits.submit_self_assessment", agency_contact & own_organisations)
rules.add_perm("audits.answer_self_assessment_challenge", agency_contact & own_organisations)
rules.add_perm("audits.moderate_self_assessment", moderator)
rules.add_perm("audits.reopen_self_assessment", sees_every_return)
rules.add_perm(
    "audits.change_self_assessment_action",
    sees_every_return | (agency_contact & (own_organisations | owns_the_action)),
)
