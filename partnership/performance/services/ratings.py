"""RAG ratings of a value against its target."""

from decimal import Decimal

from ..models import (
    Polarity,
)

RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", None: "No rating"}


def rag(value, target, tolerance, polarity) -> str | None:
    """The RAG rating of a value against a target (docs/guide/performance.md).

    Higher is better: green at or above the target; amber below it by no more than the
    tolerance; red further below. Lower is better: green at or below the target; amber above
    it by no more than the tolerance; red further above. No value, no target or a neutral
    polarity: no rating.
    """
    if value is None or target is None or polarity == Polarity.NEUTRAL:
        return None
    value, target, tolerance = Decimal(value), Decimal(target), Decimal(tolerance or 0)
    if polarity == Polarity.HIGHER:
        if value >= target:
            return "green"
        return "amber" if value >= target - tolerance else "red"
    if value <= target:
        return "green"
    return "amber" if value <= target + tolerance else "red"
