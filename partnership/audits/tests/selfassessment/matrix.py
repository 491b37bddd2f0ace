"""Who may reach each self-assessment URL. The cycle's returns are the three partners' and
the relevant agencies' (so the police lead, the NWBH member and the housing trust's data
submitter each have one); the business unit runs it. Records nobody may see are not found
(404), so a URL does not even say that a return exists."""

import datetime as dt

from partnership.accounts.tests.matrix_support import ANONYMOUS, EVERYONE, SIGN_IN, STAFF, only
from partnership.audits.selfassessment import services
from partnership.audits.selfassessment.demo import evidence_file, section_11_organisations
from partnership.audits.selfassessment.models import (
    ActionPlanItem,
    AssessmentKind,
    Cycle,
    Scale,
    StandardSet,
)
from partnership.directory.models import Organisation, OrganisationKind
from partnership.trail.actors import Actor

TEAM = ["business_unit"]
TAKING_PART = ["business_unit", "partner_lead", "group_member", "data_submitter"]


def _cycle(personas):
    cycle = Cycle.objects.filter(name="Matrix cycle").first()
    if cycle is None:
        actor = Actor.for_user(personas["business_unit"])
        services.standard_sets_install_defaults(actor=actor)
        cycle = services.cycle_open(
            kind=AssessmentKind.SECTION_11,
            name="Matrix cycle",
            standard_set=StandardSet.objects.get(slug="working-together-section-11"),
            scale=Scale.NUMERIC,
            starts_on=dt.date.today(),
            organisations=section_11_organisations(),
            actor=actor,
        )
    return cycle


def a_school_cycle(personas):
    cycle = Cycle.objects.filter(name="Matrix schools cycle").first()
    if cycle is None:
        _cycle(personas)
        cycle = services.cycle_open(
            kind=AssessmentKind.SECTION_175,
            name="Matrix schools cycle",
            standard_set=StandardSet.objects.get(slug="keeping-children-safe-in-education"),
            scale=Scale.RAG,
            starts_on=dt.date.today(),
            organisations=Organisation.objects.filter(kind=OrganisationKind.SCHOOL),
            actor=Actor.for_user(personas["business_unit"]),
        )
    return {"pk": cycle.pk}


def _housing_return(personas):
    return _cycle(personas).returns.get(organisation=personas["data_submitter"].organisation)


def a_cycle(personas):
    return {"pk": _cycle(personas).pk}


def a_set(personas):
    _cycle(personas)
    return {"pk": StandardSet.objects.first().pk}


def kht_return(personas):
    return {"pk": _housing_return(personas).pk}


def kht_answer(personas):
    assessment = _housing_return(personas)
    return {"pk": assessment.pk, "answer_pk": assessment.answers.first().pk}


def kht_evidence(personas):
    assessment = _housing_return(personas)
    evidence = evidence_file(assessment.answers.first(), "policy.pdf")
    return {"pk": assessment.pk, "evidence_pk": evidence.pk}


def kht_action(personas):
    answer = _housing_return(personas).answers.first()
    action, _ = ActionPlanItem.objects.get_or_create(
        answer=answer,
        defaults={
            "action": "Train the staff",
            "owner": personas["data_submitter"],
            "due_on": dt.date.today(),
        },
    )
    return {"pk": action.pk}


def _by(codes: dict, others=404):
    return {key: SIGN_IN if key == ANONYMOUS else codes.get(key, others) for key in EVERYONE}


OWN = _by({"business_unit": 200, "data_submitter": 200})

ROWS = {
    "audits:home": ("get", {}, only(STAFF)),
    "audits:sa-standards": ("get", {}, only(TEAM)),
    "audits:sa-standards-import": ("get", {}, only(TEAM)),
    "audits:sa-standards-defaults": ("post", {}, only(TEAM, code=302)),
    "audits:sa-standard-set": ("get", a_set, only(TEAM)),
    "audits:sa-settings": ("get", {}, only(TEAM)),
    "audits:sa-cycle-add": ("get", {}, only(TEAM)),
    "audits:sa-return-import": ("get", {}, only(TEAM)),
    "audits:sa-cycle": ("get", a_cycle, _by(dict.fromkeys(TAKING_PART, 200))),
    "audits:sa-dashboard": (
        "get",
        a_cycle,
        _by({"business_unit": 200, **dict.fromkeys(TAKING_PART[1:], 403)}),
    ),
    "audits:sa-cycle-xlsx": (
        "get",
        a_cycle,
        _by({"business_unit": 200, **dict.fromkeys(TAKING_PART[1:], 403)}),
    ),
    "audits:sa-cycle-summary-pdf": (
        "get",
        a_cycle,
        _by({"business_unit": 200, **dict.fromkeys(TAKING_PART[1:], 403)}),
    ),
    "audits:sa-cycle-summary-send": ("post", a_cycle, only(TEAM, code=302)),
    "audits:sa-cycle-chase": ("post", a_cycle, only(TEAM, code=302)),
    "audits:sa-challenge-event": ("get", a_cycle, only(TEAM)),
    "audits:sa-cycle-invite": ("get", a_school_cycle, only(TEAM)),
    "audits:sa-return": ("get", kht_return, OWN),
    "audits:sa-return-pdf": ("get", kht_return, OWN),
    "audits:sa-return-export": ("get", kht_return, OWN),
    "audits:sa-return-submit": (
        "post",
        kht_return,
        _by({"business_unit": 403, "data_submitter": 302}),
    ),
    "audits:sa-return-reopen": (
        "get",
        kht_return,
        _by({"business_unit": 200, "data_submitter": 403}),
    ),
    "audits:sa-answer": ("get", kht_answer, _by({"business_unit": 403, "data_submitter": 200})),
    "audits:sa-moderate": ("get", kht_answer, _by({"business_unit": 200, "data_submitter": 403})),
    "audits:sa-challenge": ("get", kht_answer, _by({"business_unit": 403, "data_submitter": 200})),
    "audits:sa-evidence": ("get", kht_evidence, OWN),
    "audits:sa-evidence-remove": (
        "post",
        kht_evidence,
        _by({"business_unit": 403, "data_submitter": 302}),
    ),
    "audits:sa-action": ("get", kht_action, OWN),
}
