"""The outbox's part of the daily sweep: emails whose delivery was never queued, or whose
next try is due where the backend cannot defer, are queued again."""

from django_tasks import task

from partnership.trail.actors import Actor

from .services import emails_stranded_requeue

SWEEP_JOB = "outbox sweep"


@task()
def daily_sweep() -> dict:
    return {"requeued": emails_stranded_requeue(actor=Actor.system(SWEEP_JOB))}
