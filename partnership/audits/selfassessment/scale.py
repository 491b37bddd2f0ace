"""Scale data for the self-assessments: a section 175 cycle for `settings` schools against
`standards` standards (600 × 40 at the bench's scale), made in bulk, with two in three
returns submitted and a third of the answers not met (each with an action)."""

import datetime as dt

from django.utils import timezone

from partnership.directory.models import Organisation, OrganisationKind

from .models import (
    ActionPlanItem,
    Answer,
    AssessmentKind,
    Cycle,
    Phase,
    ReturnStatus,
    Scale,
    SelfAssessment,
    SettingPhase,
    Standard,
    StandardSet,
)

PREFIX = "Scale setting"
PHASES = [Phase.PRIMARY, Phase.PRIMARY, Phase.SECONDARY, Phase.EARLY_YEARS, Phase.SPECIAL]


def scale_self_assessments(
    settings: int = 600, standards: int = 40, *, owner=None, starts: dt.date | None = None
) -> Cycle:
    number = StandardSet.objects.filter(slug="scale-kcsie").count() + 1
    standard_set = StandardSet.objects.create(
        kind=AssessmentKind.SECTION_175,
        slug="scale-kcsie",
        version=number,
        name=f"Scale KCSIE set {number}",
    )
    Standard.objects.bulk_create(
        Standard(
            standard_set=standard_set,
            number=n,
            code=str(n),
            title=f"Standard {n}",
            theme=f"Theme {n % 7}",
        )
        for n in range(1, standards + 1)
    )
    starts = starts or timezone.localdate() - dt.timedelta(weeks=4)
    cycle = Cycle.objects.create(
        kind=AssessmentKind.SECTION_175,
        name=f"Scale cycle {number}",
        standard_set=standard_set,
        scale=Scale.RAG,
        starts_on=starts,
        window_closes_on=starts + dt.timedelta(weeks=8),
        moderation_by=starts + dt.timedelta(weeks=12),
        challenge_event_on=starts,
        feedback_by=starts,
        actions_due_on=starts + dt.timedelta(weeks=30),
        next_cycle_on=starts + dt.timedelta(weeks=104),
    )
    first = Organisation.objects.filter(name__startswith=PREFIX).count()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"{PREFIX} {n}", slug=f"scale-setting-{n}", kind=OrganisationKind.SCHOOL)
        for n in range(first, first + settings)
    )
    SettingPhase.objects.bulk_create(
        SettingPhase(organisation=o, phase=PHASES[i % len(PHASES)])
        for i, o in enumerate(organisations)
    )
    now = timezone.now()
    returns = SelfAssessment.objects.bulk_create(
        SelfAssessment(
            cycle=cycle,
            organisation=o,
            status=ReturnStatus.SUBMITTED if i % 3 else ReturnStatus.DRAFT,
            submitted_at=now if i % 3 else None,
        )
        for i, o in enumerate(organisations)
    )
    standard_rows = list(standard_set.standards.all())
    answers = Answer.objects.bulk_create(
        Answer(assessment=r, standard=s, score=(i + j) % 3, narrative="Scale answer")
        for i, r in enumerate(returns)
        for j, s in enumerate(standard_rows)
    )
    ActionPlanItem.objects.bulk_create(
        ActionPlanItem(answer=a, action="Scale action", owner=owner, due_on=cycle.actions_due_on)
        for a in answers
        if a.score == 0
    )
    return cycle
