"""Who may do what with the multi-agency case audits (django-rules).

Roles grant actions; which audits and which agency parts a person sees is decided by the
scoped querysets (`CaseAudit.objects.visible_to`, `CaseAgency.objects.visible_to`). The
business unit runs audits; an audit's lead manages it; an agency completes its own parts.
"""

import rules

from partnership.accounts.models import Role
from partnership.accounts.rules import has_role, is_business_unit, is_oversight, is_verified

takes_part = is_verified & has_role(
    Role.BUSINESS_UNIT, Role.INDEPENDENT_CHAIR, Role.PARTNER_LEAD, Role.GROUP_MEMBER
)


@rules.predicate
def leads_the_audit(user, audit) -> bool:
    return audit is not None and audit.lead_id == user.pk


@rules.predicate
def completes_the_part(user, part) -> bool:
    """The part's named auditor, or (if none is named) anyone of its agency."""
    if part is None:
        return False
    if part.auditor_id is not None:
        return part.auditor_id == user.pk
    return bool(user.organisation_id) and part.organisation_id == user.organisation_id


@rules.predicate
def owns_the_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


manages = is_verified & (is_business_unit | leads_the_audit)

rules.add_perm("audits.view_case_audits", takes_part)
rules.add_perm("audits.add_case_audit", is_verified & is_business_unit)
rules.add_perm("audits.manage_case_audit", takes_part & manages)
rules.add_perm("audits.answer_case_audit", takes_part & (is_business_unit | completes_the_part))
rules.add_perm(
    "audits.evidence_case_audit_action", takes_part & (is_business_unit | owns_the_action)
)
rules.add_perm("audits.view_case_audit_summary", is_oversight)
