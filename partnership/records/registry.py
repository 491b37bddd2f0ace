"""The retention schedule: every module's kinds of record (`<module>/retention.py`), with the
periods the business unit set over the defaults in code.

The records app reads every module's models through this registry and sits above them all in
the layers (pyproject.toml); no module imports it.
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.db import models
from django.db.models import F
from django.db.models.functions import TruncDate
from django.utils import timezone

from partnership.lib.retention import RecordKind, period_text

from .models import LegalHold, RetentionSetting


def _retention_modules():
    """(app config, its retention module) for every partnership app that has one, in the order
    of INSTALLED_APPS (accounts first, the most depended-on)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("partnership.") or config.name == __package__:
            continue
        try:
            module = import_module(f"{config.name}.retention")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.retention":
                raise
            continue
        yield config, module


@cache
def record_kinds() -> tuple[RecordKind, ...]:
    """Every kind of record, in the order they are destroyed and erased: the modules that
    depend on others first (plans before governance before the directory before accounts),
    and within a module in the order it lists them (its children before their parents)."""
    modules = list(_retention_modules())
    kinds = []
    for _config, module in reversed(modules):
        kinds.extend(getattr(module, "RECORD_KINDS", []))
    keys = [kind.key for kind in kinds]
    duplicated = {key for key in keys if keys.count(key) > 1}
    if duplicated:
        raise ValueError(f"Record kinds declared twice: {sorted(duplicated)}")
    return tuple(kinds)


def schedule_order() -> list[RecordKind]:
    """The kinds as the schedule page lists them: by module as the platform orders them."""
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(
        record_kinds(), key=lambda kind: (order.get(kind.model.split(".")[0], 99), kind.label)
    )


def subject_access_hooks():
    """(module name, `subject_access(subject)`) for each module that offers one, in the order
    of INSTALLED_APPS."""
    for config, module in _retention_modules():
        hook = getattr(module, "subject_access", None)
        if hook is not None:
            yield config.verbose_name, hook


def kind_for(key: str) -> RecordKind:
    for kind in record_kinds():
        if kind.key == key:
            return kind
    raise LookupError(f"No kind of record called {key!r}")


def position_of(kind: RecordKind) -> int:
    return record_kinds().index(kind)


def model_of(kind: RecordKind) -> type[models.Model]:
    return apps.get_model(kind.model)


def holdable_kinds() -> list[RecordKind]:
    """The kinds a hold may be placed on: each whole record with a clock of its own (a hold
    on a review holds its documents, which are destroyed only with it)."""
    return [kind for kind in schedule_order() if not kind.part_of and kind.disposable]


@dataclass(frozen=True)
class ScheduleLine:
    kind: RecordKind
    months: int | None
    changed: bool
    note: str

    @property
    def period(self) -> str:
        return period_text(self.months)

    @property
    def default_period(self) -> str:
        return period_text(self.kind.default_months)


def periods() -> dict[str, ScheduleLine]:
    """Each kind's period now: the business unit's setting, else the default (one query)."""
    settings = {setting.kind: setting for setting in RetentionSetting.objects.all()}
    lines = {}
    for kind in record_kinds():
        setting = settings.get(kind.key)
        if setting is None:
            lines[kind.key] = ScheduleLine(kind, kind.default_months, False, "")
        else:
            lines[kind.key] = ScheduleLine(
                kind, setting.months, setting.months != kind.default_months, setting.note
            )
    return lines


def trigger_date(kind: RecordKind, model: type[models.Model]):
    """The kind's trigger as a date expression (a moment is taken as its local day)."""
    expression = kind.trigger() if callable(kind.trigger) else F(kind.trigger)
    resolved = model._default_manager.annotate(_trigger=expression).query.annotations["_trigger"]
    if isinstance(resolved.output_field, models.DateTimeField):
        return TruncDate(expression, tzinfo=timezone.get_current_timezone())
    return expression


def held_ids(key: str):
    return LegalHold.objects.active().filter(kind=key).values("object_id")


def without_held(queryset, kind: RecordKind):
    """`queryset` less the records held, directly or through a record they belong to."""
    queryset = queryset.exclude(pk__in=held_ids(kind.key))
    for other, path in kind.held_with:
        queryset = queryset.exclude(**{f"{path}__in": held_ids(other)})
    return queryset


def hold_on(kind: RecordKind, obj) -> LegalHold | None:
    """The active hold that keeps `obj`, on itself or on a record it belongs to."""
    hold = LegalHold.objects.active().filter(kind=kind.key, object_id=obj.pk).first()
    if hold is not None:
        return hold
    for other, path in kind.held_with:
        value = obj
        for part in path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            hold = LegalHold.objects.active().filter(kind=other, object_id=value).first()
            if hold is not None:
                return hold
    return None
