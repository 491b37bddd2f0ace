"""Every module's provider of what is waiting for one person (docs/adr/0011).

The `work` app sits on top of the modules (like the public website): it imports their
`work.py`, they never import it. A module adds a kind of work by returning `WorkItem`s
(`partnership.lib.work_items`) from its `items_waiting_for(user, *, today)` and being listed
here; its actions join "My actions" through a `MY_ACTIONS` source.
"""

import datetime as dt

from partnership.audits import work as audits
from partnership.governance import work as governance
from partnership.lib.work_items import ActionSource, WorkItem, most_urgent_first
from partnership.performance import work as performance
from partnership.plans import work as plans
from partnership.reviews import work as reviews
from partnership.training import work as training

PROVIDERS = (
    reviews.items_waiting_for,
    governance.items_waiting_for,
    plans.items_waiting_for,
    performance.items_waiting_for,
    training.items_waiting_for,
    audits.items_waiting_for,
)

ACTION_SOURCES: tuple[ActionSource, ...] = (
    governance.MY_ACTIONS,
    reviews.MY_ACTIONS,
    plans.MY_ACTIONS,
    audits.MY_ACTIONS,
)


def items_waiting_for(user, *, today: dt.date) -> list[WorkItem]:
    """Everything waiting for `user` across the modules, most urgent first."""
    if not (user.is_authenticated and user.is_active):
        return []
    items: list[WorkItem] = []
    for provider in PROVIDERS:
        items += provider(user, today=today)
    return most_urgent_first(items)
