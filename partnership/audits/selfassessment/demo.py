"""Demo self-assessments, dated from today: Knowsley's section 11 cycle across its three
partners and 16 relevant agencies (some standards met, some not, one return late, one
standard moderated down with an action plan, the housing trust's return carried forward from
the last cycle and still in progress), and a section 175 cycle for 60 invented Knowsley
schools, part complete. Idempotent."""

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from partnership.directory.models import Organisation, OrganisationKind
from partnership.trail.actors import Actor

from . import services
from .models import (
    AssessmentKind,
    Cycle,
    Evidence,
    Phase,
    ReturnStatus,
    Scale,
    SelfAssessment,
    SettingPhase,
    StandardSet,
)
from .standards import KCSIE, WORKING_TOGETHER

HOUSING_TRUST = "Knowsley Housing Trust"
LATE = "Faith Groups"
MODERATED_DOWN = "Merseyside Fire and Rescue Service"

# A tiny, valid PDF: the demo's evidence file.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n162\n%%EOF\n"
)

SCHOOL_PLACES = [
    "Halewood",
    "Huyton",
    "Kirkby",
    "Prescot",
    "Whiston",
    "Roby",
    "Stockbridge",
    "Page Moss",
    "Knowsley Village",
    "Cronton",
    "Tower Hill",
    "Northwood",
    "Westvale",
    "Southdene",
    "Longview",
    "Bowring Park",
    "Swanside",
    "Cantril Farm",
    "Stockbridge Village",
    "Melling",
]
SCHOOL_KINDS = [
    ("Primary School", Phase.PRIMARY, 40),
    ("Infant School", Phase.PRIMARY, 4),
    ("Nursery School", Phase.EARLY_YEARS, 4),
    ("Academy", Phase.SECONDARY, 7),
    ("Special School", Phase.SPECIAL, 3),
    ("Learning Centre", Phase.ALTERNATIVE, 2),
]


def evidence_file(answer, name: str, user=None) -> Evidence:
    evidence = Evidence(answer=answer, name=name, size=len(EVIDENCE_PDF), uploaded_by=user)
    evidence.file.save(name, ContentFile(EVIDENCE_PDF), save=False)
    evidence.save()
    return evidence


def _score(rng: random.Random, name: str, code: str) -> int:
    return rng.choice([1, 2, 2, 3, 3]) if name != HOUSING_TRUST else (1 if code == "9" else 2)


def _fill(assessment, rng, *, user=None, narrative_from="", files=False):
    for answer in assessment.answers.select_related("standard"):
        answer.score = _score(rng, assessment.organisation.name, answer.standard.code)
        answer.narrative = (
            f"{assessment.organisation.name}: {narrative_from}{answer.standard.title.lower()}. "
            "Policy reviewed this year; audited by the safeguarding lead."
        )
        answer.save(update_fields=["score", "narrative"])
        if files and answer.standard.code in ("2", "8"):
            evidence_file(answer, f"standard-{answer.standard.code}-evidence.pdf", user)


def section_11_organisations():
    return list(
        Organisation.objects.filter(
            kind__in=(OrganisationKind.SAFEGUARDING_PARTNER, OrganisationKind.RELEVANT_AGENCY)
        ).order_by("name")
    )


def previous_cycle(actor: Actor, organisations, *, today: dt.date, user=None) -> Cycle:
    """The last cycle, two years ago, every return submitted (with evidence files)."""
    standard_set = StandardSet.objects.get(slug=WORKING_TOGETHER["slug"], version=1)
    starts = today - dt.timedelta(weeks=104)
    cycle = services.cycle_open(
        kind=AssessmentKind.SECTION_11,
        name=f"Section 11 audit {starts.year}",
        standard_set=standard_set,
        scale=Scale.NUMERIC,
        starts_on=starts,
        organisations=organisations,
        actor=actor,
    )
    rng = random.Random(11)
    for assessment in cycle.returns.select_related("organisation", "cycle"):
        _fill(assessment, rng, user=user, files=True)
        assessment.status = ReturnStatus.SUBMITTED
        assessment.submitted_at = timezone.make_aware(
            dt.datetime.combine(starts + dt.timedelta(weeks=6), dt.time(10))
        )
        assessment.save(update_fields=["status", "submitted_at"])
    return cycle


def build(organisations, users):
    if Cycle.objects.exists():
        return
    business_unit = (users or {}).get("business_unit")
    actor = Actor.for_user(business_unit) if business_unit else Actor.system("demo loader")
    # The agencies' own submissions, keyed in by the loader: their actions have no owner yet.
    loader = Actor.system("demo loader")
    services.standard_sets_install_defaults(actor=actor)
    today = timezone.localdate()
    agencies = section_11_organisations()
    housing_user = (users or {}).get("data_submitter")
    previous_cycle(actor, agencies, today=today, user=housing_user)

    # This cycle: started nine weeks ago, so the window closed a week ago.
    starts = today - dt.timedelta(weeks=9)
    cycle = services.cycle_open(
        kind=AssessmentKind.SECTION_11,
        name=f"Section 11 audit {starts.year}",
        standard_set=StandardSet.objects.get(slug=WORKING_TOGETHER["slug"], version=1),
        scale=Scale.NUMERIC,
        starts_on=starts,
        organisations=agencies,
        moderators=[business_unit] if business_unit else [],
        actor=actor,
    )
    rng = random.Random(2026)
    for assessment in cycle.returns.select_related("organisation", "cycle"):
        name = assessment.organisation.name
        if name == LATE:
            continue  # not started, and past its date
        if name == HOUSING_TRUST:
            # Reopened with a later date; last cycle's answers carried forward, in progress.
            assessment.status = ReturnStatus.DRAFT
            assessment.due_on = today + dt.timedelta(days=14)
            assessment.save(update_fields=["status", "due_on"])
            continue
        _fill(assessment, rng, narrative_from="this cycle, ")
        # Submitted on the last day of the window.
        services.assessment_submit(
            assessment=assessment, actor=loader, today=cycle.window_closes_on
        )
    fire = cycle.returns.get(organisation__name=MODERATED_DOWN)
    answer = fire.answers.get(standard__code="8")
    if answer.score < 2:
        answer.score = 2
        answer.save(update_fields=["score"])
    services.answer_moderate(
        answer=answer,
        moderated_score=1,
        challenge="Two of the five staff files sampled had no renewed criminal record check.",
        actor=actor,
    )
    _schools(actor, loader, today)


def _schools(actor: Actor, loader: Actor, today: dt.date) -> None:
    rng = random.Random(175)
    made = []
    names = set()
    saints = [
        "St Anne's",
        "St Mary's",
        "Holy Family",
        "St Joseph's",
        "Park View",
        "Brookfield",
        "Oak Tree",
        "Meadow",
        "Woodlands",
        "Riverside",
    ]
    number = 0
    for suffix, phase, count in SCHOOL_KINDS:
        for index in range(count):
            # Invented names: a place and a name, never twice.
            while True:
                place = SCHOOL_PLACES[number % len(SCHOOL_PLACES)]
                saint = saints[(number // len(SCHOOL_PLACES) + index) % len(saints)]
                name = f"{saint} {place} {suffix}"
                number += 1
                if name not in names:
                    break
            names.add(name)
            organisation, _ = Organisation.objects.get_or_create(
                name=name, defaults={"slug": slugify(name)[:70], "kind": OrganisationKind.SCHOOL}
            )
            SettingPhase.objects.get_or_create(organisation=organisation, defaults={"phase": phase})
            made.append(organisation)
    standard_set = StandardSet.objects.get(slug=KCSIE["slug"], version=1)
    starts = today - dt.timedelta(weeks=5)
    cycle = services.cycle_open(
        kind=AssessmentKind.SECTION_175,
        name=f"Section 175/157 audit {starts.year}",
        standard_set=standard_set,
        scale=Scale.RAG,
        starts_on=starts,
        organisations=made,
        actor=actor,
    )
    for position, assessment in enumerate(
        SelfAssessment.objects.filter(cycle=cycle).select_related("cycle", "organisation")
    ):
        if position % 5 in (3, 4):
            continue  # about two in five not in yet
        for answer in assessment.answers.select_related("standard"):
            answer.score = rng.choice([0, 1, 2, 2, 2, 2])
            answer.narrative = f"{answer.standard.title}: checked by the governor for safeguarding."
            answer.save(update_fields=["score", "narrative"])
        services.assessment_submit(assessment=assessment, actor=loader, today=today)
