"""Checking a batch whole: every error with its row and column (invariant 4)."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..models import (
    Indicator,
    Unit,
)
from ._shared import HUNDRED, TEN_THOUSAND, _num


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class CheckedRow:
    indicator: Indicator
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal


@dataclass
class BatchResult:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decimal(raw) -> Decimal | None:
    """None for blank; raises ValueError for text that is not a number. Kept to 2 places
    (what is stored); `_exact` is the number as given."""
    number = _exact(raw)
    return None if number is None else number.quantize(Decimal("0.01"))


def _exact(raw) -> Decimal | None:
    """The number as given, unrounded: None for blank; ValueError for text that is not a
    number, or one of a trillion or more."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float | Decimal):
        number = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(",", "")
        if text.endswith("%"):
            text = text[:-1].strip()
        if text == "":
            return None
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError from exc
    if not number.is_finite() or abs(number) >= 10**12:
        raise ValueError
    return number


def return_indicators(data_return) -> list[Indicator]:
    """The indicators an organisation answers in a period: its own, of the period's frequency."""
    return list(
        Indicator.objects.filter(
            owner_id=data_return.organisation_id, frequency=data_return.period.frequency
        ).prefetch_related("versions")
    )


def check_batch(data_return, rows: list[dict], indicators=None) -> BatchResult:
    """Check every row of a batch and collect every error with its row and column.

    Each row is a dict with "row" (its number in the file) and any of "code", "period",
    "organisation", "numerator", "denominator", "value"; "columns" may map a field to the
    column's name in the file (e.g. "G" or "numerator").
    """
    indicators = indicators if indicators is not None else return_indicators(data_return)
    by_code = {i.code.upper(): i for i in indicators}
    period = data_return.period
    result = BatchResult()
    seen: dict[str, int] = {}
    for raw in rows:
        number = raw.get("row", 0)
        columns = raw.get("columns", {})

        def error(column, message, number=number, columns=columns):
            result.errors.append(RowError(number, columns.get(column, column), message))

        code = str(raw.get("code") or "").strip()
        if not code:
            error("code", "Enter the indicator code")
            continue
        indicator = by_code.get(code.upper())
        if indicator is None:
            error("code", f"{code} is not an indicator in this return")
        elif code.upper() in seen:
            error("code", f"{code} appears more than once (first on row {seen[code.upper()]})")
        else:
            seen[code.upper()] = number
        given_period = str(raw.get("period") or "").strip()
        if given_period and given_period != period.label:
            error("period", f"The period is {given_period}; this return is for {period.label}")
        given_org = str(raw.get("organisation") or "").strip()
        if given_org and given_org not in (
            data_return.organisation.name,
            data_return.organisation.slug,
        ):
            error(
                "organisation",
                f"The organisation is {given_org}; this return is for"
                f" {data_return.organisation.name}",
            )
        numbers, exact = {}, {}
        for name in ("numerator", "denominator", "value"):
            try:
                exact[name] = _exact(raw.get(name))
                numbers[name] = _decimal(raw.get(name))
            except ValueError:
                error(
                    name,
                    f"{name.capitalize()} must be a number under a trillion, not “{raw.get(name)}”",
                )
                numbers[name] = "bad"
        if indicator is None or "bad" in numbers.values():
            continue
        numerator, denominator, value = (
            numbers["numerator"],
            numbers["denominator"],
            numbers["value"],
        )
        for name in ("numerator", "denominator"):
            if numbers[name] is not None and numbers[name] < 0:
                error(name, f"{name.capitalize()} cannot be negative")
        if numerator is not None and denominator is not None:
            if numerator > denominator:
                error(
                    "numerator",
                    f"The numerator ({_num(numerator)}) is larger than the denominator"
                    f" ({_num(denominator)})",
                )
                continue
            if value is None and indicator.unit in (Unit.PERCENTAGE, Unit.RATE):
                if denominator == 0:
                    error("denominator", "The denominator cannot be 0")
                    continue
                scale = HUNDRED if indicator.unit == Unit.PERCENTAGE else TEN_THOUSAND
                value = (numerator / denominator * scale).quantize(Decimal("0.01"))
        given = "value"
        if value is None and indicator.unit in (Unit.COUNT, Unit.DAYS):
            value, given = numerator, "numerator"
        if value is None:
            error("value", "Enter a value (or a numerator and denominator)")
            continue
        # A count is of whole things: checked on the number as given, before it is kept to
        # 2 places (17.001 is refused too, not stored as 17).
        if indicator.unit == Unit.COUNT and exact[given] != exact[given].to_integral_value():
            error(
                given,
                f"{indicator.code} is a count, so it must be a whole number, not {raw.get(given)}",
            )
            continue
        version = indicator.version_on(period.end)
        low, high = version.bounds(indicator.unit) if version else (Decimal("0"), None)
        if low is not None and value < low:
            error("value", f"{_num(value)} is below the lowest allowed value, {_num(low)}")
            continue
        if high is not None and value > high:
            error("value", f"{_num(value)} is above the highest allowed value, {_num(high)}")
            continue
        result.rows.append(CheckedRow(indicator, numerator, denominator, value))
    return result
