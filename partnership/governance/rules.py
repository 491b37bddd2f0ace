import rules

from partnership.accounts.rules import (
    is_business_unit,
    is_independent_chair,
    is_oversight,
    is_partner_lead,
    is_partnership_staff,
    is_verified,
)
from partnership.governance.scopes import group_ids


def group_of(obj):
    """The group a governance record belongs to (a group is its own)."""
    from .models import Group

    if obj is None or isinstance(obj, Group):
        return obj
    if hasattr(obj, "group"):
        return obj.group
    if hasattr(obj, "meeting"):
        return obj.meeting.group
    return None


@rules.predicate
def is_member_of_group(user, obj) -> bool:
    """The user sits on the record's group today (through their directory entry)."""
    group = group_of(obj)
    return group is not None and group.pk in group_ids(user)


@rules.predicate
def minutes_are_approved(user, meeting) -> bool:
    from .models import MinutesStatus

    return meeting is not None and meeting.minutes_status == MinutesStatus.APPROVED


@rules.predicate
def is_open_paper(user, paper) -> bool:
    return paper is not None and not paper.restricted


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and action.owner.user_id == user.pk


@rules.predicate
def is_own_organisations_action(user, action) -> bool:
    return (
        action is not None
        and user.organisation_id is not None
        and action.owner_organisation_id == user.organisation_id
    )


@rules.predicate
def is_own_entry(user, person) -> bool:
    return person is not None and person.user_id == user.pk


rules.add_perm("governance.view_group", is_partnership_staff)
rules.add_perm("governance.change_group", is_verified & is_business_unit)
# Members' contact details: the group's own members and the business unit.
rules.add_perm(
    "governance.view_group_contacts", is_verified & (is_business_unit | is_member_of_group)
)

# Meetings and agendas are for all partnership staff; the business unit runs them.
rules.add_perm("governance.view_meeting", is_partnership_staff)
rules.add_perm("governance.manage_meetings", is_verified & is_business_unit)
# What is for members only (obj: a group, meeting or paper): restricted papers, draft minutes.
member_only = is_verified & (is_business_unit | is_member_of_group)
rules.add_perm("governance.view_members_only", member_only)
rules.add_perm("governance.view_paper", is_partnership_staff & (is_open_paper | member_only))
rules.add_perm(
    "governance.view_minutes", is_partnership_staff & (minutes_are_approved | member_only)
)
rules.add_perm("governance.declare_on_item", member_only)
# Draft minutes circulated for comment: the group's members comment on them.
rules.add_perm("governance.comment_on_minutes", is_verified & is_member_of_group)

# The action log: everyone sees the actions in their scope (Action.objects.visible_to).
rules.add_perm("governance.view_actions", is_partnership_staff)
rules.add_perm(
    "governance.view_action",
    is_partnership_staff
    & (
        is_business_unit
        | is_independent_chair
        | is_member_of_group
        | owns_action
        | is_own_organisations_action
    ),
)
rules.add_perm("governance.update_action", is_verified & (is_business_unit | owns_action))

# Attendance, members' pages and the register of interests are for partnership staff.
rules.add_perm("governance.view_attendance", is_partnership_staff)
rules.add_perm("governance.view_interests", is_partnership_staff)
rules.add_perm("governance.declare_interest", is_verified & (is_business_unit | is_own_entry))

# Letters to chief officers: drafted and sent by the business unit, signed by the chair.
rules.add_perm("governance.view_letters", is_oversight)
rules.add_perm("governance.manage_letters", is_verified & is_business_unit)
# The chair, whose letter it is, edits and approves it before the business unit sends it.
rules.add_perm("governance.approve_letters", is_verified & is_independent_chair)
rules.add_perm("governance.view_cadence", is_oversight)

# Funding: the partners who pay and the oversight roles see it; the business unit keeps it.
rules.add_perm("governance.view_funding", is_oversight | (is_verified & is_partner_lead))
rules.add_perm("governance.change_funding", is_verified & is_business_unit)

rules.add_perm("governance.use_calendar", is_partnership_staff)
