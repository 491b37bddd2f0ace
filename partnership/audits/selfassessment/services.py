"""Writes (and recorded reads) of self-assessments: each takes an Actor, runs in one
transaction and puts itself on the trail (docs/adr/0009, docs/adr/0017)."""

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partnership.accounts.models import Role, User
from partnership.directory.models import Organisation, OrganisationKind
from partnership.governance.models import AgendaItem, ItemKind, MeetingStatus
from partnership.governance.services import paper_upload
from partnership.trail.actors import Actor
from partnership.trail.models import Action
from partnership.trail.services import audit_record

from . import exchange, mail
from .models import (
    ActionPlanItem,
    ActionStatus,
    Answer,
    AssessmentKind,
    Cycle,
    Evidence,
    ReturnStatus,
    SelfAssessment,
    Standard,
    StandardSet,
    Submission,
    TimetableSettings,
)
from .standards import DEFAULT_SETS


def _refuse(message: str, field: str | None = None, code: str = "refused") -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


# --- The standards library -----------------------------------------------------------------


def _standard_set_create(cleaned: dict) -> StandardSet:
    standard_set = StandardSet.objects.create(
        kind=cleaned["kind"],
        slug=cleaned["slug"],
        version=cleaned["version"],
        name=cleaned["name"],
        description=cleaned["description"],
    )
    Standard.objects.bulk_create(
        Standard(standard_set=standard_set, **standard) for standard in cleaned["standards"]
    )
    return standard_set


@transaction.atomic
def standard_set_import(*, content: bytes, actor: Actor) -> StandardSet:
    """Add a standard set (or a new version of one) from a JSON file, checked whole: every
    problem is reported and nothing is saved unless all is well."""
    try:
        cleaned = exchange.check_standard_set(exchange.parse(content))
    except exchange.ExchangeRefused as refused:
        raise ValidationError({"file": refused.problems}) from None
    if StandardSet.objects.filter(slug=cleaned["slug"], version=cleaned["version"]).exists():
        raise _refuse(
            f"Version {cleaned['version']} of {cleaned['slug']} is already in the library: "
            "give the new set the next version number",
            "file",
        )
    standard_set = _standard_set_create(cleaned)
    audit_record(
        actor=actor, action=Action.CREATE, obj=standard_set, summary="Imported the standard set"
    )
    return standard_set


@transaction.atomic
def standard_sets_install_defaults(*, actor: Actor) -> list[StandardSet]:
    """Add the default sets (Working Together, the local 8, KCSIE) that are not there yet."""
    made = []
    for definition in DEFAULT_SETS:
        cleaned = exchange.check_standard_set(definition)
        if StandardSet.objects.filter(slug=cleaned["slug"], version=cleaned["version"]).exists():
            continue
        standard_set = _standard_set_create(cleaned)
        audit_record(
            actor=actor, action=Action.CREATE, obj=standard_set, summary="Added a default set"
        )
        made.append(standard_set)
    return made


# --- Cycles -------------------------------------------------------------------------------


def contacts_of(organisation_ids) -> dict[int, list[User]]:
    """Who fills in each organisation's return: its data submitters (their own organisation
    or the one their role is for), representatives and partner lead. One query."""
    roles = (Role.DATA_SUBMITTER, Role.GROUP_MEMBER, Role.PARTNER_LEAD)
    users = (
        User.objects.filter(is_active=True, role_grants__role__in=roles)
        .filter(
            Q(organisation_id__in=organisation_ids)
            | Q(role_grants__organisation_id__in=organisation_ids)
        )
        .prefetch_related("role_grants")
        .distinct()
    )
    found: dict[int, list[User]] = {pk: [] for pk in organisation_ids}
    for user in users:
        for organisation_id in user.agency_ids & set(found):
            found[organisation_id].append(user)
    return found


def _start_returns(cycle: Cycle, organisations, earlier: dict) -> list[SelfAssessment]:
    """Make each organisation's return, started from its return last cycle (`earlier`, by
    organisation id): answers, scores and files, matched by standard code. In bulk, so a
    cycle of 600 settings costs a handful of queries (and its emails)."""
    standards = list(cycle.standard_set.standards.all())
    assessments = SelfAssessment.objects.bulk_create(
        SelfAssessment(
            cycle=cycle, organisation=organisation, carried_from=earlier.get(organisation.pk)
        )
        for organisation in organisations
    )
    old_answers = {}
    if earlier:
        for answer in (
            Answer.objects.filter(assessment__in=list(earlier.values()))
            .select_related("standard")
            .prefetch_related("evidence")
        ):
            old_answers[(answer.assessment_id, answer.standard.code)] = answer
    made, old_of = [], []
    for assessment in assessments:
        before = earlier.get(assessment.organisation_id)
        for standard in standards:
            old = old_answers.get((before.pk, standard.code)) if before else None
            made.append(
                Answer(
                    assessment=assessment,
                    standard=standard,
                    score=old.final_score if old else None,
                    narrative=old.narrative if old else "",
                    carried_forward=old is not None,
                )
            )
            old_of.append(old)
    made = Answer.objects.bulk_create(made, batch_size=2000)
    Evidence.objects.bulk_create(
        (
            Evidence(
                answer=answer,
                name=item.name,
                file=item.file.name,
                size=item.size,
                carried_forward=True,
                uploaded_by_id=item.uploaded_by_id,
                uploaded_at=item.uploaded_at,
            )
            for answer, old in zip(made, old_of, strict=True)
            if old is not None
            for item in old.evidence.all()
        ),
        batch_size=2000,
    )
    return assessments


@transaction.atomic
def cycle_open(
    *,
    kind: str,
    name: str,
    standard_set: StandardSet,
    scale: str,
    starts_on: dt.date,
    organisations,
    moderators=(),
    actor: Actor,
) -> Cycle:
    """Open a cycle: its timetable worked out from the start, a return for each organisation
    (started from its return in the last cycle of the same kind) and an invitation emailed to
    each organisation's contacts."""
    if standard_set.kind != kind:
        raise _refuse("Choose a standard set made for this kind of self-assessment", "standard_set")
    organisations = list(organisations)
    if not organisations:
        raise _refuse("Choose at least one organisation to invite", "organisations")
    timetable = TimetableSettings.load().timetable(starts_on)
    previous = (
        Cycle.objects.filter(kind=kind, starts_on__lt=starts_on).order_by("-starts_on").first()
    )
    cycle = Cycle.objects.create(
        kind=kind,
        name=name.strip(),
        standard_set=standard_set,
        scale=scale,
        starts_on=starts_on,
        window_closes_on=timetable["window_closes_on"],
        moderation_by=timetable["moderation_by"],
        challenge_event_on=timetable["challenge_event_on"],
        feedback_by=timetable["feedback_by"],
        actions_due_on=timetable["actions_due_on"],
        next_cycle_on=timetable["next_cycle_on"],
        previous=previous,
        created_by=actor.user,
    )
    cycle.moderators.set(moderators)
    earlier = {}
    if previous is not None:
        earlier = {
            assessment.organisation_id: assessment
            for assessment in previous.returns.filter(organisation__in=organisations)
        }
    _start_returns(cycle, organisations, earlier)
    contacts = contacts_of([organisation.pk for organisation in organisations])
    for assessment in cycle.returns.select_related("organisation"):
        for person in contacts[assessment.organisation_id]:
            mail.invitation(assessment=assessment, person=person, actor=actor)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=cycle,
        summary=f"Opened the cycle for {len(organisations)} organisations",
    )
    return cycle


@transaction.atomic
def cycle_challenge_event_set(*, cycle: Cycle, meeting, actor: Actor) -> Cycle:
    """The challenge event is a meeting of a group: name it on the cycle."""
    if meeting.local_date < cycle.starts_on:
        raise _refuse("Choose a meeting after the cycle starts", "meeting")
    cycle.challenge_meeting = meeting
    cycle.challenge_event_on = meeting.local_date
    cycle.save(update_fields=["challenge_meeting", "challenge_event_on"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=cycle,
        summary=f"Set the challenge event: {meeting.title}",
    )
    return cycle


# The standing item a board takes the self-assessments under (Knowsley's Strategic Forum and
# Core Business Group: "Section 11, section 175 reviews"): matched on its words.
SUMMARY_ITEM_WORDS = "section 11"


def summary_meeting(*, now=None):
    """The next meeting, not cancelled and not yet started, whose agenda has the standing item
    on section 11 and section 175; None if there is none."""
    item = (
        AgendaItem.objects.filter(
            kind=ItemKind.STANDING,
            title__icontains=SUMMARY_ITEM_WORDS,
            meeting__starts_at__gt=now or timezone.now(),
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting__group")
        .order_by("meeting__starts_at", "position")
        .first()
    )
    return item


@transaction.atomic
def cycle_summary_send(*, cycle: Cycle, pdf: bytes, actor: Actor, now=None):
    """Attach the cycle's summary, as a members' paper, to the standing item on section 11 and
    section 175 of the next meeting that has one, in one step. Returns the paper."""
    item = summary_meeting(now=now)
    if item is None:
        raise _refuse(
            "No meeting coming up has a standing item on section 11 and section 175 reviews: "
            "schedule the group's next meeting, or add the item to the group's effectiveness "
            "areas, then send the summary"
        )
    paper = paper_upload(
        item=item,
        title=f"Summary: {cycle.name}",
        upload=ContentFile(pdf, name=f"self-assessment-cycle-{cycle.pk}-summary.pdf"),
        restricted=True,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=cycle,
        summary=f"Sent the cycle's summary to {item.meeting.title}, item {item.position}",
    )
    return paper


# --- Returns ------------------------------------------------------------------------------


def assessment_read(*, assessment: SelfAssessment, actor: Actor) -> None:
    """Every read of a return is on the trail."""
    audit_record(actor=actor, action=Action.VIEW, obj=assessment, summary="Read the return")


def cycle_export_read(*, cycle: Cycle, actor: Actor) -> None:
    """The cycle's XLSX holds every return's scores: its download is on the trail."""
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        obj=cycle,
        summary="Downloaded every return's scores (XLSX)",
    )


def evidence_read(*, evidence: Evidence, actor: Actor) -> None:
    audit_record(
        actor=actor,
        action=Action.DOWNLOAD,
        obj=evidence.answer.assessment,
        summary=f"Downloaded the evidence file {evidence.name}",
    )


def _check_editable(assessment: SelfAssessment) -> None:
    if assessment.is_locked:
        raise _refuse("The return has been submitted: ask the business unit to reopen it")


def _check_score(assessment: SelfAssessment, score, field: str = "score") -> None:
    if score is not None and score not in assessment.cycle.scale_labels:
        raise _refuse(f"The score must be from 0 to {assessment.cycle.top_score}", field)


@transaction.atomic
def answer_save(
    *,
    answer: Answer,
    score: int | None,
    narrative: str,
    upload=None,
    actor: Actor,
) -> Answer:
    """Save an answer (a partial save: the return stays open), with a new evidence file."""
    assessment = answer.assessment
    _check_editable(assessment)
    _check_score(assessment, score)
    answer.score = score
    answer.narrative = narrative.strip()
    answer.updated_at = timezone.now()
    answer.save(update_fields=["score", "narrative", "updated_at"])
    if upload is not None:
        evidence = Evidence(
            answer=answer, name=upload.name[:200], size=upload.size, uploaded_by=actor.user
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
    if assessment.status == ReturnStatus.NOT_STARTED:
        assessment.status = ReturnStatus.DRAFT
        assessment.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=assessment,
        summary=f"Saved the answer on standard {answer.standard.code}"
        + (" with a new evidence file" if upload is not None else ""),
    )
    return answer


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: Actor) -> None:
    """Take a file off an answer (a carried-forward file stays with last cycle's return)."""
    assessment = evidence.answer.assessment
    _check_editable(assessment)
    name = evidence.name
    evidence.delete()
    audit_record(
        actor=actor,
        action=Action.DELETE,
        obj=assessment,
        summary=f"Removed the evidence file {name}",
    )


def _member_of(user, assessment: SelfAssessment):
    """`user` if they are in the return's organisation (an action's owner), else None."""
    if user is not None and assessment.organisation_id in user.agency_ids:
        return user
    return None


def _action_for(answer: Answer, owner, due_on: dt.date) -> ActionPlanItem | None:
    """The standard is not met: make sure it has an action plan item."""
    if answer.is_met or answer.plan_item is not None:
        return None
    return ActionPlanItem.objects.create(
        answer=answer,
        action=f"Meet standard {answer.standard.code}: {answer.standard.title}",
        owner=owner,
        due_on=due_on,
    )


@transaction.atomic
def assessment_submit(*, assessment: SelfAssessment, actor: Actor, today: dt.date) -> Submission:
    """Submit the return: every standard scored, within the window (or the date it was
    given on reopening). It is then locked; an action plan item is made for each standard
    not met, for the person who submitted it."""
    _check_editable(assessment)
    if today > assessment.deadline:
        raise _refuse(
            f"The window closed on {assessment.deadline:%-d %B %Y}: ask the business unit to "
            "reopen the return with a new date",
            code="late",
        )
    answers = list(assessment.answers.select_related("standard"))
    missing = [answer.standard.code for answer in answers if answer.score is None]
    if missing:
        raise _refuse(f"Score every standard before you submit: {', '.join(missing)} not scored")
    number = assessment.submissions.count() + 1
    submission = Submission.objects.create(
        assessment=assessment,
        number=number,
        submitted_by=actor.user,
        answers=[
            {"standard": a.standard.code, "score": a.score, "narrative": a.narrative}
            for a in answers
        ],
    )
    assessment.status = ReturnStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor.user
    assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    existing = set(
        ActionPlanItem.objects.filter(answer__assessment=assessment).values_list(
            "answer_id", flat=True
        )
    )
    owner = _member_of(actor.user, assessment)
    for answer in answers:
        if answer.pk not in existing:
            _action_for(answer, owner, assessment.cycle.actions_due_on)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=assessment,
        summary=f"Submitted the return (submission {number})",
    )
    return submission


@transaction.atomic
def assessment_reopen(
    *, assessment: SelfAssessment, reason: str, due_on: dt.date, actor: Actor, today: dt.date
) -> SelfAssessment:
    """Reopen a submitted return for changes. What was submitted is kept."""
    if not assessment.is_locked:
        raise _refuse("The return is not submitted, so it is already open")
    if due_on < today:
        raise _refuse("The new date must be today or later", "due_on")
    last = assessment.submissions.order_by("-number").first()
    if last is not None:
        last.reopened_at = timezone.now()
        last.reopened_reason = reason.strip()
        last.save(update_fields=["reopened_at", "reopened_reason"])
    assessment.status = ReturnStatus.DRAFT
    assessment.due_on = due_on
    assessment.save(update_fields=["status", "due_on"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=assessment,
        summary=f"Reopened the return until {due_on:%-d %B %Y}: {reason.strip()}",
    )
    return assessment


@transaction.atomic
def answer_moderate(
    *, answer: Answer, moderated_score: int, challenge: str, actor: Actor
) -> Answer:
    """Record the moderated score and the challenge. A standard it leaves not met gets an
    action plan item, for the person who submitted the return."""
    assessment = answer.assessment
    if not assessment.is_locked:
        raise _refuse("Only a submitted return can be moderated")
    if moderated_score is None:
        raise _refuse("Choose the moderated score", "moderated_score")
    _check_score(assessment, moderated_score, "moderated_score")
    before = answer.final_score
    answer.moderated_score = moderated_score
    answer.challenge = challenge.strip()
    answer.moderated_at = timezone.now()
    answer.moderated_by = actor.user
    answer.save(update_fields=["moderated_score", "challenge", "moderated_at", "moderated_by"])
    if assessment.status != ReturnStatus.MODERATED:
        assessment.status = ReturnStatus.MODERATED
        assessment.save(update_fields=["status"])
    _action_for(
        answer, _member_of(assessment.submitted_by, assessment), assessment.cycle.actions_due_on
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=assessment,
        summary=f"Moderated standard {answer.standard.code}",
        changes={"score": [before, moderated_score]},
    )
    return answer


@transaction.atomic
def challenge_answer(*, answer: Answer, response: str, actor: Actor) -> Answer:
    """The agency's answer to the moderators' challenge."""
    if not answer.challenge:
        raise _refuse("There is no challenge on this standard to answer")
    if not response.strip():
        raise _refuse("Enter your answer to the challenge", "response")
    answer.challenge_response = response.strip()
    answer.save(update_fields=["challenge_response"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=answer.assessment,
        summary=f"Answered the challenge on standard {answer.standard.code}",
    )
    return answer


@transaction.atomic
def action_update(
    *, action: ActionPlanItem, owner, due_on: dt.date, progress: str, status: str, actor: Actor
) -> ActionPlanItem:
    """Change an action plan item: its owner (someone in the organisation), due date,
    progress and whether it is done."""
    organisation_id = action.answer.assessment.organisation_id
    if owner is not None and organisation_id not in owner.agency_ids:
        raise _refuse("The owner must be someone in the organisation", "owner")
    if status == ActionStatus.DONE and not progress.strip():
        raise _refuse("Say what was done before you mark the action done", "progress")
    action.owner = owner
    action.due_on = due_on
    action.progress = progress.strip()
    action.status = status
    action.save(update_fields=["owner", "due_on", "progress", "status"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=action.answer.assessment,
        summary=f"Updated the action on standard {action.answer.standard.code}",
    )
    return action


@transaction.atomic
def chasers_send(*, cycle: Cycle, actor: Actor, today: dt.date) -> int:
    """Email the contacts of every organisation whose return is not in; returns how many
    organisations were chased."""
    outstanding = list(
        cycle.returns.exclude(
            status__in=(ReturnStatus.SUBMITTED, ReturnStatus.MODERATED)
        ).select_related("organisation", "cycle")
    )
    contacts = contacts_of([assessment.organisation_id for assessment in outstanding])
    now = timezone.now()
    for assessment in outstanding:
        for person in contacts[assessment.organisation_id]:
            mail.chaser(assessment=assessment, person=person, today=today, actor=actor)
    SelfAssessment.objects.filter(pk__in=[a.pk for a in outstanding]).update(chased_at=now)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=cycle,
        summary=f"Chased {len(outstanding)} organisations for their returns",
    )
    return len(outstanding)


@transaction.atomic
def leads_invite(*, cycle: Cycle, leads, actor: Actor) -> int:
    """Section 175: for each row, the school (made if new, with its phase), its return in the
    cycle (started from its last one), the designated safeguarding lead's account with a data
    submitter role for the school, and their invitation to set a password and to the return.
    The rows were checked whole (`invitations.read_leads`); returns how many were invited."""
    from django.utils.text import slugify

    from partnership.accounts import services as accounts

    from .models import SettingPhase

    if cycle.kind != AssessmentKind.SECTION_175:
        raise _refuse("Designated safeguarding leads are invited to section 175 cycles", "file")
    previous = (
        {assessment.organisation_id: assessment for assessment in cycle.previous.returns.all()}
        if cycle.previous_id
        else {}
    )
    for lead in leads:
        school = Organisation.objects.filter(name__iexact=lead.setting).first()
        if school is None:
            slug = slugify(lead.setting)[:70] or "school"
            if Organisation.objects.filter(slug=slug).exists():
                slug = f"{slug[:60]}-{Organisation.objects.count() + 1}"
            school = Organisation.objects.create(
                name=lead.setting, slug=slug, kind=OrganisationKind.SCHOOL
            )
        SettingPhase.objects.update_or_create(organisation=school, defaults={"phase": lead.phase})
        assessment = SelfAssessment.objects.filter(cycle=cycle, organisation=school).first()
        if assessment is None:
            earlier = {school.pk: previous[school.pk]} if school.pk in previous else {}
            assessment = _start_returns(cycle, [school], earlier)[0]
        user = User.objects.filter(email__iexact=lead.email).first()
        if user is None:
            user = accounts.account_create(
                email=lead.email,
                full_name=lead.full_name,
                job_title="Designated Safeguarding Lead",
                organisation=school,
                actor=actor,
            )
            accounts.role_grant(
                user=user, role=Role.DATA_SUBMITTER, organisation=school, actor=actor
            )
            accounts.invitation_send(user=user, actor=actor)
        mail.invitation(assessment=assessment, person=user, actor=actor)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=cycle,
        summary=f"Invited {len(leads)} designated safeguarding leads",
    )
    return len(leads)


# --- Submit once, share with several partnerships -----------------------------------------


def _answers_for_export(assessment):
    return list(assessment.answers.select_related("standard").prefetch_related("evidence"))


@transaction.atomic
def assessment_export(*, assessment: SelfAssessment, actor: Actor) -> bytes:
    """The return as a JSON file for another partnership's platform to import."""
    standards = list(assessment.cycle.standard_set.standards.all())
    document = exchange.return_document(assessment, _answers_for_export(assessment), standards)
    audit_record(
        actor=actor, action=Action.EXPORT, obj=assessment, summary="Exported the return as a file"
    )
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


@transaction.atomic
def assessment_import(*, content: bytes, file_name: str, actor: Actor) -> SelfAssessment:
    """Import a return exported by another platform, checked whole. The standard set, the
    cycle and the organisation are made when they are not here yet; a return already here
    for that cycle and organisation is refused (nothing is overwritten)."""
    try:
        cleaned = exchange.check_return(exchange.parse(content))
    except exchange.ExchangeRefused as refused:
        raise ValidationError({"file": refused.problems}) from None
    wanted = cleaned["standard_set"]
    standard_set = StandardSet.objects.filter(
        slug=wanted["slug"], version=wanted["version"]
    ).first()
    if standard_set is None:
        standard_set = _standard_set_create(wanted)
    else:
        here = set(standard_set.standards.values_list("code", flat=True))
        if here != {standard["code"] for standard in wanted["standards"]}:
            raise _refuse(
                f"The file's {wanted['slug']} version {wanted['version']} has other standards "
                "than this platform's: the sets must match",
                "file",
            )
    details = cleaned["cycle"]
    cycle = Cycle.objects.filter(
        kind=details["kind"], name=details["name"], starts_on=details["starts_on"]
    ).first()
    if cycle is None:
        timetable = TimetableSettings.load().timetable(details["starts_on"])
        cycle = Cycle.objects.create(
            kind=details["kind"],
            name=details["name"],
            standard_set=standard_set,
            scale=details["scale"],
            starts_on=details["starts_on"],
            created_by=actor.user,
            **{key: value for key, value in timetable.items() if key != "invitations_on"},
        )
    elif cycle.standard_set_id != standard_set.pk or cycle.scale != details["scale"]:
        raise _refuse("The cycle here uses another standard set or scale than the file", "file")
    kind = (
        OrganisationKind.SCHOOL
        if details["kind"] == AssessmentKind.SECTION_175
        else OrganisationKind.RELEVANT_AGENCY
    )
    organisation = Organisation.objects.filter(name__iexact=cleaned["organisation"]).first()
    if organisation is None:
        from django.utils.text import slugify

        slug = slugify(cleaned["organisation"])[:70] or "organisation"
        if Organisation.objects.filter(slug=slug).exists():
            slug = f"{slug}-{Organisation.objects.count() + 1}"
        organisation = Organisation.objects.create(
            name=cleaned["organisation"], slug=slug, kind=kind
        )
    if SelfAssessment.objects.filter(cycle=cycle, organisation=organisation).exists():
        raise _refuse(
            f"{organisation.name} already has a return in {cycle.name}: nothing was imported",
            "file",
        )
    assessment = SelfAssessment.objects.create(
        cycle=cycle,
        organisation=organisation,
        status=ReturnStatus.SUBMITTED,
        submitted_at=timezone.now(),
        imported_from=file_name[:200],
    )
    standards = {standard.code: standard for standard in standard_set.standards.all()}
    given = {answer["standard"]: answer for answer in cleaned["answers"]}
    answers = Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            standard=standard,
            score=given.get(code, {}).get("score"),
            moderated_score=given.get(code, {}).get("moderated_score"),
            narrative=given.get(code, {}).get("narrative", ""),
        )
        for code, standard in standards.items()
    )
    by_code = {answer.standard.code: answer for answer in answers}
    Evidence.objects.bulk_create(
        Evidence(answer=by_code[code], name=item["name"], size=item["size"])
        for code, answer in given.items()
        for item in answer["evidence"]
    )
    Submission.objects.create(
        assessment=assessment,
        number=1,
        submitted_by=actor.user,
        answers=[
            {"standard": code, "score": answer["score"], "narrative": answer["narrative"]}
            for code, answer in given.items()
        ],
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=assessment,
        summary=f"Imported the return from {file_name[:200]}",
    )
    return assessment
