"""The daily sweep for data returns: mark returns late, and send chasers.

`manage.py daily_sweep` finds `daily_sweep` here. A chaser rule says how many days from a
return's due date (negative: before it) a chaser goes to the organisation's data submitters
(or, if it has none, its people with an account) for each return not yet submitted. What
was sent is recorded (`ChaserSent`, unique per return and rule), so running the sweep twice,
or late, never sends the same chaser twice; a rule whose day has passed is sent once, late.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from partnership.accounts.models import Role, User
from partnership.outbox.services import email_queue
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor

from . import services
from .models import ChaserRule, ChaserSent, DataReturn, ReturnStatus

logger = logging.getLogger(__name__)
OUTSTANDING = (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.LATE)
# Who the outbox names as sending the chasers.
SWEEP_JOB = "data return chasers"


def _recipients(organisation_id) -> list[str]:
    people = User.objects.filter(organisation_id=organisation_id, is_active=True)
    # A data submitter's role names the agency it is for (none: their own organisation).
    submitters = list(
        User.objects.filter(is_active=True)
        .filter(
            Q(role_grants__organisation_id=organisation_id)
            | Q(role_grants__organisation__isnull=True, organisation_id=organisation_id),
            role_grants__role=Role.DATA_SUBMITTER,
        )
        .values_list("email", flat=True)
        .distinct()
    )
    return submitters or list(
        people.filter(role_grants__role__in=[Role.PARTNER_LEAD, Role.GROUP_MEMBER])
        .values_list("email", flat=True)
        .distinct()
    )


def send_chasers(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    rules = list(ChaserRule.objects.filter(is_active=True))
    if not rules:
        return 0
    earliest = min(r.days_from_due for r in rules)
    # Only returns whose first chaser day has come, and not already chased by every rule.
    returns = (
        DataReturn.objects.filter(
            status__in=OUTSTANDING,
            period__due_on__lte=today - dt.timedelta(days=earliest),
            period__due_on__gte=today - dt.timedelta(days=120),
        )
        .select_related("organisation", "period")
        .prefetch_related("chasers")
    )
    for data_return in returns:
        done = {c.rule_id for c in data_return.chasers.all()}
        due = [
            r
            for r in rules
            if r.pk not in done
            and data_return.period.due_on + dt.timedelta(days=r.days_from_due) <= today
        ]
        if not due:
            continue
        rule = due[-1]  # the latest that has come; earlier missed ones are not sent late
        recipients = _recipients(data_return.organisation_id)
        try:
            with transaction.atomic():
                for r in due:
                    ChaserSent.objects.create(
                        data_return=data_return, rule=r, recipients=", ".join(recipients)
                    )
                if recipients:
                    period = data_return.period
                    when = (
                        f"is due on {period.due_on:%-d %B %Y}"
                        if period.due_on >= today
                        else f"was due on {period.due_on:%-d %B %Y} and is late"
                    )
                    subject = f"Data return for {period.label}: {data_return.organisation.name}"
                    text = (
                        f"Your organisation's data return for {period.label} {when}.\n\n"
                        f"Fill it in, upload the spreadsheet or send it through the API:\n"
                        f"{absolute_url(data_return.get_absolute_url())}\n"
                    )
                    for recipient in recipients:
                        email_queue(
                            to=recipient,
                            subject=subject,
                            text=text,
                            kind="performance.chaser",
                            related=data_return,
                            batch=f"chaser:{data_return.pk}:{rule.pk}",
                            actor=Actor.system(SWEEP_JOB),
                        )
                    sent += 1
        except IntegrityError:
            logger.info("Chaser for return %s already sent", data_return.pk)
    return sent


@task()
def daily_sweep() -> dict[str, int]:
    """Mark overdue returns late, then send the chasers that are due."""
    late = services.mark_late()
    return {"late": late, "chasers": send_chasers()}
