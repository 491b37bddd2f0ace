"""Writes to the case audits, each in one transaction with its entry on the trail.

Every function is keyword-only and takes the `actor`; views call these and hold no rules.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from partnership.governance import services as governance
from partnership.governance.models import Meeting, MeetingStatus
from partnership.lib.working_days import add_working_days
from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record

from . import mail
from .models import (
    KIRKLEES_AREAS,
    OFSTED_GRADES,
    AuditCase,
    CaseActionStatus,
    CaseAgency,
    CaseAnswer,
    CaseAudit,
    CaseAuditAction,
    CaseAuditFinding,
    CaseAuditQuestion,
    CaseAuditRecommendation,
    CaseAuditSection,
    CaseAuditStatus,
    CaseAuditTemplate,
    CasePartStatus,
)

KIRKLEES_TEMPLATE = "Kirklees' four areas"
KIRKLEES_QUESTIONS = {
    "Referral and identification of risk": [
        "Was the risk to the child identified and referred promptly?",
        "Was information shared with the right agencies at the right time?",
    ],
    "Quality of assessments": [
        "Did the assessment take account of the child's history and the voice of the child?",
    ],
    "Quality and effectiveness of plans": [
        "Was the plan specific, multi-agency and reviewed?",
    ],
    "Outcomes": ["Is the child safer, and are their outcomes improving?"],
}


def kirklees_template() -> CaseAuditTemplate:
    """The reusable template on Kirklees' four areas (seed 004), made the first time asked."""
    template, _ = CaseAuditTemplate.objects.get_or_create(
        name=KIRKLEES_TEMPLATE,
        defaults={
            "description": "The four areas of Kirklees' multi-agency CSE audit.",
            "sections": [
                {"title": area, "questions": KIRKLEES_QUESTIONS[area]} for area in KIRKLEES_AREAS
            ],
            "grades": OFSTED_GRADES,
        },
    )
    return template


def _audit(actor, obj, summary, action=AuditAction.UPDATE, **extra):
    audit_record(actor=actor, action=action, obj=obj, summary=summary[:300], **extra)


# The programme and the tool --------------------------------------------------------------------


@transaction.atomic
def case_audit_save(
    *,
    audit: CaseAudit,
    panel=(),
    template: CaseAuditTemplate | None = None,
    actor: Actor,
) -> CaseAudit:
    """Plan an audit (or change its plan). A new audit takes its question set and grade
    scale from `template`, if given."""
    creating = audit.pk is None
    if audit.report_due_on and audit.starts_on and audit.report_due_on < audit.starts_on:
        raise ValidationError({"report_due_on": "The report cannot be due before the audit starts"})
    if not creating and audit.status != CaseAuditStatus.PLANNED:
        before = CaseAudit.objects.values_list("grades", flat=True).get(pk=audit.pk)
        if list(before or OFSTED_GRADES) != list(audit.grades or OFSTED_GRADES):
            raise ValidationError(
                {"grades_text": "The forms have gone out: the grade scale can no longer change"}
            )
    if creating:
        audit.created_by = actor.user
        if template is not None and not audit.grades:
            audit.grades = list(template.grades)
    if not audit.grades:
        audit.grades = list(OFSTED_GRADES)
    audit.save()
    audit.panel.set(panel)
    if creating and template is not None:
        for position, section in enumerate(template.sections, start=1):
            made = CaseAuditSection.objects.create(
                audit=audit, position=position, title=section["title"]
            )
            CaseAuditQuestion.objects.bulk_create(
                CaseAuditQuestion(section=made, position=number, text=text)
                for number, text in enumerate(section["questions"], start=1)
            )
    _audit(
        actor,
        audit,
        f"{'Planned' if creating else 'Changed'} the case audit {audit.title}",
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
    )
    return audit


def _not_distributed(audit: CaseAudit, what: str) -> None:
    if audit.status != CaseAuditStatus.PLANNED:
        raise ValidationError(f"The audit forms have gone to the agencies: {what}")


@transaction.atomic
def question_add(*, audit: CaseAudit, section_title: str, text: str, actor: Actor):
    """Add a question to the tool, in a section (made if new), before the forms go out."""
    _not_distributed(audit, "the questions can no longer change")
    section = audit.sections.filter(title=section_title).first()
    if section is None:
        last = audit.sections.aggregate(last=Max("position"))["last"] or 0
        section = CaseAuditSection.objects.create(
            audit=audit, position=last + 1, title=section_title
        )
    last = section.questions.aggregate(last=Max("position"))["last"] or 0
    question = CaseAuditQuestion.objects.create(section=section, position=last + 1, text=text)
    _audit(actor, audit, f"Added a question to “{section.title}”")
    return question


@transaction.atomic
def case_add(*, audit: CaseAudit, reference: str, organisations, actor: Actor) -> AuditCase:
    """Add a case to the sample, by its reference only, with the agencies involved."""
    _not_distributed(audit, "add cases to a new audit")
    case = AuditCase(audit=audit, reference=reference.strip())
    case.full_clean()
    if not organisations:
        raise ValidationError({"organisations": "Choose the agencies involved in the case"})
    case.save()
    CaseAgency.objects.bulk_create(
        CaseAgency(case=case, organisation=organisation) for organisation in organisations
    )
    _audit(
        actor,
        audit,
        f"Added case {case.reference} with {len(organisations)} agencies",
        changes={"agencies": [None, sorted(str(o) for o in organisations)]},
    )
    return case


@transaction.atomic
def case_audit_distribute(*, audit: CaseAudit, on: dt.date, actor: Actor) -> int:
    """Send every agency its audit forms; the returns are due a set number of working days
    later (bank holidays skipped). Returns the number of forms distributed."""
    _not_distributed(audit, "they were distributed already")
    parts = list(
        CaseAgency.objects.filter(case__audit=audit).select_related("case", "organisation")
    )
    if not parts:
        raise ValidationError("Add the cases and their agencies before distributing the audit")
    if not CaseAuditQuestion.objects.filter(section__audit=audit).exists():
        raise ValidationError("Add the audit's questions before distributing it")
    audit.distributed_on = on
    audit.returns_due_on = add_working_days(on, audit.return_working_days)
    audit.status = CaseAuditStatus.DISTRIBUTED
    audit.save(update_fields=["distributed_on", "returns_due_on", "status"])
    mail.parts_email(audit=audit, parts=parts, chaser=False, actor=actor)
    _audit(
        actor,
        audit,
        f"Distributed {len(parts)} audit forms, due back by {audit.returns_due_on:%-d %B %Y}",
    )
    return len(parts)


@transaction.atomic
def case_audit_chase(*, audit: CaseAudit, today: dt.date, actor: Actor) -> int:
    """Remind each agency of the forms it has not returned; the number of forms chased."""
    if audit.status != CaseAuditStatus.DISTRIBUTED:
        raise ValidationError("Only forms that are out with the agencies can be chased")
    parts = list(
        CaseAgency.objects.filter(case__audit=audit, status=CasePartStatus.AWAITED).select_related(
            "case", "organisation", "auditor"
        )
    )
    if not parts:
        raise ValidationError("Every audit form has been returned")
    mail.parts_email(audit=audit, parts=parts, chaser=True, actor=actor)
    for part in parts:
        part.chasers_sent += 1
        part.last_chased_on = today
    CaseAgency.objects.bulk_update(parts, ["chasers_sent", "last_chased_on"])
    _audit(actor, audit, f"Chased {len(parts)} audit forms not yet returned")
    return len(parts)


# An agency's part ----------------------------------------------------------------------------


@transaction.atomic
def case_part_save(
    *, case: AuditCase, organisation, answers: dict, submit: bool, actor: Actor
) -> CaseAgency:
    """An agency's answers for a case: {question id: (grade, narrative)}. Saving keeps a
    draft; submitting returns the form, which then cannot change."""
    audit = case.audit
    part = CaseAgency.objects.select_for_update().filter(case=case, organisation=organisation)
    part = part.first()
    if part is None:
        raise ValidationError(
            f"{organisation} is not involved in case {case.reference}: only the agencies "
            "involved may answer for it"
        )
    if audit.status != CaseAuditStatus.DISTRIBUTED:
        raise ValidationError("The audit is not taking answers: its forms are not out")
    if part.returned:
        raise ValidationError("This audit form has been returned and cannot change")
    questions = {q.pk: q for q in CaseAuditQuestion.objects.filter(section__audit=audit)}
    scale = audit.grade_scale
    errors = {}
    for question_id, (grade, _narrative) in answers.items():
        if question_id not in questions:
            errors["__all__"] = "An answer was for a question not in this audit"
        elif grade and grade not in scale:
            errors[f"grade_{question_id}"] = (
                f"Choose a grade on the audit's scale: {', '.join(scale)}"
            )
        elif submit and not grade:
            errors[f"grade_{question_id}"] = "Choose a grade for every question before returning"
    if submit and set(questions) - set(answers):
        errors["__all__"] = "Answer every question before returning the form"
    if errors:
        raise ValidationError(errors)
    existing = {a.question_id: a for a in part.answers.all()}
    for question_id, (grade, narrative) in answers.items():
        answer = existing.get(question_id) or CaseAnswer(part=part, question_id=question_id)
        answer.grade, answer.narrative = grade or "", (narrative or "").strip()
        answer.save()
    if submit:
        part.status, part.returned_on = CasePartStatus.RETURNED, timezone.localdate()
        part.save(update_fields=["status", "returned_on"])
    _audit(
        actor,
        part,
        f"{'Returned' if submit else 'Saved'} {organisation}'s audit of case {case.reference}",
    )
    return part


@transaction.atomic
def case_parts_record_view(*, parts, actor: Actor) -> None:
    """Every read of an agency's case answers goes on the trail."""
    for part in parts:
        _audit(
            actor,
            part,
            f"Read {part.organisation}'s audit answers for case {part.case.reference}",
            action=AuditAction.VIEW,
        )


# The multi-agency discussion ---------------------------------------------------------------


@transaction.atomic
def discussion_open(*, audit: CaseAudit, meeting: Meeting, on: dt.date, actor: Actor):
    """Open the multi-agency discussion at a meeting of the owning group: from now the
    agencies' answers for each case are seen side by side."""
    if audit.status != CaseAuditStatus.DISTRIBUTED:
        raise ValidationError("The discussion opens once the audit forms have gone out")
    if meeting.group_id != audit.group_id or meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": f"Choose a meeting of the {audit.group}"})
    audit.discussion_meeting, audit.discussion_opened_on = meeting, on
    audit.status = CaseAuditStatus.DISCUSSION
    audit.save(update_fields=["discussion_meeting", "discussion_opened_on", "status"])
    _audit(actor, audit, f"Opened the multi-agency discussion at {meeting.title}")
    return audit


@transaction.atomic
def case_judgement_record(
    *, case: AuditCase, grade: str, judgement: str, on: dt.date, actor: Actor
) -> AuditCase:
    """The joint judgement the discussion reached on a case, on the audit's scale."""
    audit = case.audit
    if not audit.discussion_open:
        raise ValidationError("The joint judgement is recorded at the discussion")
    if grade not in audit.grade_scale:
        raise ValidationError(
            {"grade": f"Choose a grade on the audit's scale: {', '.join(audit.grade_scale)}"}
        )
    case.joint_grade, case.joint_judgement = grade, judgement.strip()
    case.judged_on, case.judged_by = on, actor.user
    case.save(update_fields=["joint_grade", "joint_judgement", "judged_on", "judged_by"])
    _audit(actor, audit, f"Recorded the joint judgement on case {case.reference}: {grade}")
    return case


# Findings, recommendations and actions -----------------------------------------------------


@transaction.atomic
def finding_add(*, audit: CaseAudit, kind: str, text: str, actor: Actor) -> CaseAuditFinding:
    finding = CaseAuditFinding.objects.create(audit=audit, kind=kind, text=text.strip())
    _audit(actor, audit, f"Added a finding ({finding.get_kind_display().lower()})")
    return finding


@transaction.atomic
def recommendation_add(*, audit: CaseAudit, text: str, actor: Actor) -> CaseAuditRecommendation:
    CaseAudit.objects.select_for_update().filter(pk=audit.pk).first()
    last = audit.recommendations.aggregate(last=Max("number"))["last"] or 0
    recommendation = CaseAuditRecommendation.objects.create(
        audit=audit, number=last + 1, text=text.strip()
    )
    _audit(actor, audit, f"Added recommendation {recommendation.number}")
    return recommendation


@transaction.atomic
def action_add(
    *,
    recommendation: CaseAuditRecommendation,
    description: str,
    owner,
    due_on: dt.date,
    actor: Actor,
) -> CaseAuditAction:
    """An action answering a recommendation, owned by a named person of their agency."""
    if owner.organisation_id is None:
        raise ValidationError({"owner": "The owner must belong to an agency"})
    action = CaseAuditAction.objects.create(
        recommendation=recommendation,
        description=description.strip(),
        organisation_id=owner.organisation_id,
        owner=owner,
        due_on=due_on,
    )
    _audit(
        actor,
        action,
        f"Added an action for recommendation {recommendation.number}, owned by {owner}",
        action=AuditAction.CREATE,
    )
    return action


@transaction.atomic
def action_submit_evidence(
    *, action: CaseAuditAction, evidence: str, on: dt.date, actor: Actor
) -> CaseAuditAction:
    if action.status == CaseActionStatus.SIGNED_OFF:
        raise ValidationError("The action has been signed off: its evidence cannot change")
    if not evidence.strip():
        raise ValidationError({"evidence": "Describe the evidence that the action is complete"})
    action.evidence, action.evidence_submitted_on = evidence.strip(), on
    action.status = CaseActionStatus.EVIDENCE_SUBMITTED
    action.save(update_fields=["evidence", "evidence_submitted_on", "status"])
    _audit(actor, action, "Submitted the evidence that the action is complete")
    return action


@transaction.atomic
def action_sign_off(
    *, action: CaseAuditAction, notes: str, on: dt.date, actor: Actor
) -> CaseAuditAction:
    if action.status != CaseActionStatus.EVIDENCE_SUBMITTED:
        raise ValidationError("The action can be signed off once its evidence is in")
    action.status, action.signed_off_on, action.signed_off_by = (
        CaseActionStatus.SIGNED_OFF,
        on,
        actor.user,
    )
    action.sign_off_notes = notes.strip()
    action.save(update_fields=["status", "signed_off_on", "signed_off_by", "sign_off_notes"])
    _audit(actor, action, "Signed the action off")
    return action


# The report --------------------------------------------------------------------------------


def next_meeting(audit: CaseAudit, *, now=None):
    """The owning group's next meeting that has not started and is not cancelled."""
    return (
        Meeting.objects.not_cancelled()
        .filter(group_id=audit.group_id, starts_at__gt=now or timezone.now())
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def report_send(*, audit: CaseAudit, pdf: bytes, actor: Actor):
    """Put the report on the agenda of the group's next meeting as a paper, in one step."""
    if not audit.discussion_open:
        raise ValidationError("The report goes to the group after the discussion")
    meeting = next_meeting(audit)
    if meeting is None:
        raise ValidationError(f"The {audit.group} has no meeting coming up: schedule one first")
    item = governance.agenda_item_add(
        meeting=meeting,
        title=f"Multi-agency case audit: {audit.title}",
        presenter=audit.lead.full_name,
        description="The audit's report, findings and recommendations.",
        actor=actor,
    )
    paper = governance.paper_upload(
        item=item,
        title=f"Case audit report: {audit.title}",
        upload=ContentFile(pdf, name=f"case-audit-{audit.pk}.pdf"),
        restricted=False,
        actor=actor,
    )
    audit.report_paper, audit.status = paper, CaseAuditStatus.REPORTED
    audit.save(update_fields=["report_paper", "status"])
    _audit(actor, audit, f"Sent the report to {meeting.title}")
    return paper
