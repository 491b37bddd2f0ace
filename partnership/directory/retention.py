"""The directory's people on the retention schedule (see docs/guide/records.md).

A person's entry is on the clock once every group membership they held has ended; it cannot be
destroyed while the minutes' attendance, the action log or the register of interests still
refer to them (those are kept longer), and the disposal run reports that.
"""

from django.apps import apps
from django.db.models import Exists, Max, OuterRef, Q

from partnership.lib.retention import DELETE, RecordKind

from .models import Person


def _not_a_member():
    # Memberships are governance's, looked up by name at run time (the directory sits below
    # governance, so it imports nothing from it): anyone still a member is not on the clock.
    membership = apps.get_model("governance", "Membership")
    return ~Q(Exists(membership.objects.filter(person=OuterRef("pk"), ended_on__isnull=True)))


def _people_of(subject):
    return Person.objects.filter(pk__in=subject.person_ids)


RECORD_KINDS = [
    RecordKind(
        key="directory.person",
        label="Person in the directory",
        model="directory.Person",
        describe=lambda person: (
            f"Directory person {person.pk} (organisation {person.organisation_id})"
        ),
        trigger=lambda: Max("memberships__ended_on"),
        trigger_label="the end of their last group membership",
        default_months=72,
        source=(
            "Judgement: IRMS Local Government Retention Guidelines keep contact lists while "
            "current; 6 years (the Limitation Act 1980 period) after the last membership ends "
            "matches the governance records that name them."
        ),
        judgement=True,
        scope=_not_a_member,
        disposal=DELETE,
        subject_rows=_people_of,
        erasure=DELETE,
    ),
]


def subject_access(subject) -> list[tuple[str, list[dict]]]:
    rows = [
        {
            "Name": person.full_name,
            "Job title": person.job_title,
            "Email": person.email,
            "Phone": person.phone,
            "Organisation": person.organisation.name,
            "Chief officer": person.is_chief_officer,
        }
        for person in _people_of(subject).select_related("organisation")
    ]
    return [("Directory entries", rows)] if rows else []
