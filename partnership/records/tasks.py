"""The monthly disposal run, started by the daily sweep (`manage.py daily_sweep`).

On the first sweep of each month the run is drawn up (if none is open), for the business unit
to review and approve; a run approved since the last sweep is carried out. Nothing is
destroyed that a person has not approved.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from partnership.trail.actors import Actor

from . import services
from .models import DisposalRun, RunStatus

MONTHLY_JOB = "monthly disposal run"


def monthly_disposal(today=None) -> dict[str, int]:
    """Draw up this month's run unless one exists for the month or one is still open; carry
    out the runs a person has approved."""
    today = today or timezone.localdate()
    actor = Actor.system(MONTHLY_JOB)
    destroyed = 0
    for run in DisposalRun.objects.filter(status=RunStatus.APPROVED).order_by("pk"):
        services.disposal_run_destroy(run=run, actor=actor, today=today)
        destroyed += 1
    proposed = 0
    this_month = DisposalRun.objects.filter(
        as_of__year=today.year, as_of__month=today.month
    ).exclude(status=RunStatus.CANCELLED)
    if not this_month.exists():
        try:
            services.disposal_run_propose(actor=actor, today=today)
            proposed = 1
        except ValidationError:
            pass  # last month's run is still waiting for approval: it is not doubled up
    return {"runs_proposed": proposed, "runs_carried_out": destroyed}


@task()
def daily_sweep() -> dict[str, int]:
    return monthly_disposal()
