"""What is waiting for one person: the item every module's `work.py` provider returns.

Framework-free, so that every module may build items (`partnership.lib` is the one place
below them all) while the `work` app, on top, gathers and shows them (docs/adr/0011).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class WorkKind(StrEnum):
    """The kinds of thing waiting, in the order their counts are shown."""

    SIGN_OFF = "sign_off"
    ACTION = "action"
    DEADLINE = "deadline"
    SUMMARY = "summary"
    RETURN = "return"
    PAPERS = "papers"
    DECLARATION = "declaration"
    OFFER = "offer"
    FEEDBACK = "feedback"
    BOOKING = "booking"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def is_asked_of_someone(self) -> bool:
        """Kinds a person is emailed about when a new one appears (docs/adr/0011)."""
        return self in NOTIFIED_KINDS


KIND_LABELS = {
    WorkKind.SIGN_OFF: "Sign-offs asked of you",
    WorkKind.ACTION: "Your actions",
    WorkKind.DEADLINE: "Review deadlines you own",
    WorkKind.SUMMARY: "Summaries and chronologies asked of your agency",
    WorkKind.RETURN: "Data returns due from your organisation",
    WorkKind.PAPERS: "Papers for your next meetings",
    WorkKind.DECLARATION: "Declarations of interest to make",
    WorkKind.OFFER: "Training places offered to you",
    WorkKind.FEEDBACK: "Evaluations and impact follow-ups",
    WorkKind.BOOKING: "Training you are booked on",
}


# Something new asked of a person: an action assigned, a sign-off asked, a summary asked of
# their agency. The rest (papers, returns, training) already have their own emails.
NOTIFIED_KINDS = frozenset({WorkKind.ACTION, WorkKind.SIGN_OFF, WorkKind.SUMMARY})


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting for a person: what it is, where to do it and by when."""

    kind: WorkKind
    module: str  # as the navigation names it: "Reviews", "Training", ...
    title: str
    url: str
    due_on: dt.date | None
    detail: str = ""
    # Stable across days ("governance.action:12"): how the notices tell a new item from one
    # the person was already told about.
    key: str = ""

    def is_overdue(self, today: dt.date) -> bool:
        return self.due_on is not None and self.due_on < today

    def sort_key(self) -> tuple:
        # Overdue first, then by due date: both are "earliest due date first"; undated last.
        return (self.due_on is None, self.due_on or dt.date.max, self.module, self.title)


def most_urgent_first(items: list[WorkItem]) -> list[WorkItem]:
    return sorted(items, key=WorkItem.sort_key)


@dataclass(frozen=True)
class ActionSource:
    """One module's actions for the joined "My actions" list.

    `rows(user)` is the module's scoped queryset of the actions `user` owns; `title` and
    `parent` are expressions (or field names) the `work` app selects from it; `url(row)`
    makes a row's link from its `w_pk` and `w_parent`.
    """

    module: str  # the filter's value: "governance"
    label: str  # as shown: "Action log"
    rows: Callable
    title: object
    done_statuses: tuple[str, ...]
    status_labels: dict[str, str]
    url: Callable[[dict], str]
    parent: object = None
