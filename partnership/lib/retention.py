"""What each module declares about the records it holds, for the retention schedule.

Each module lists its kinds of record in `<module>/retention.py` as `RECORD_KINDS`, a list of
`RecordKind`, and may offer `subject_access(subject)` for a subject access export. The records
app (`partnership.records`) collects them; a module never imports the records app, so this
declaration lives here, below every module, and holds no framework code of its own.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ANONYMISE = "anonymise"
DELETE = "delete"


@dataclass(frozen=True)
class RecordKind:
    """One kind of record and how long it is kept.

    - `key` names the kind for good ("training.booking"); settings and holds refer to it.
    - `model` is the Django model label ("training.Booking").
    - `trigger` is the field path of the date the clock starts from ("session__starts_at"), or
      a function returning a query expression for it; `trigger_label` says it in words
      ("the day of the session"). Records whose trigger is empty are not yet on the clock.
    - `default_months` is the retention period in code (None: kept permanently); the business
      unit may change it. `source` says where the default comes from; `judgement` marks a
      default that is the partnership's own call, to confirm.
    - `scope` (a function returning a Q) narrows which records the clock runs on at all
      (closed reviews only, say).
    - `part_of` names the kind this one is kept and destroyed with (a review's documents go
      with the review): such a kind has no clock of its own.
    - `held_with` lists (kind key, field path to that record's id): a hold on the other record
      also holds this one.
    - `statutory` says why the law requires the record, and so refuses erasure on request.
    - `disposal` is how a record is destroyed: DELETE (with what cascades from it) or ANONYMISE
      (when others depend on the row and it must stay); `anonymise(obj)` does the latter.
      `delete_first(obj)` gives querysets to delete before the record itself (rows that
      protect it but belong to it). `disposable=False` keeps the kind out of every run.
    - `describe(obj)` names one record without its content: ids and dates, never names or
      text, because the description is what outlives the record.
    - `subject_rows(subject)` is the queryset of records about a data subject (for erasure);
      `erasure` is how they are erased (ANONYMISE or DELETE; empty: not on request), and
      `erasure_refusal(obj)` may return why one cannot be erased now.
    """

    key: str
    label: str
    model: str
    describe: Callable[[Any], str]
    trigger: str | Callable[[], Any] = ""
    trigger_label: str = ""
    default_months: int | None = None
    source: str = ""
    judgement: bool = False
    scope: Callable[[], Any] | None = None
    part_of: str = ""
    held_with: tuple[tuple[str, str], ...] = ()
    statutory: str = ""
    disposable: bool = True
    disposal: str = DELETE
    anonymise: Callable[[Any], None] | None = None
    delete_first: Callable[[Any], list] | None = None
    subject_rows: Callable[[Any], Any] | None = None
    erasure: str = ""
    erasure_refusal: Callable[[Any], str] | None = None

    def __post_init__(self):
        anonymises = ANONYMISE in (self.disposal, self.erasure)
        if anonymises and self.anonymise is None:
            raise ValueError(f"{self.key} anonymises records but has no anonymise function.")
        if self.erasure and self.subject_rows is None:
            raise ValueError(f"{self.key} may be erased but does not say whose records it holds.")


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved on by whole months; the 29th to 31st become the month's last day where the
    month is shorter (31 January + 1 month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_text(months: int | None) -> str:
    """A retention period in words: "6 years", "18 months", "2 years 6 months", "permanently"."""
    if months is None:
        return "permanently"
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year" + ("s" if years != 1 else ""))
    if rest or not years:
        parts.append(f"{rest} month" + ("s" if rest != 1 else ""))
    return " ".join(parts)


def retention_cutoff(today: dt.date, months: int) -> dt.date:
    """The latest trigger date whose retention period has ended by `today`: a record is due
    when `add_months(trigger, months) <= today`, which is when `trigger <= retention_cutoff`.

    On the last day of a month every day of the month `months` back is due (31 August + 6
    months is 28 February), so the cut-off is that month's last day.
    """
    back = add_months(today, -months)
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        return back.replace(day=calendar.monthrange(back.year, back.month)[1])
    return back
