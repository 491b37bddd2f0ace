"""Section 11 (Children Act 2004) and section 175/157 (Education Act 2002) self-assessments.

One engine serves both: a versioned set of standards, a cycle with its timetable and rating
scale, one return per agency (or school) with an answer per standard, the moderated score and
the challenge, evidence files and an action plan item for each standard not met.

Every read of returns goes through `SelfAssessment.objects.visible_to(user)`: an agency sees
its own returns, the cycle's moderation panel sees the cycle's, the business unit sees all.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class AssessmentKind(models.TextChoices):
    SECTION_11 = "section_11", "Section 11 (Children Act 2004)"
    SECTION_175 = "section_175", "Section 175/157 (Education Act 2002)"


class Scale(models.TextChoices):
    NUMERIC = "0-3", "0 to 3"
    RAG = "rag", "Red, amber, green"


# A score is a small number on either scale; a standard is met at MET_FROM or above.
SCALE_LABELS = {
    Scale.NUMERIC: {0: "0: not met", 1: "1: partly met", 2: "2: met", 3: "3: exceeded"},
    Scale.RAG: {0: "Red: not met", 1: "Amber: partly met", 2: "Green: met"},
}
MET_FROM = 2


class Phase(models.TextChoices):
    EARLY_YEARS = "early_years", "Early years"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    SPECIAL = "special", "Special"
    ALTERNATIVE = "alternative", "Alternative provision"
    COLLEGE = "college", "Further education"


class StandardSet(models.Model):
    """One version of a set of standards. A new version is a new set; cycles keep theirs."""

    kind = models.CharField(max_length=12, choices=AssessmentKind.choices)
    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="one_standard_set_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("audits:sa-standard-set", kwargs={"pk": self.pk})


class Standard(models.Model):
    standard_set = models.ForeignKey(
        StandardSet, on_delete=models.CASCADE, related_name="standards"
    )
    number = models.PositiveIntegerField()
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    # What an agency should be able to show for the standard, one line each.
    items = models.JSONField(default=list, blank=True)
    # The training theme a standard not met points to ("Safer recruitment").
    theme = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["standard_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["standard_set", "code"], name="one_standard_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class TimetableSettings(models.Model):
    """The default timetable of a new cycle, in weeks from its start (one row)."""

    window_weeks = models.PositiveIntegerField(
        "Self-assessment window, in weeks", default=8, help_text="From the start of the cycle."
    )
    moderation_weeks = models.PositiveIntegerField(
        "Moderation, in weeks after the window closes", default=4
    )
    challenge_weeks = models.PositiveIntegerField(
        "Challenge event, in weeks after moderation", default=2
    )
    feedback_weeks = models.PositiveIntegerField(
        "Feedback, in weeks after the challenge event", default=2
    )
    action_weeks = models.PositiveIntegerField("Actions due, in weeks after feedback", default=12)
    cycle_years = models.PositiveIntegerField("Years between cycles", default=2)

    def __str__(self) -> str:
        return "Self-assessment timetable"

    @classmethod
    def load(cls) -> "TimetableSettings":
        return cls.objects.get_or_create(pk=1)[0]

    def timetable(self, starts_on: dt.date) -> dict[str, dt.date]:
        """Each stage's date, worked out from the start."""
        closes = starts_on + dt.timedelta(weeks=self.window_weeks)
        moderation = closes + dt.timedelta(weeks=self.moderation_weeks)
        challenge = moderation + dt.timedelta(weeks=self.challenge_weeks)
        feedback = challenge + dt.timedelta(weeks=self.feedback_weeks)
        try:
            next_cycle = starts_on.replace(year=starts_on.year + self.cycle_years)
        except ValueError:  # 29 February
            next_cycle = starts_on.replace(year=starts_on.year + self.cycle_years, day=28)
        return {
            "invitations_on": starts_on,
            "window_closes_on": closes,
            "moderation_by": moderation,
            "challenge_event_on": challenge,
            "feedback_by": feedback,
            "actions_due_on": feedback + dt.timedelta(weeks=self.action_weeks),
            "next_cycle_on": next_cycle,
        }


class CycleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cycles `user` takes part in: all for the business unit, the panel's for its
        members, and those with a return from the user's organisations."""
        from .rules import sees_every_return

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if sees_every_return(user):
            return self
        condition = models.Q(moderators=user)
        if user.agency_ids:
            condition |= models.Q(returns__organisation_id__in=user.agency_ids)
        ids = self.filter(condition).values("pk")
        return self.filter(pk__in=ids)


class Cycle(models.Model):
    kind = models.CharField(max_length=12, choices=AssessmentKind.choices)
    name = models.CharField(max_length=200)
    standard_set = models.ForeignKey(StandardSet, on_delete=models.PROTECT, related_name="cycles")
    scale = models.CharField(max_length=4, choices=Scale.choices, default=Scale.NUMERIC)
    starts_on = models.DateField()
    window_closes_on = models.DateField()
    moderation_by = models.DateField()
    challenge_event_on = models.DateField()
    feedback_by = models.DateField()
    actions_due_on = models.DateField()
    next_cycle_on = models.DateField()
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="moderated_cycles"
    )
    # The challenge event is a meeting of a group (governance).
    challenge_meeting = models.ForeignKey(
        "governance.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["kind", "-starts_on"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("audits:sa-cycle", kwargs={"pk": self.pk})

    @property
    def scale_labels(self) -> dict[int, str]:
        return SCALE_LABELS[Scale(self.scale)]

    @property
    def top_score(self) -> int:
        return max(self.scale_labels)

    def score_label(self, score) -> str:
        return "Not scored" if score is None else self.scale_labels.get(score, str(score))

    def timetable_rows(self) -> list[tuple[str, dt.date]]:
        return [
            ("Invitations and the window opens", self.starts_on),
            ("Returns due", self.window_closes_on),
            ("Moderation finished", self.moderation_by),
            ("Challenge event", self.challenge_event_on),
            ("Feedback to agencies", self.feedback_by),
            ("Actions due", self.actions_due_on),
            ("Next cycle", self.next_cycle_on),
        ]


class SettingPhase(models.Model):
    """A school's or college's phase, for the section 175 findings by phase."""

    organisation = models.OneToOneField(
        "directory.Organisation", on_delete=models.CASCADE, related_name="education_phase"
    )
    phase = models.CharField(max_length=12, choices=Phase.choices)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.get_phase_display()}"


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"
    MODERATED = "moderated", "Moderated"


class SelfAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Need to know: the business unit sees every return, a cycle's moderation panel the
        cycle's, an agency its own organisation's (docs/adr/0017)."""
        from .rules import sees_every_return

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if sees_every_return(user):
            return self
        condition = models.Q(cycle__moderators=user)
        if user.agency_ids:
            condition |= models.Q(organisation_id__in=user.agency_ids)
        ids = self.filter(condition).values("pk")
        return self.filter(pk__in=ids)


class SelfAssessment(models.Model):
    """One organisation's return for one cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="returns")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="self_assessments"
    )
    status = models.CharField(
        max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.NOT_STARTED
    )
    # A return reopened by the business unit after its window may be given a later date.
    due_on = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_from = models.CharField(max_length=200, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organisation"], name="one_self_assessment_per_cycle"
            )
        ]
        indexes = [models.Index(fields=["cycle", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("audits:sa-return", kwargs={"pk": self.pk})

    @property
    def deadline(self) -> dt.date:
        return self.due_on or self.cycle.window_closes_on

    @property
    def is_locked(self) -> bool:
        return self.status in (ReturnStatus.SUBMITTED, ReturnStatus.MODERATED)

    def is_late(self, today: dt.date) -> bool:
        return not self.is_locked and today > self.deadline


class Answer(models.Model):
    """An organisation's answer on one standard, and the moderation of it."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    narrative = models.TextField(blank=True)
    carried_forward = models.BooleanField(default=False)
    moderated_score = models.PositiveSmallIntegerField(null=True, blank=True)
    challenge = models.TextField(blank=True)
    challenge_response = models.TextField(blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["standard__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "standard"], name="one_answer_a_standard")
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.standard.code}"

    @property
    def final_score(self):
        """The moderated score where there is one, else the agency's own."""
        return self.score if self.moderated_score is None else self.moderated_score

    @property
    def is_met(self) -> bool:
        return self.final_score is not None and self.final_score >= MET_FROM

    @property
    def plan_item(self):
        """The action plan item on the standard, or None."""
        try:
            return self.action
        except ActionPlanItem.DoesNotExist:
            return None

    @property
    def moderated_down(self) -> bool:
        return (
            self.moderated_score is not None
            and self.score is not None
            and self.moderated_score < self.score
        )


def evidence_path(evidence, filename: str) -> str:
    return f"audits/evidence/{timezone.now():%Y/%m}/{filename}"


class Evidence(models.Model):
    """A file of evidence for an answer. An imported return lists its evidence without the
    files (the sending platform keeps them): `file` is then empty."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to=evidence_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    carried_forward = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["answer", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """What was submitted, each time: a reopened return keeps every earlier submission."""

    assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # [{"standard": code, "score": n, "narrative": "..."}]
    answers = models.JSONField(default=list)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_submission_number")
        ]

    def __str__(self) -> str:
        return f"Submission {self.number} of {self.assessment_id}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class ActionPlanItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(answer__assessment__in=SelfAssessment.objects.visible_to(user))


class ActionPlanItem(models.Model):
    """What an agency will do about a standard it has not met."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="action")
    action = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField()
    progress = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionPlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return f"Action on {self.answer.standard.code}"

    def get_absolute_url(self) -> str:
        return reverse("audits:sa-action", kwargs={"pk": self.pk})
