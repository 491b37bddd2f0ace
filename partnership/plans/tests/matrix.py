"""Who may reach each plans URL (see partnership/accounts/tests/matrix_support.py).

The thematic-lead rule is here: Priya Lewis (partner_lead), the named lead of the child
exploitation priority, may post an update to its actions and gets 403 on a neglect action;
Gareth Morris (group_member), who leads no priority, gets 403 on both.
"""

import datetime as dt

from django.utils import timezone

from partnership.accounts.tests.matrix_support import STAFF, everyone, only
from partnership.directory.models import Organisation, Person
from partnership.governance.models import Group, ItemKind, Meeting, Priority
from partnership.plans.models import (
    Action,
    Outcome,
    Plan,
    PlanPriority,
    PlanStatus,
    ProgressUpdate,
)

BU = ["business_unit"]
REVIEWERS = ["business_unit", "independent_chair", "partner_lead"]  # + Core Business Group
UPDATE_ROW = {"rag": "green", "note": "Progress made."}


def _plan() -> Plan:
    plan, _ = Plan.objects.get_or_create(
        slug="matrix-plan",
        defaults={
            "title": "Matrix plan",
            "starts_on": dt.date(2020, 4, 1),
            "ends_on": dt.date(2022, 3, 31),
            "vision": "Vision",
            "mission": "Mission",
            "status": PlanStatus.CURRENT,
        },
    )
    Plan.objects.get_or_create(
        slug="matrix-later",
        defaults={
            "title": "Later plan",
            "starts_on": dt.date(2022, 4, 1),
            "ends_on": dt.date(2024, 3, 31),
            "vision": "Vision",
            "mission": "Mission",
        },
    )
    return plan


def _priority(slug: str, lead_email: str | None) -> PlanPriority:
    police = Organisation.objects.get(name="Merseyside Police")
    priority, _ = Priority.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").capitalize(), "thematic_lead": police}
    )
    lead = Person.objects.filter(user__email=lead_email).first() if lead_email else None
    plan_priority, _ = PlanPriority.objects.get_or_create(
        plan=_plan(), priority=priority, defaults={"lead_organisation": police, "lead": lead}
    )
    return plan_priority


def _action(slug: str, lead_email: str | None) -> Action:
    priority = _priority(slug, lead_email)
    outcome, _ = Outcome.objects.get_or_create(priority=priority, text=f"Outcome for {slug}")
    owner = Person.objects.filter(user__email="priya.lewis@police.example.org").first()
    action = Action.objects.filter(outcome=outcome).first()
    if action is None:
        action = Action.objects.create(
            outcome=outcome,
            title=f"Action for {slug}",
            owner=owner,
            owner_organisation=owner.organisation,
            due_on=timezone.localdate() + dt.timedelta(days=30),
            measure_of_success="Done",
        )
    return action


def ce_action(personas):
    return {"pk": _action("child-exploitation", "priya.lewis@police.example.org").pk}


def neglect_action(personas):
    return {"pk": _action("neglect", "aisha.rahman@ccg.example.org").pk}


def a_plan(personas):
    return {"slug": _plan().slug}


def a_priority(personas):
    return {"pk": _priority("child-exploitation", "priya.lewis@police.example.org").pk}


def an_outcome(personas):
    return {"pk": _action("child-exploitation", "priya.lewis@police.example.org").outcome_id}


def an_update_with_evidence(personas):
    from django.core.files.base import ContentFile

    action = _action("child-exploitation", "priya.lewis@police.example.org")
    update = ProgressUpdate(action=action, rag="green", note="Evidence attached.")
    update.evidence_file_name = "evidence.pdf"
    update.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    update.save()
    return {"pk": update.pk}


def a_themed_meeting(personas):
    forum = Group.objects.get(slug="strategic-forum")
    priority = _priority("child-exploitation", "priya.lewis@police.example.org").priority
    starts = timezone.now() + dt.timedelta(days=20)
    meeting = Meeting.objects.create(
        group=forum,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="Huyton",
        priority=priority,
    )
    meeting.items.create(position=1, kind=ItemKind.THEMATIC_REPORT, title="Thematic report")
    return {"pk": meeting.pk}


def _only_post(allowed, code=302):
    return only(allowed, code=code)


ROWS = {
    "plans:plans": ("get", None, only(STAFF)),
    "plans:plan-create": ("get", None, only(BU)),
    "plans:review": ("get", None, only(REVIEWERS)),
    "plans:on-a-page-current": ("get", None, everyone(200)),
    "plans:plan": ("get", a_plan, only(STAFF)),
    "plans:plan-edit": ("get", a_plan, only(BU)),
    "plans:on-a-page": ("get", a_plan, everyone(200)),
    "plans:priority-create": ("get", a_plan, only(BU)),
    "plans:carry-over": ("get", a_plan, only(BU)),
    "plans:priority": ("get", a_priority, only(STAFF)),
    "plans:priority-edit": ("get", a_priority, only(BU)),
    "plans:priority-remove": ("get", a_priority, only(BU)),
    "plans:outcome-create": ("get", a_priority, only(BU)),
    "plans:outcome-edit": ("get", an_outcome, only(BU)),
    "plans:outcome-remove": ("get", an_outcome, only(BU)),
    "plans:action-create": ("get", a_priority, only(BU)),
    "plans:action": ("get", ce_action, only(STAFF)),
    "plans:action-edit": ("get", ce_action, only(BU)),
    "plans:action-remove": ("get", ce_action, only(BU)),
    # The thematic-lead rule: the named lead of child exploitation may update its actions...
    "plans:action-update": ("post", ce_action, only(["business_unit", "partner_lead"], 200)),
    "plans:evidence": ("get", an_update_with_evidence, only(STAFF)),
    "plans:thematic-report": ("get", a_themed_meeting, only(STAFF)),
    "plans:thematic-report-pdf": ("get", a_themed_meeting, only(STAFF)),
    "plans:thematic-report-attach": ("post", a_themed_meeting, only(BU, code=302)),
    # The thematic lead (Priya Lewis, child exploitation) writes her account; or the unit.
    "plans:thematic-narrative": ("get", a_themed_meeting, only(BU + ["partner_lead"])),
}
