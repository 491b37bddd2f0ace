"""What the audits module has waiting for one person (docs/adr/0011): each part's items, and
the case audits' actions for "My actions"."""

import datetime as dt

from partnership.audits.cases import work as cases
from partnership.audits.selfassessment import work as selfassessment

MY_ACTIONS = cases.MY_ACTIONS


def items_waiting_for(user, *, today: dt.date) -> list:
    return [
        *selfassessment.items_waiting_for(user, today=today),
        *cases.items_waiting_for(user, today=today),
    ]
