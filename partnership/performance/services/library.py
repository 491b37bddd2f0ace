"""Managing the library, the settings and the chasers."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from partnership.lib.working_days import add_working_days
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record, diff

from ..models import (
    ChaserRule,
    DataPoint,
    Indicator,
    IndicatorVersion,
    PerformanceSettings,
    ReportingPeriod,
)
from ._shared import _num

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
