"""Building case audits for the tests: one audit on Kirklees' four areas, owned by the Policy
and Performance Group, with a case the police and NWBH are both involved in."""

import datetime as dt

from django.utils import timezone

from partnership.audits.cases import services
from partnership.audits.cases.models import CaseAudit, CaseAuditTheme
from partnership.directory.models import Organisation
from partnership.governance import services as governance
from partnership.governance.models import Group
from partnership.trail.actors import Actor

POLICE = "Merseyside Police"
NWBH = "North West Boroughs Healthcare"


def group():
    return Group.objects.get(slug="policy-and-performance-group")


def organisation(name):
    return Organisation.objects.get(name=name)


def make_audit(personas, *, title="CSE case audit", cases=(("CSE-001", (POLICE, NWBH)),)):
    actor = Actor.for_user(personas["business_unit"])
    audit = services.case_audit_save(
        audit=CaseAudit(
            title=title,
            theme=CaseAuditTheme.CHILD_EXPLOITATION,
            group=group(),
            lead=personas["business_unit"],
            starts_on=dt.date(2026, 3, 2),
            report_due_on=dt.date(2026, 6, 30),
        ),
        panel=[personas["independent_chair"]],
        template=services.kirklees_template(),
        actor=actor,
    )
    for reference, names in cases:
        services.case_add(
            audit=audit,
            reference=reference,
            organisations=[organisation(name) for name in names],
            actor=actor,
        )
    return audit


def schedule_meeting(personas, *, days_ahead=14):
    """A meeting of the owning group, `days_ahead` days from now."""
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=days_ahead)
    return governance.meeting_schedule(
        group=group(),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="Huyton",
        actor=Actor.for_user(personas["business_unit"]),
    )


def answers_for(audit, grade="Good", narrative="Risk was seen early."):
    from partnership.audits.cases.models import CaseAuditQuestion

    return {
        q.pk: (grade, narrative) for q in CaseAuditQuestion.objects.filter(section__audit=audit)
    }
