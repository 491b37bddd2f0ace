"""Demo people for onboarding: someone invited who has not yet set a password, and someone
who has left (kept, shown as ended). Built through the services, dated from today."""

import datetime as dt

from django.utils import timezone

from partnership.accounts.models import Role, User
from partnership.trail.actors import Actor

from . import services
from .models import Organisation, Person

INVITED = ("Kerry Walsh", "kerry.walsh@yos.example.org", "Case Manager", "Youth Offending Service")
LEFT = (
    "Martin Price",
    "martin.price@staidans.example.org",
    "Deputy Head",
    "St Aidan's Primary School",
)


def build(organisations=None, users=None) -> None:
    """Idempotent: does nothing once the invited person is there."""
    if Person.objects.filter(full_name=INVITED[0]).exists():
        return
    business_unit = (users or {}).get("business_unit")
    actor = Actor.for_user(business_unit) if business_unit else Actor.system("demo loader")
    name, email, job_title, organisation = INVITED
    if not User.objects.filter(email=email).exists():
        services.person_invite(
            organisation=Organisation.objects.get(name=organisation),
            full_name=name,
            email=email,
            job_title=job_title,
            roles=[(Role.GROUP_MEMBER, None)],
            actor=actor,
        )
    name, email, job_title, organisation = LEFT
    today = timezone.localdate()
    person = services.person_add(
        organisation=Organisation.objects.get(name=organisation),
        full_name=name,
        email=email,
        job_title=job_title,
        started_on=today - dt.timedelta(days=3 * 365),
        actor=actor,
    )
    services.person_end(
        person=person,
        ended_on=today - dt.timedelta(days=60),
        reason="Moved to a school outside Knowsley",
        actor=actor,
    )
