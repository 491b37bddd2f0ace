"""Background work for the trail: the daily checkpoint of its head (see `checkpoints`)."""

from django_tasks import task

from .actors import Actor
from .services import audit_checkpoint_write

SWEEP_JOB = "daily audit trail checkpoint"


@task()
def daily_sweep() -> dict[str, int]:
    """Anchor the chain's head outside the database, once a day."""
    checkpoint = audit_checkpoint_write(actor=Actor.system(SWEEP_JOB))
    return {"checkpoint_entries": checkpoint.entries}
