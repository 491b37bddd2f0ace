"""My actions: one list across the action log, review recommendations' agency actions and
the business plan's actions, paginated in the database (one UNION query and its count)."""

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast

from .providers import ACTION_SOURCES

COLUMNS = ("w_module", "w_pk", "w_parent", "w_title", "w_due", "w_status", "w_done")
SOURCES = {source.module: source for source in ACTION_SOURCES}


def _columns(source, queryset):
    parent = F(source.parent) if source.parent else Value(None, output_field=IntegerField())
    return queryset.annotate(
        w_module=Value(source.module, output_field=CharField()),
        w_pk=F("pk"),
        w_parent=parent,
        w_title=Cast(source.title, output_field=TextField()),
        w_due=F("due_on"),
        w_status=Cast("status", output_field=CharField()),
        w_done=Case(
            When(status__in=source.done_statuses, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).values(*COLUMNS)


def my_actions(
    user,
    *,
    today: dt.date,
    status: str = "open",
    module: str = "",
    due_before: dt.date | None = None,
):
    """The actions `user` owns, each module's through its own scope, as one ordered
    queryset of rows (dicts with `COLUMNS`): open and overdue first by due date."""
    parts = []
    for source in ACTION_SOURCES:
        if module and module != source.module:
            continue
        rows = source.rows(user)
        done = Q(status__in=source.done_statuses)
        if status in ("open", "overdue"):
            rows = rows.exclude(done)
        if status == "overdue":
            rows = rows.filter(due_on__lt=today)
        if status == "done":
            rows = rows.filter(done)
        if due_before:
            rows = rows.filter(due_on__lt=due_before)
        parts.append(_columns(source, rows.order_by()))
    if not parts:
        return None
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    return combined.order_by("w_done", "w_due", "w_module", "w_pk")


def row_display(row: dict, today: dt.date) -> dict:
    """What a row shows: its module's name, link and status label."""
    source = SOURCES[row["w_module"]]
    overdue = not row["w_done"] and row["w_due"] < today
    return {
        **row,
        "module_label": source.label,
        "url": source.url(row),
        "status_label": "Overdue" if overdue else source.status_labels.get(row["w_status"], ""),
        "status_colour": "red" if overdue else ("green" if row["w_done"] else "blue"),
        "title": row["w_title"].splitlines()[0][:200] if row["w_title"] else "",
    }
