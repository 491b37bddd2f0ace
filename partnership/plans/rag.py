"""The RAG rule: how an action is rated, and how ratings roll up.

Pure functions with no database access, so the rule written in docs/guide/plans.md
("The RAG rule") is tested against hand-worked examples. Keep the two in step.
"""

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    COMPLETE = "complete"
    NOT_RATED = "not_rated"

    @property
    def label(self) -> str:
        return RAG_LABELS[self]

    @property
    def colour(self) -> str:
        """The GOV.UK tag colour."""
        return RAG_COLOURS[self]


RAG_LABELS = {
    Rag.RED: "Red: off track",
    Rag.AMBER: "Amber: at risk",
    Rag.GREEN: "Green: on track",
    Rag.COMPLETE: "Complete",
    Rag.NOT_RATED: "Not yet rated",
}
RAG_COLOURS = {
    Rag.RED: "red",
    Rag.AMBER: "orange",
    Rag.GREEN: "green",
    Rag.COMPLETE: "blue",
    Rag.NOT_RATED: "grey",
}


def action_rag(
    *, complete: bool, carried_over: bool, due_on: dt.date, latest: str | None, today: dt.date
) -> Rag | None:
    """An action's rating, or None for an action carried over to the next plan.

    1. Carried over: no rating here (it is rated in the plan it moved to), so it is left out
       of every roll-up in this plan.
    2. Complete: complete.
    3. Not complete and the due date has passed: red, whatever the last update said.
    4. Otherwise the rating of the latest progress update; with no update, not yet rated.
    """
    if carried_over:
        return None
    if complete:
        return Rag.COMPLETE
    if due_on < today:
        return Rag.RED
    if latest is None:
        return Rag.NOT_RATED
    return Rag(latest)


def roll_up(ratings: Iterable[Rag | None]) -> Rag:
    """The rating of an outcome (from its actions), a priority (from its outcomes) or a plan
    (from its priorities). `None` (a carried-over action) is left out.

    With n the children counted, and r the number rated (anything but not yet rated):
    1. No children, or none rated (r = 0): not yet rated.
    2. Every child complete: complete.
    3. At least a third of the rated children red (3 × red ≥ r): red.
    4. Any child red or amber, or any child not yet rated: amber.
    5. Otherwise (every child green or complete, at least one green): green.
    """
    children = [rating for rating in ratings if rating is not None]
    rated = [rating for rating in children if rating != Rag.NOT_RATED]
    if not rated:
        return Rag.NOT_RATED
    if all(rating == Rag.COMPLETE for rating in children):
        return Rag.COMPLETE
    reds = sum(1 for rating in rated if rating == Rag.RED)
    if 3 * reds >= len(rated):
        return Rag.RED
    if reds or len(rated) < len(children) or any(r == Rag.AMBER for r in rated):
        return Rag.AMBER
    return Rag.GREEN
