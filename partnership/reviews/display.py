"""How a due date looks on a page: overdue, due soon, upcoming or done (a GOV.UK tag)."""

import datetime as dt
from dataclasses import dataclass

from partnership.lib.working_days import add_working_days, working_days_between

from .models import ReviewRules, today


@dataclass(frozen=True)
class Clock:
    """Today, and the last day that counts as "due soon", for one page."""

    today: dt.date
    soon_until: dt.date

    @classmethod
    def now(cls, rules: ReviewRules | None = None) -> "Clock":
        rules = rules or ReviewRules.current()
        day = today()
        return cls(day, add_working_days(day, rules.due_soon_working_days))

    def state(self, due_on: dt.date | None, done_on: dt.date | None = None) -> str:
        if due_on is None:
            return "waiting"
        if done_on is not None:
            return "late" if done_on > due_on else "done"
        if due_on < self.today:
            return "overdue"
        if due_on <= self.soon_until:
            return "soon"
        return "upcoming"

    def tag(self, due_on: dt.date | None, done_on: dt.date | None = None) -> dict:
        """Parameters for govukTag."""
        state = self.state(due_on, done_on)
        if state == "overdue":
            days = working_days_between(due_on, self.today)
            text = f"Overdue by {days} working day{'s' if days != 1 else ''}" if days else "Overdue"
            return {"text": text, "classes": "govuk-tag--red"}
        text, colour = {
            "waiting": ("Not started", "grey"),
            "done": ("Done", "green"),
            "late": ("Done late", "orange"),
            "soon": ("Due soon", "yellow"),
            "upcoming": ("Upcoming", "blue"),
        }[state]
        return {"text": text, "classes": f"govuk-tag--{colour}"}
