"""Who may do what with reviews. Which reviews they see is `Review.objects.visible_to(user)`.

Every review page first finds the review through that scope (a review outside it is a 404,
so its existence is not given away), then checks one of these permissions.
"""

import rules

from partnership.accounts.rules import (
    is_business_unit,
    is_partner_lead,
    is_staff_member,
    is_verified,
)
from partnership.governance.scopes import group_ids

from .models import AccessReason, ActionItem, Review


def _review_of(obj) -> Review | None:
    if obj is None:
        return None
    if isinstance(obj, Review):
        return obj
    return getattr(obj, "review", None)


@rules.predicate
def is_commissioned_reviewer(user, obj) -> bool:
    review = _review_of(obj)
    return (
        review is not None
        and review.access_grants.filter(user_id=user.pk, reason=AccessReason.REVIEWER).exists()
    )


@rules.predicate
def is_member_of_review_group(user, obj) -> bool:
    review = _review_of(obj)
    return review is not None and review.group_id in group_ids(user)


@rules.predicate
def owns_action(user, action) -> bool:
    return isinstance(action, ActionItem) and action.owner_id == user.pk


@rules.predicate
def is_the_panel_member(user, panel_member) -> bool:
    return panel_member is not None and getattr(panel_member, "user_id", None) == user.pk


@rules.predicate
def signs_for_a_partner(user) -> bool:
    from .services.participation import partner_signed_for_by

    return partner_signed_for_by(user) is not None


# Any member of staff may open the reviews pages; the scope decides which reviews they list.
rules.add_perm("reviews.access", is_staff_member)
rules.add_perm("reviews.view_review", is_staff_member)
rules.add_perm("reviews.manage_review", is_verified & is_business_unit)
rules.add_perm("reviews.change_rules", is_verified & is_business_unit)
rules.add_perm("reviews.manage_themes", is_verified & is_business_unit)
# Each partner's delegated representative (or, with none designated, its lead) signs off,
# themselves: nobody records a sign-off on their behalf.
rules.add_perm("reviews.sign_off_rapid_review", is_verified & signs_for_a_partner)
# An agency's contacts see and answer the requests asked of their agency (the scope is
# `AgencySummary.objects.for_contact`, `AgencyRequest.objects.for_contact`), and nothing
# else of the review.
rules.add_perm("reviews.contribute", is_staff_member)
rules.add_perm("reviews.manage_delegates", is_verified & is_business_unit)
# The commissioned reviewer sends their drafts; the business unit files every document.
rules.add_perm(
    "reviews.upload_document", is_verified & (is_business_unit | is_commissioned_reviewer)
)
rules.add_perm("reviews.declare_interest", is_verified & (is_business_unit | is_the_panel_member))
rules.add_perm("reviews.submit_evidence", is_verified & (is_business_unit | owns_action))
# The group signs actions off: its members (at its meeting) or the business unit for it.
rules.add_perm(
    "reviews.sign_off_action", is_verified & (is_business_unit | is_member_of_review_group)
)
# Who has looked at a review: for those who answer for its confidentiality.
rules.add_perm("reviews.view_viewers", is_verified & (is_business_unit | is_partner_lead))
