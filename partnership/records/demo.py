"""Records management in the Knowsley demo: a legal hold on the oldest published review, as
if a civil claim had been notified, so a newcomer sees a hold at work. The monthly run is left
for them to draw up (*Records → Disposal runs → Draw up a run now*): the demo's training from
2019 and 2020 is past its 6 years and shows up in it.

Written directly (no services), so loading the demo writes no audit entries; idempotent.
"""

from partnership.records.models import LegalHold
from partnership.records.registry import kind_for
from partnership.reviews.models import Review, ReviewStatus

HOLD_REASON = (
    "Demo: a civil claim about the agencies' work with the child has been notified. Keep the "
    "review until the claim is settled."
)


def build(users: dict) -> dict[str, int]:
    review = Review.objects.filter(status=ReviewStatus.PUBLISHED).order_by("aware_on", "pk").first()
    if review is not None and not LegalHold.objects.filter(kind="reviews.review").exists():
        business_unit = users["business_unit"]
        LegalHold.objects.create(
            kind="reviews.review",
            object_id=review.pk,
            description=kind_for("reviews.review").describe(review),
            reason=HOLD_REASON,
            placed_by=business_unit,
            placed_by_label=f"{business_unit.full_name} <{business_unit.email}>",
        )
    return {"holds": LegalHold.objects.active().count()}
