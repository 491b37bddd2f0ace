"""Changes between periods and the key points they make."""

from dataclasses import dataclass
from decimal import Decimal

from ..models import (
    Unit,
    format_value,
)
from ._shared import HUNDRED, _num


@dataclass
class Change:
    absolute: Decimal
    relative: Decimal | None  # per cent of the previous value; None when it was 0
    unit: str

    @property
    def is_points(self) -> bool:
        return self.unit == Unit.PERCENTAGE

    @property
    def size(self) -> Decimal:
        """What the key-point threshold is compared with."""
        if self.is_points:
            return abs(self.absolute)
        return abs(self.relative) if self.relative is not None else Decimal("Infinity")

    @property
    def display(self) -> str:
        sign = "+" if self.absolute > 0 else ("−" if self.absolute < 0 else "")
        magnitude = abs(self.absolute)
        if self.is_points:
            return f"{sign}{_num(magnitude)} percentage points"
        text = f"{sign}{format_value(magnitude, self.unit)}"
        if self.relative is not None:
            text += f" ({sign}{_num(abs(self.relative))}%)"
        return text


def change_between(value, previous, unit) -> Change | None:
    if value is None or previous is None:
        return None
    value, previous = Decimal(value), Decimal(previous)
    relative = None if previous == 0 else (value - previous) / previous * HUNDRED
    return Change(absolute=value - previous, relative=relative, unit=unit)


def key_point(indicator, value, previous, label, previous_label, threshold) -> str | None:
    """A sentence for a notable change, in the style of the partnership's reports (seed 004)."""
    change = change_between(value, previous, indicator.unit)
    if change is None or change.absolute == 0 or change.size < Decimal(threshold):
        return None
    if indicator.unit == Unit.PERCENTAGE:
        return f"{indicator.subject}: {indicator.format(previous)} → {indicator.format(value)}"
    verb = "rose" if change.absolute > 0 else "fell"
    return (
        f"{indicator.subject} {verb} from {indicator.format(previous)} in {previous_label}"
        f" to {indicator.format(value)} in {label}"
    )
