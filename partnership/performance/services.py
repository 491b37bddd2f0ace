"""What the performance framework does: figures in, checked whole, saved as versions; and
the numbers out (snapshots, RAG ratings, changes, key points).

Every write to a return, and every read of a return's detail, is put on the audit trail in
the same transaction (invariant 3). Batches (a form, a spreadsheet, an API call) are checked
whole and saved all or nothing, with each error's row and column (invariant 4).
"""

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.forms.models import model_to_dict
from django.utils import timezone

from partnership.lib.working_days import add_working_days
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record, diff

from .models import (
    COUNTED_STATUSES,
    ChaserRule,
    DataPoint,
    DataReturn,
    Frequency,
    IdempotencyKey,
    Indicator,
    IndicatorVersion,
    PerformanceSettings,
    Polarity,
    ReportComment,
    ReportingPeriod,
    ReturnStatus,
    ReturnVersion,
    Source,
    Unit,
    format_value,
)

HUNDRED = Decimal("100")
TEN_THOUSAND = Decimal("10000")


# --- RAG -----------------------------------------------------------------------------------

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


# --- Changes and key points ----------------------------------------------------------------


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


def _num(value: Decimal) -> str:
    return format_value(value, Unit.COUNT)


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


# --- Periods -------------------------------------------------------------------------------


def shift_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def previous_start(period_or_frequency, start: dt.date | None = None) -> dt.date:
    from .models import MONTHS_IN

    if isinstance(period_or_frequency, ReportingPeriod):
        frequency, start = period_or_frequency.frequency, period_or_frequency.start
    else:
        frequency = period_or_frequency
    return shift_months(start, -MONTHS_IN[frequency])


def periods_by_key() -> dict[tuple[str, dt.date], ReportingPeriod]:
    """Every period, keyed by (frequency, start): one query, a few hundred rows at most."""
    return {(p.frequency, p.start): p for p in ReportingPeriod.objects.all()}


# --- Snapshots -----------------------------------------------------------------------------


@dataclass
class Snapshot:
    indicator: Indicator
    period: ReportingPeriod | None = None
    value: Decimal | None = None
    previous_period: ReportingPeriod | None = None
    previous_value: Decimal | None = None
    target: Decimal | None = None
    tolerance: Decimal = Decimal("0")
    rag: str | None = None

    @property
    def period_label(self) -> str:
        return self.period.label if self.period else ""

    @property
    def display(self) -> str:
        return self.indicator.format(self.value)

    @property
    def previous_display(self) -> str:
        return self.indicator.format(self.previous_value) if self.previous_value is not None else ""

    @property
    def previous_label(self) -> str:
        return self.previous_period.label if self.previous_period else ""

    @property
    def target_display(self) -> str:
        return self.indicator.format(self.target) if self.target is not None else ""

    @property
    def rag_label(self) -> str:
        return RAG_LABELS[self.rag]

    @property
    def change(self) -> Change | None:
        return change_between(self.value, self.previous_value, self.indicator.unit)


def counted_points():
    """Data points that count: the current version of a submitted or validated return."""
    return DataPoint.objects.filter(is_current=True, data_return__status__in=COUNTED_STATUSES)


def _with_versions(indicators) -> list[Indicator]:
    if hasattr(indicators, "prefetch_related"):
        return list(indicators.select_related("owner", "priority").prefetch_related("versions"))
    indicators = list(indicators)
    ids = [i.pk for i in indicators]
    versions = defaultdict(list)
    for version in IndicatorVersion.objects.filter(indicator_id__in=ids):
        versions[version.indicator_id].append(version)
    for indicator in indicators:
        indicator._prefetched_objects_cache = {"versions": _Listing(versions[indicator.pk])}
    return indicators


class _Listing(list):
    """Enough of a queryset for `indicator.versions.all()` on a prefetched list."""

    def all(self):
        return self

    def _clone(self):
        return self


def indicator_snapshots(indicators) -> dict[int, Snapshot]:
    """The latest counted value of each indicator, with the one before, its target and RAG.

    Five queries whatever the number of indicators or data points: the indicators with
    their versions (two, or one when a list is given), the latest period of each, the
    periods, and the values.
    """
    indicators = _with_versions(indicators)
    ids = [i.pk for i in indicators]
    if not ids:
        return {}
    latest = dict(
        counted_points()
        .filter(indicator_id__in=ids)
        .values("indicator_id")
        .annotate(latest=Max("period__start"))
        .values_list("indicator_id", "latest")
    )
    periods = periods_by_key()
    wanted: dict[int, tuple[ReportingPeriod | None, ReportingPeriod | None]] = {}
    period_ids = set()
    for indicator in indicators:
        start = latest.get(indicator.pk)
        if start is None:
            continue
        period = periods.get((indicator.frequency, start))
        before = periods.get((indicator.frequency, previous_start(indicator.frequency, start)))
        wanted[indicator.pk] = (period, before)
        period_ids.update(p.pk for p in (period, before) if p)
    values = {
        (point["indicator_id"], point["period_id"]): point["value"]
        for point in counted_points()
        .filter(indicator_id__in=list(wanted), period_id__in=period_ids)
        .values("indicator_id", "period_id", "value")
    }
    snapshots = {}
    for indicator in indicators:
        period, before = wanted.get(indicator.pk, (None, None))
        snapshot = Snapshot(indicator=indicator, period=period, previous_period=before)
        if period:
            snapshot.value = values.get((indicator.pk, period.pk))
        if before:
            snapshot.previous_value = values.get((indicator.pk, before.pk))
        version = indicator.version_on(period.end if period else timezone.localdate())
        if version is not None:
            snapshot.target, snapshot.tolerance = version.target, version.tolerance
        snapshot.rag = rag(snapshot.value, snapshot.target, snapshot.tolerance, indicator.polarity)
        snapshots[indicator.pk] = snapshot
    return snapshots


# --- Checking a batch ----------------------------------------------------------------------


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


# --- Saving --------------------------------------------------------------------------------


class CorrectionNeedsReason(ValueError):
    pass


def needs_reason(data_return) -> bool:
    return data_return.status in COUNTED_STATUSES


def _who(actor: Actor) -> str:
    """How a version or a comment names who made it: the person's name, or what the actor is
    (an agency's API token and its organisation; a named job)."""
    return str(actor.user) if actor.user is not None else actor.label


def get_return(organisation, period) -> DataReturn:
    data_return, _ = DataReturn.objects.get_or_create(organisation=organisation, period=period)
    return data_return


def save_return(
    data_return,
    rows: list[CheckedRow],
    *,
    actor: Actor,
    source=Source.FORM,
    reason: str = "",
    submit: bool = False,
) -> ReturnVersion:
    """Save checked rows as a new version of the return (merged over the current one).

    A correction to a submitted or validated return needs a reason; the version it replaces
    is kept, with who made it, when and why.
    """
    reason = reason.strip()
    with transaction.atomic():
        locked = DataReturn.objects.select_for_update().get(pk=data_return.pk)
        if needs_reason(locked) and not reason:
            raise CorrectionNeedsReason("Say why you are correcting a submitted return")
        current = locked.versions.filter(is_current=True).first()
        merged: dict[int, dict] = {}
        if current is not None:
            for point in current.points.all():
                merged[point.indicator_id] = {
                    "numerator": point.numerator,
                    "denominator": point.denominator,
                    "value": point.value,
                }
            current.is_current = False
            current.save(update_fields=["is_current"])
            DataPoint.objects.filter(version=current).update(is_current=False)
        for row in rows:
            merged[row.indicator.pk] = {
                "numerator": row.numerator,
                "denominator": row.denominator,
                "value": row.value,
            }
        number = locked.version_count + 1
        version = ReturnVersion.objects.create(
            data_return=locked,
            number=number,
            created_by=actor.user,
            created_by_label=_who(actor)[:200],
            reason=reason or ("First version" if number == 1 else ""),
            source=source,
        )
        DataPoint.objects.bulk_create(
            DataPoint(
                version=version,
                data_return=locked,
                period_id=locked.period_id,
                indicator_id=indicator_id,
                **numbers,
            )
            for indicator_id, numbers in merged.items()
        )
        before = locked.status
        locked.version_count = number
        if submit or locked.status in COUNTED_STATUSES:
            locked.status = ReturnStatus.SUBMITTED
            locked.submitted_at = timezone.now()
            locked.validated_at, locked.validated_by = None, None
        elif locked.status in (ReturnStatus.NOT_STARTED,):
            locked.status = ReturnStatus.DRAFT
        locked.save()
        audit_record(
            actor=actor,
            action=Action.CREATE if number == 1 else Action.UPDATE,
            obj=locked,
            summary=(
                f"Version {number} of the {locked.period} return"
                f" ({Source(source).label.lower()}, {len(rows)} figures)"
                + (f": {reason}" if reason else "")
            ),
            changes={"status": [before, locked.status], "version": number, "reason": reason},
        )
    data_return.refresh_from_db()
    return version


def submit_return(data_return, *, actor: Actor) -> None:
    with transaction.atomic():
        locked = DataReturn.objects.select_for_update().get(pk=data_return.pk)
        if locked.version_count == 0:
            raise ValueError("Enter the figures before you submit the return")
        before = locked.status
        locked.status, locked.submitted_at = ReturnStatus.SUBMITTED, timezone.now()
        locked.save(update_fields=["status", "submitted_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            summary=f"Submitted the {locked.period} return",
            changes={"status": [before, locked.status]},
        )


def validate_return(data_return, *, actor: Actor) -> None:
    with transaction.atomic():
        locked = DataReturn.objects.select_for_update().get(pk=data_return.pk)
        if locked.status != ReturnStatus.SUBMITTED:
            raise ValueError("Only a submitted return can be validated")
        locked.status = ReturnStatus.VALIDATED
        locked.validated_at, locked.validated_by = timezone.now(), actor.user
        locked.save(update_fields=["status", "validated_at", "validated_by"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            summary=f"Validated the {locked.period} return",
            changes={"status": [ReturnStatus.SUBMITTED, ReturnStatus.VALIDATED]},
        )


def record_return_read(data_return, *, actor: Actor) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.VIEW,
            obj=data_return,
            summary=f"Viewed the {data_return.period} return",
        )


def return_template_record_download(data_return, *, actor: Actor) -> None:
    """A download of the return's spreadsheet template goes on the record."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.DOWNLOAD,
            obj=data_return,
            summary=f"Downloaded the {data_return.period} return template",
        )


def mark_late(today: dt.date | None = None) -> int:
    """Returns not in by their due date become late. Returns how many changed."""
    today = today or timezone.localdate()
    return DataReturn.objects.filter(
        status__in=(ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT), period__due_on__lt=today
    ).update(status=ReturnStatus.LATE)


# --- The key-points report -----------------------------------------------------------------


def report_record_export(*, period: ReportingPeriod, kind: str, actor: Actor) -> None:
    """A download of the key-points report (`kind`: "PDF", "XLSX") goes on the record."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.EXPORT,
            object_type="performance.report",
            object_id=str(period.pk),
            object_label=f"Key-points report {period.label}",
            summary=f"Downloaded the key-points report for {period.label} ({kind})",
        )


def report_comment_add(*, period: ReportingPeriod, body: str, actor: Actor) -> ReportComment:
    """Add a comment to the key-points report for a period, with who wrote it."""
    with transaction.atomic():
        comment = ReportComment.objects.create(
            period=period, author=actor.user, author_label=_who(actor)[:200], body=body
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=comment,
            summary=f"Commented on the key-points report for {period.label}",
        )
    return comment


# --- Managing the library, the settings and the chasers -----------------------------------
#
# The business unit's writes (rules: performance.manage_library). Each is checked whole, saved
# in one transaction with its audit entry, and refused with a ValidationError keyed by field
# (nothing saved) when a rule is broken.

INDICATOR_FIELDS = [
    "code",
    "name",
    "unit",
    "polarity",
    "frequency",
    "owner",
    "priority",
    "key_point_subject",
    "sort_order",
]
VERSION_FIELDS = [
    "definition",
    "numerator",
    "denominator",
    "target",
    "tolerance",
    "min_value",
    "max_value",
    "source",
    "valid_from",
    "valid_to",
    "reason",
]
# What may not change once figures have been reported: they were sent and rated in these terms.
FIXED_ONCE_REPORTED = ("unit", "polarity", "frequency")
RESERVED_CODES = {"ADD"}


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _check_version(version: IndicatorVersion, unit: str, errors: dict) -> None:
    """The rules every definition keeps: a sensible range, the target inside it, the dates in
    order. Adds each problem to `errors` (field: message)."""
    if version.tolerance is not None and version.tolerance < 0:
        errors["tolerance"] = "The RAG tolerance cannot be negative"
    if (
        version.min_value is not None
        and version.max_value is not None
        and version.min_value > version.max_value
    ):
        errors["max_value"] = (
            f"The highest allowed value ({_num(version.max_value)}) is below the lowest"
            f" ({_num(version.min_value)})"
        )
    elif version.target is not None:
        low, high = version.bounds(unit)
        if low is not None and version.target < low:
            errors["target"] = (
                f"The target ({_num(version.target)}) is below the lowest allowed value,"
                f" {_num(low)}"
            )
        elif high is not None and version.target > high:
            errors["target"] = (
                f"The target ({_num(version.target)}) is above the highest allowed value,"
                f" {_num(high)}"
            )
    if version.valid_to is not None and version.valid_to < version.valid_from:
        errors["valid_to"] = (
            f"The date it stops being used ({_day(version.valid_to)}) must be on or after the"
            f" date it starts ({_day(version.valid_from)})"
        )


def _check_code(code: str, errors: dict, exclude_pk=None) -> None:
    if code.upper() in RESERVED_CODES:
        errors["code"] = f"“{code}” is used by a page: choose another code"
        return
    clash = Indicator.objects.filter(code__iexact=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    clash = clash.first()
    if clash is not None:
        errors["code"] = f"The code {code} is already used by {clash.code} {clash.name}"


def add_indicator(*, indicator: Indicator, version: IndicatorVersion, actor: Actor):
    """Add an indicator with its first definition (version 1)."""
    with transaction.atomic():
        errors: dict[str, str] = {}
        _check_code(indicator.code, errors)
        _check_version(version, indicator.unit, errors)
        if errors:
            raise ValidationError(errors)
        indicator.save()
        version.indicator = indicator
        version.number = 1
        version.created_by = actor.user
        version.created_at = timezone.now()
        version.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=indicator,
            summary=f"Added the indicator {indicator.code} {indicator.name}",
            changes={
                **model_to_dict(indicator, fields=INDICATOR_FIELDS),
                "version": model_to_dict(version, fields=VERSION_FIELDS),
            },
        )
    return indicator


def has_figures(indicator: Indicator) -> bool:
    return DataPoint.objects.filter(indicator=indicator).exists()


def change_indicator(*, indicator: Indicator, actor: Actor) -> Indicator:
    """Change what the indicator itself is called, who sends it and its priority (a plain
    edit: its definition is changed by a new version). The unit, polarity and frequency stay
    as they are once figures have been reported."""
    with transaction.atomic():
        saved = Indicator.objects.select_for_update().get(pk=indicator.pk)
        before = model_to_dict(saved, fields=INDICATOR_FIELDS)
        after = model_to_dict(indicator, fields=INDICATOR_FIELDS)
        errors: dict[str, str] = {}
        _check_code(indicator.code, errors, exclude_pk=indicator.pk)
        if has_figures(saved):
            for name in FIXED_ONCE_REPORTED:
                if before[name] != after[name]:
                    errors[name] = (
                        f"The {name} cannot change: figures have already been reported"
                        " for this indicator"
                    )
        if errors:
            raise ValidationError(errors)
        changes = diff(before, after)
        indicator.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=indicator,
            summary=f"Changed the indicator {indicator.code}",
            changes=changes,
        )
    return indicator


def change_definition(
    *, indicator: Indicator, version: IndicatorVersion, actor: Actor
) -> IndicatorVersion:
    """A new version of the definition, in use from a date; the one before is kept, closed
    the day before. A version is never edited once made: the periods already reported keep
    the definition (and target) they were reported and rated against."""
    with transaction.atomic():
        Indicator.objects.select_for_update().get(pk=indicator.pk)
        current = indicator.versions.order_by("-number").first()
        errors: dict[str, str] = {}
        if current is not None and version.valid_from <= current.valid_from:
            errors["valid_from"] = (
                f"The new definition must start after the current one (version"
                f" {current.number}, in use from {_day(current.valid_from)})"
            )
        else:
            reported = (
                ReportingPeriod.objects.filter(
                    pk__in=DataPoint.objects.filter(indicator=indicator).values("period_id"),
                    end__gte=version.valid_from,
                )
                .order_by("-end")
                .first()
            )
            if reported is not None:
                errors["valid_from"] = (
                    f"Figures for {reported.label} have already been sent under the current"
                    f" definition: start the new one after {_day(reported.end)}"
                )
        _check_version(version, indicator.unit, errors)
        if errors:
            raise ValidationError(errors)
        closed = None
        if current is not None:
            closed = version.valid_from - dt.timedelta(days=1)
            if current.valid_to is None or current.valid_to > closed:
                current.valid_to = closed
                current.save(update_fields=["valid_to"])
        version.pk = None
        version.indicator = indicator
        version.number = (current.number if current else 0) + 1
        version.created_by = actor.user
        version.created_at = timezone.now()
        version.save()
        changes = {"version": version.number, **model_to_dict(version, fields=VERSION_FIELDS)}
        if current is not None:
            changes["previous"] = {
                "version": current.number,
                "valid_to": current.valid_to,
                **diff(
                    model_to_dict(current, fields=VERSION_FIELDS),
                    model_to_dict(version, fields=VERSION_FIELDS),
                ),
            }
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=version,
            summary=(
                f"New definition of {indicator.code} (version {version.number}), in use from"
                f" {_day(version.valid_from)}"
                + (
                    f"; version {current.number} closed on {_day(current.valid_to)}"
                    if current
                    else ""
                )
            ),
            changes=changes,
        )
    return version


def open_periods(today: dt.date | None = None):
    """The periods whose returns are not yet due: their due dates follow the settings."""
    today = today or timezone.localdate()
    return ReportingPeriod.objects.filter(due_on__gte=today).order_by("due_on", "frequency")


def change_settings(*, settings: PerformanceSettings, actor: Actor, today=None) -> int:
    """Save the framework's numbers. A new number of working days recomputes the due date of
    every period not yet due (a due date is computed, never typed in); the periods already
    past their due date keep theirs. Returns how many due dates changed."""
    fields = ["due_working_days", "key_point_threshold"]
    moved = 0
    with transaction.atomic():
        saved = PerformanceSettings.objects.select_for_update().get_or_create(pk=1)[0]
        before = model_to_dict(saved, fields=fields)
        settings.pk = saved.pk
        settings.save()
        changes = diff(before, model_to_dict(settings, fields=fields))
        if before["due_working_days"] != settings.due_working_days:
            due_dates = {}
            for period in open_periods(today).select_for_update():
                due_on = add_working_days(period.end, settings.due_working_days)
                if due_on != period.due_on:
                    due_dates[period.label] = [period.due_on, due_on]
                    period.due_on = due_on
                    period.save(update_fields=["due_on"])
            moved = len(due_dates)
            if due_dates:
                changes["due_dates"] = due_dates
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=settings,
            summary="Changed the performance settings"
            + (f" ({moved} due date{'s' if moved != 1 else ''} recomputed)" if moved else ""),
            changes=changes,
        )
    return moved


def add_chaser(*, days_from_due: int, actor: Actor) -> ChaserRule:
    """Add a chaser offset (or bring back one removed before: its record of chasers sent is
    kept with it)."""
    with transaction.atomic():
        rule = ChaserRule.objects.select_for_update().filter(days_from_due=days_from_due).first()
        if rule is not None and rule.is_active:
            raise ValidationError({"days": f"There is already a chaser {_chaser_words(rule)}"})
        if rule is None:
            rule = ChaserRule.objects.create(days_from_due=days_from_due)
        else:
            rule.is_active = True
            rule.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=rule,
            summary=f"Added a chaser {_chaser_words(rule)}",
            changes={"days_from_due": days_from_due, "is_active": True},
        )
    return rule


def remove_chaser(*, rule: ChaserRule, actor: Actor) -> None:
    """Stop a chaser. The rule is kept inactive, so the record of chasers it sent stays."""
    with transaction.atomic():
        rule = ChaserRule.objects.select_for_update().get(pk=rule.pk)
        if not rule.is_active:
            return
        rule.is_active = False
        rule.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=rule,
            summary=f"Removed the chaser {_chaser_words(rule)}",
            changes={"days_from_due": rule.days_from_due, "is_active": [True, False]},
        )


def _chaser_words(rule: ChaserRule) -> str:
    """ "5 days before the due date", "on the due date"."""
    text = str(rule)
    return text[0].lower() + text[1:] if text.startswith("On ") else text


# --- The API's idempotent submission -------------------------------------------------------


class IdempotencyConflict(ValueError):
    pass


def payload_hash(payload) -> str:
    """A fingerprint of an API body, kept with its idempotency key."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def submit_via_api(
    period, rows: list[dict], *, actor: Actor, key: str, reason: str = "", submit=True
):
    """Check and save an API batch once per idempotency key, for the token's organisation.

    `actor` is the agency's token (an idempotency key belongs to a token), so the version
    and its audit entry name the token and its organisation. Returns (version or None, errors, replayed). The same key with the same body answers as
    the first call did, making no new version; with a different body, IdempotencyConflict.
    A refused batch creates nothing, not even an empty return: the organisation's return for
    the period is made only when its first figures are saved.
    """
    token = actor.token
    if token is None:
        raise ValueError("A return through the API is sent with an agency's token")
    organisation = token.organisation
    digest = payload_hash(
        {
            "organisation": organisation.pk,
            "period": period.pk,
            "rows": rows,
            "reason": reason,
            "submit": submit,
        }
    )
    if key:
        previous = IdempotencyKey.objects.filter(token=token, key=key).first()
        if previous is not None:
            if previous.request_hash != digest:
                raise IdempotencyConflict("This Idempotency-Key was used for a different request")
            return (
                ReturnVersion.objects.get(
                    data_return_id=previous.data_return_id, number=previous.version_number
                ),
                [],
                True,
            )
    data_return = DataReturn.objects.filter(organisation=organisation, period=period).first()
    # An unsaved return is enough to check against (its organisation and period).
    checked = check_batch(
        data_return or DataReturn(organisation=organisation, period=period),
        [{"row": n, **row} for n, row in enumerate(rows, start=1)],
    )
    if not checked.ok:
        return None, checked.errors, False
    try:
        with transaction.atomic():
            data_return = get_return(organisation, period)
            version = save_return(
                data_return,
                checked.rows,
                source=Source.API,
                reason=reason,
                submit=submit,
                actor=actor,
            )
            if key:
                IdempotencyKey.objects.create(
                    token=token,
                    key=key,
                    request_hash=digest,
                    data_return=data_return,
                    version_number=version.number,
                )
    except IntegrityError:
        # Another request with the same key won the race: answer as it did.
        previous = IdempotencyKey.objects.get(token=token, key=key)
        if previous.request_hash != digest:
            raise IdempotencyConflict(
                "This Idempotency-Key was used for a different request"
            ) from None
        version = ReturnVersion.objects.get(
            data_return_id=previous.data_return_id, number=previous.version_number
        )
        return version, [], True
    return version, [], False


__all__ = [
    "Frequency",
    "Snapshot",
    "indicator_snapshots",
    "rag",
]
