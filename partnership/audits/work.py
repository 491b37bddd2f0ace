"""What the audits module has waiting for one person (docs/adr/0011): each part's items."""

import datetime as dt

from partnership.audits.selfassessment import work as selfassessment


def items_waiting_for(user, *, today: dt.date) -> list:
    return selfassessment.items_waiting_for(user, today=today)
