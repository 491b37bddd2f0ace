"""Scale data for case audits: at scale 1, 40 audits of 15 cases, each case with four agencies
(2,400 audit forms), two thirds returned with an answer to each of the five questions.
Everything goes in with `bulk_create`; titles start "Scale"."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from partnership.accounts.models import Role, User
from partnership.directory.models import Organisation
from partnership.governance.models import Group

from .models import (
    OFSTED_GRADES,
    AuditCase,
    CaseAgency,
    CaseAnswer,
    CaseAudit,
    CaseAuditQuestion,
    CaseAuditSection,
    CaseAuditStatus,
    CaseAuditTheme,
    CasePartStatus,
)
from .services import KIRKLEES_QUESTIONS

PREFIX = "scale-"
PER_SCALE = {"audits": 40}
CASES_PER_AUDIT = 15
AGENCIES_PER_CASE = 4
BATCH = 2000


@transaction.atomic
def scale_case_audits(scale, rng: random.Random) -> dict[str, int]:
    """Make the case audits scale data; returns what was made, by kind."""
    groups = list(Group.objects.filter(slug__startswith=PREFIX)[:5]) or list(
        Group.objects.all()[:1]
    )
    leads = list(User.objects.filter(role_grants__role=Role.BUSINESS_UNIT)[:5])
    agencies = list(Organisation.objects.filter(slug__startswith=PREFIX)[:40]) or list(
        Organisation.objects.all()[:10]
    )
    if not groups or not leads or len(agencies) < AGENCIES_PER_CASE:
        return {}
    today = timezone.localdate()
    themes = list(CaseAuditTheme.values)
    audits = CaseAudit.objects.bulk_create(
        CaseAudit(
            title=f"Scale case audit {n + 1}",
            theme=themes[n % len(themes)],
            group=rng.choice(groups),
            lead=rng.choice(leads),
            starts_on=today - dt.timedelta(days=45 * n + 30),
            report_due_on=today - dt.timedelta(days=45 * n - 90),
            grades=OFSTED_GRADES,
            status=CaseAuditStatus.DISTRIBUTED,
            distributed_on=today - dt.timedelta(days=45 * n + 20),
            returns_due_on=today - dt.timedelta(days=45 * n - 8),
        )
        for n in range(max(1, round(PER_SCALE["audits"] * scale)))
    )
    sections = CaseAuditSection.objects.bulk_create(
        CaseAuditSection(audit=audit, position=p, title=title)
        for audit in audits
        for p, title in enumerate(KIRKLEES_QUESTIONS, start=1)
    )
    questions = CaseAuditQuestion.objects.bulk_create(
        CaseAuditQuestion(section=section, position=q, text=text)
        for section in sections
        for q, text in enumerate(KIRKLEES_QUESTIONS[section.title], start=1)
    )
    by_audit: dict[int, list] = {}
    for question in questions:
        by_audit.setdefault(question.section.audit_id, []).append(question)
    cases = AuditCase.objects.bulk_create(
        AuditCase(audit=audit, reference=f"SC{audit.pk}-{n:03}")
        for audit in audits
        for n in range(1, CASES_PER_AUDIT + 1)
    )
    parts = CaseAgency.objects.bulk_create(
        (
            CaseAgency(
                case=case,
                organisation=agency,
                status=CasePartStatus.RETURNED if rng.random() < 2 / 3 else CasePartStatus.AWAITED,
            )
            for case in cases
            for agency in rng.sample(agencies, AGENCIES_PER_CASE)
        ),
        batch_size=BATCH,
    )
    answers = CaseAnswer.objects.bulk_create(
        (
            CaseAnswer(
                part=part,
                question=question,
                grade=rng.choices(OFSTED_GRADES, weights=[1, 5, 4, 1])[0],
                narrative="Seen in the records.",
            )
            for part in parts
            if part.status == CasePartStatus.RETURNED
            for question in by_audit[part.case.audit_id]
        ),
        batch_size=BATCH,
    )
    return {
        "case audits": len(audits),
        "audit forms": len(parts),
        "case answers": len(answers),
    }
