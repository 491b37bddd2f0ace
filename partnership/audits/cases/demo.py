"""The case audits in the demo: a CSE audit on Kirklees' shape (seed 004: 120 forms out, 63
back, its four areas and three recommendations), the neglect audit the board worked as a
group exercise, and one planned. Cases are invented and known by reference only. Dated
relative to today; idempotent."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from partnership.governance.models import Group, Meeting, MeetingStatus, Priority
from partnership.trail.actors import Actor

from . import report, services
from .models import CaseAgency, CaseAudit, CaseAuditQuestion, CaseAuditTheme

CSE_TITLE = "Child sexual exploitation: baseline multi-agency audit"
NEGLECT_TITLE = "Neglect: protection plans waiting for a key worker (group exercise)"
PLANNED_TITLE = "Domestic abuse: repeat referrals to the front door"
CSE_AGENCIES = [
    "Merseyside Police",
    "Knowsley Council",
    "North West Boroughs Healthcare",
    "Knowsley Council Education Services",
]
NEGLECT_AGENCIES = [
    "Knowsley Council",
    "North West Boroughs Healthcare",
    "National Probation Service",
]
CSE_RECOMMENDATIONS = [
    "The risk management plan should be shared as a matter of urgency with the partner "
    "agencies involved with a child, and updates forwarded.",
    "Increased focus at the operational group on reviewing and cross-referencing "
    "multi-agency plans and roles, to ensure risks are fully addressed.",
    "Plans should include timescales, measurable outcomes and contingency plans, ensuring "
    "work is not duplicated; holiday periods should be planned for and support made available.",
]
RETURNED = 63


def _answer_all(audit, parts, rng, weights, actor):
    questions = list(CaseAuditQuestion.objects.filter(section__audit=audit))
    for part in parts:
        grades = rng.choices(audit.grade_scale, weights=weights, k=len(questions))
        services.case_part_save(
            case=part.case,
            organisation=part.organisation,
            answers={
                q.pk: (
                    grade,
                    f"{part.organisation.short_name or part.organisation}: {grade.lower()} "
                    "practice seen in the records.",
                )
                for q, grade in zip(questions, grades, strict=True)
            },
            submit=True,
            actor=actor,
        )


def _held_meeting(group, before):
    return (
        Meeting.objects.filter(group=group, status=MeetingStatus.HELD, starts_at__lt=before)
        .order_by("-starts_at")
        .first()
        or Meeting.objects.filter(group=group).order_by("starts_at").first()
    )


def _audit(title, theme, priority_slug, group, users, starts_on, cases, agencies, organisations):
    actor = Actor.for_user(users["business_unit"])
    audit = services.case_audit_save(
        audit=CaseAudit(
            title=title,
            theme=theme,
            priority=Priority.objects.filter(slug=priority_slug).first(),
            group=group,
            lead=users["business_unit"],
            starts_on=starts_on,
            report_due_on=starts_on + dt.timedelta(days=120),
        ),
        panel=[users["independent_chair"], users["partner_lead"]],
        template=services.kirklees_template(),
        actor=actor,
    )
    for reference in cases:
        services.case_add(
            audit=audit,
            reference=reference,
            organisations=[organisations[name] for name in agencies],
            actor=actor,
        )
    return audit


def build(organisations, users) -> None:
    """Add the case audits to the demo. Idempotent."""
    if CaseAudit.objects.filter(title=CSE_TITLE).exists():
        return
    group = Group.objects.filter(slug="policy-and-performance-group").first()
    if group is None or not Meeting.objects.filter(group=group).exists():
        return  # the governance demo makes the groups and meetings the audits report to
    rng = random.Random(16)
    actor = Actor.for_user(users["business_unit"])
    today = timezone.localdate()
    with transaction.atomic():
        # CSE, on Kirklees' shape: 30 cases x 4 agencies = 120 forms; 63 came back.
        cse = _audit(
            CSE_TITLE,
            CaseAuditTheme.CHILD_EXPLOITATION,
            "child-exploitation",
            group,
            users,
            today - dt.timedelta(days=150),
            [f"CSE-{n:03}" for n in range(1, 31)],
            CSE_AGENCIES,
            organisations,
        )
        services.case_audit_distribute(audit=cse, on=today - dt.timedelta(days=140), actor=actor)
        parts = list(
            CaseAgency.objects.filter(case__audit=cse)
            .select_related("case", "organisation")
            .order_by("case__reference", "organisation__name")
        )
        _answer_all(cse, parts[:RETURNED], rng, [1, 5, 4, 1], actor)
        services.case_audit_chase(audit=cse, today=today - dt.timedelta(days=100), actor=actor)
        meeting = _held_meeting(group, timezone.now())
        services.discussion_open(
            audit=cse, meeting=meeting, on=meeting.starts_at.date(), actor=actor
        )
        for case in cse.cases.order_by("reference")[:12]:
            services.case_judgement_record(
                case=case,
                grade=rng.choice(["Good", "Good", "Requires improvement"]),
                judgement="The agencies agreed the risk was identified; plans lacked timescales.",
                on=meeting.starts_at.date(),
                actor=actor,
            )
        for kind, text in [
            (
                "strength",
                "Risk of exploitation was identified and referred promptly in most cases.",
            ),
            ("strength", "Police and health shared intelligence well through the MACE meeting."),
            ("development", "Risk management plans were not always shared with every agency."),
            ("development", "Plans rarely had timescales, measurable outcomes or contingencies."),
        ]:
            services.finding_add(audit=cse, kind=kind, text=text, actor=actor)
        owners = [users["business_unit"], users["partner_lead"], users["group_member"]]
        for number, text in enumerate(CSE_RECOMMENDATIONS):
            recommendation = services.recommendation_add(audit=cse, text=text, actor=actor)
            services.action_add(
                recommendation=recommendation,
                description=[
                    "Send every risk management plan to the agencies named in it within 2 working days",
                    "Add a standing review of multi-agency plans to the operational group's agenda",
                    "Brief health staff on plans with timescales and contingency cover over holidays",
                ][number],
                owner=owners[number],
                due_on=today + dt.timedelta(days=30 * (number + 1)),
                actor=actor,
            )
        if services.next_meeting(cse) is not None:
            services.report_send(audit=cse, pdf=report.report_pdf(cse), actor=actor)

        # Neglect, worked by the board in small groups: four cases, every form back.
        neglect = _audit(
            NEGLECT_TITLE,
            CaseAuditTheme.NEGLECT,
            "neglect",
            group,
            users,
            today - dt.timedelta(days=400),
            [f"NEG-{n:02}" for n in range(1, 5)],
            NEGLECT_AGENCIES,
            organisations,
        )
        services.case_audit_distribute(
            audit=neglect, on=today - dt.timedelta(days=390), actor=actor
        )
        _answer_all(
            neglect,
            list(
                CaseAgency.objects.filter(case__audit=neglect).select_related(
                    "case", "organisation"
                )
            ),
            rng,
            [0, 3, 5, 2],
            actor,
        )
        meeting = _held_meeting(group, timezone.now() - dt.timedelta(days=300))
        services.discussion_open(
            audit=neglect, meeting=meeting, on=meeting.starts_at.date(), actor=actor
        )
        for case in neglect.cases.all():
            services.case_judgement_record(
                case=case,
                grade="Requires improvement",
                judgement="The delay in allocating a key worker held the plan back; the probation "
                "officer and the health visitor challenged it.",
                on=meeting.starts_at.date(),
                actor=actor,
            )
        for kind, text in [
            ("strength", "A probation officer and a health visitor challenged plans that stalled."),
            (
                "development",
                "Information was not shared well while the case waited for a key worker.",
            ),
            ("development", "The quality of protection plans and core groups varied."),
        ]:
            services.finding_add(audit=neglect, kind=kind, text=text, actor=actor)

        # Next in the programme.
        _audit(
            PLANNED_TITLE,
            CaseAuditTheme.DOMESTIC_ABUSE,
            "domestic-abuse",
            group,
            users,
            today + dt.timedelta(days=60),
            [],
            [],
            organisations,
        )
