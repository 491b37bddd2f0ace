"""The work app's jobs: tell people what is newly asked of them, and send the daily digests.

`manage.py daily_sweep` runs `daily_sweep` (after every module's own sweep, by app order);
`manage.py notify_new_work`, scheduled every few minutes, tells those who chose an email
each time without waiting for the next day.
"""

from django.utils import timezone
from django_tasks import task

from partnership.trail.actors import Actor

from . import services

NOTICES_JOB = "your work notices"


@task()
def notify_new_work() -> dict[str, int]:
    return services.work_notices_sweep(now=timezone.now(), actor=Actor.system(NOTICES_JOB))


@task()
def daily_sweep() -> dict[str, int]:
    """Tell people what is new, then send the digests."""
    actor = Actor.system(NOTICES_JOB)
    now = timezone.now()
    counts = services.work_notices_sweep(now=now, actor=actor)
    counts["digests"] = services.work_digests_send(now=now, actor=actor)
    return counts
