"""Who may reach every case-audit URL.

One audit is built for the matrix, out with the agencies: its case involves the police (the
partner lead's agency) and NWBH (the group member's), its recommendation has an action owned
by the group member, and its discussion has not opened. The business unit runs it; the
independent chair (on its panel) reads it and changes nothing; each agency sees the audit
and completes only its own part; the data submitter, reviewer, practitioner and outsider have
no part in case audits (403). A POST the business unit makes that the audit's state refuses
(distributing twice, sending the report before the discussion) comes back to the audit page.
"""

import datetime as dt

from partnership.accounts.tests.matrix_support import EVERYONE, only
from partnership.audits.cases import services
from partnership.audits.cases.models import CaseAgency, CaseAudit
from partnership.trail.actors import Actor

TITLE = "Matrix case audit"
READERS = ("business_unit", "independent_chair", "partner_lead", "group_member")


def matrix_audit(personas) -> CaseAudit:
    audit = CaseAudit.objects.filter(title=TITLE).first()
    if audit is not None:
        return audit
    from .support import make_audit

    audit = make_audit(personas, title=TITLE)
    actor = Actor.for_user(personas["business_unit"])
    services.case_audit_distribute(audit=audit, on=dt.date(2026, 3, 2), actor=actor)
    recommendation = services.recommendation_add(audit=audit, text="Share sooner.", actor=actor)
    services.action_add(
        recommendation=recommendation,
        description="Brief staff",
        owner=personas["group_member"],
        due_on=dt.date(2026, 9, 30),
        actor=actor,
    )
    return audit


def audit_kwargs(personas):
    return {"pk": matrix_audit(personas).pk}


def case_kwargs(personas):
    audit = matrix_audit(personas)
    return {"pk": audit.pk, "case": audit.cases.get().pk}


def part_kwargs(personas):
    audit = matrix_audit(personas)
    part = CaseAgency.objects.get(case__audit=audit, organisation__name="Merseyside Police")
    return {"pk": audit.pk, "case": part.case_id, "part": part.pk}


def recommendation_kwargs(personas):
    return {"pk": matrix_audit(personas).pk, "number": 1}


def action_kwargs(personas):
    audit = matrix_audit(personas)
    return {"pk": audit.pk, "action": audit.recommendations.get().actions.get().pk}


BUSINESS_UNIT = only(("business_unit",))
POSTED = only(("business_unit",), code=302)


def readers():
    return only(READERS)


ROWS = {
    "audits:case_audits": ("get", None, readers()),
    "audits:case_audit_create": ("get", None, BUSINESS_UNIT),
    "audits:case_audit_summary": ("get", None, only(("business_unit", "independent_chair"))),
    "audits:case_audit": ("get", audit_kwargs, readers()),
    "audits:case_audit_edit": ("get", audit_kwargs, BUSINESS_UNIT),
    "audits:case_audit_question_add": ("get", audit_kwargs, BUSINESS_UNIT),
    "audits:case_audit_case_add": ("get", audit_kwargs, BUSINESS_UNIT),
    "audits:case_audit_distribute": ("post", audit_kwargs, POSTED),
    "audits:case_audit_chase": ("post", audit_kwargs, POSTED),
    "audits:case_audit_discussion": ("get", audit_kwargs, BUSINESS_UNIT),
    "audits:case_audit_case": ("get", case_kwargs, readers()),
    "audits:case_audit_answer": ("get", part_kwargs, only(("business_unit", "partner_lead"))),
    "audits:case_audit_finding_add": ("get", audit_kwargs, BUSINESS_UNIT),
    "audits:case_audit_recommendation_add": ("get", audit_kwargs, BUSINESS_UNIT),
    "audits:case_audit_action_add": ("get", recommendation_kwargs, BUSINESS_UNIT),
    "audits:case_audit_action": ("get", action_kwargs, readers()),
    "audits:case_audit_report": ("get", audit_kwargs, readers()),
    "audits:case_audit_report_pdf": ("get", audit_kwargs, readers()),
    "audits:case_audit_report_send": ("post", audit_kwargs, POSTED),
}

assert all(set(expected) == set(EVERYONE) for _, _, expected in ROWS.values())
