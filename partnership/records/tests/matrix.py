"""Who may reach each records URL (see partnership/accounts/tests/matrix_support.py): the
business unit alone."""

import datetime as dt

from partnership.accounts.tests.matrix_support import only
from partnership.records.models import DisposalItem, DisposalRun, Erasure, LegalHold, RunStatus

TEAM = ["business_unit"]


def _run():
    run, _ = DisposalRun.objects.get_or_create(
        status=RunStatus.PROPOSED,
        defaults={"as_of": dt.date(2026, 3, 1), "proposed_by_label": "System: matrix"},
    )
    return run


def a_run(personas):
    return {"pk": _run().pk}


def an_item(personas):
    item, _ = DisposalItem.objects.get_or_create(
        run=_run(),
        kind="training.booking",
        object_id=1,
        defaults={
            "description": "Booking 1 on session 1",
            "trigger_on": dt.date(2020, 3, 10),
            "due_on": dt.date(2026, 3, 10),
        },
    )
    return {"pk": item.pk}


def a_hold(personas):
    hold, _ = LegalHold.objects.get_or_create(
        kind="reviews.review",
        object_id=1,
        released_at=None,
        defaults={"description": "Review 1", "reason": "A claim", "placed_by_label": "matrix"},
    )
    return {"pk": hold.pk}


def an_erasure(personas):
    erasure, _ = Erasure.objects.get_or_create(
        subject_reference="account 1", defaults={"ground": "objection", "made_by_label": "matrix"}
    )
    return {"pk": erasure.pk}


ROWS = {
    "records:home": ("get", {}, only(TEAM)),
    "records:schedule": ("get", {}, only(TEAM)),
    "records:schedule-edit": ("get", {"key": "training.booking"}, only(TEAM)),
    "records:holds": ("get", {}, only(TEAM)),
    "records:hold-create": ("get", {}, only(TEAM)),
    "records:hold-release": ("get", a_hold, only(TEAM)),
    "records:runs": ("get", {}, only(TEAM)),
    "records:run-propose": ("get", {}, only(TEAM)),
    "records:run": ("get", a_run, only(TEAM)),
    "records:run-approve": ("get", a_run, only(TEAM)),
    "records:run-destroy": ("get", a_run, only(TEAM)),
    "records:run-cancel": ("get", a_run, only(TEAM)),
    "records:item-remove": ("get", an_item, only(TEAM)),
    "records:subject-access": ("get", {}, only(TEAM)),
    "records:erasure": ("get", {}, only(TEAM)),
    "records:erasure-detail": ("get", an_erasure, only(TEAM)),
}
