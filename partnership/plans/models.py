"""The business plan: from vision to actions, with thematic leads reporting.

A plan has a period, a vision and a mission, and its enablers, guiding principles and key
outcomes as ordered statements. Its priorities each link to a governance priority (the
theme of the Strategic Forum's meetings, see docs/adr/0008) and have a lead organisation
and a named lead; each priority has outcomes ("how will we achieve our priorities"), and
each outcome has actions with owners, due dates and progress updates rated red, amber or
green. The RAG rule is in `rag.py`.

Statuses are moved only by the functions in `services.py`.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from .rag import Rag, action_rag


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CURRENT = "current", "Current"
    CLOSED = "closed", "Closed"


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Partnership staff read every plan, drafts included."""
        return self if user.has_perm("plans.view_plan") else self.none()

    def published(self):
        """What the public plan-on-a-page may show: every plan but drafts."""
        return self.exclude(status=PlanStatus.DRAFT)

    def current(self):
        return self.filter(status=PlanStatus.CURRENT).order_by("-starts_on")


class Plan(models.Model):
    """A business plan for a period, e.g. 2020-2022."""

    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    vision = models.TextField()
    mission = models.TextField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="plan_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", kwargs={"slug": self.slug})

    @property
    def period(self) -> str:
        return f"{self.starts_on:%B %Y} to {self.ends_on:%B %Y}"


class StatementKind(models.TextChoices):
    ENABLER = "enabler", "Enablers"
    PRINCIPLE = "principle", "Guiding principles"
    KEY_OUTCOME = "key_outcome", "Key outcomes"


class Statement(models.Model):
    """One enabler, guiding principle or key outcome of a plan, in order."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(max_length=20, choices=StatementKind.choices)
    text = models.TextField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "position"], name="one_statement_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class PlanPriority(models.Model):
    """A priority in a plan, tied to the governance priority that themes the meetings."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    priority = models.ForeignKey(
        "governance.Priority",
        on_delete=models.PROTECT,
        related_name="plan_priorities",
        help_text="The strategic priority (and Strategic Forum theme) this is.",
    )
    statement = models.TextField(
        blank=True, help_text='How the plan words it, e.g. "Safeguarding and protecting ...".'
    )
    lead_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="plan_priorities"
    )
    lead = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_plan_priorities",
        help_text="The named thematic lead, who reports on the priority and updates its actions.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name_plural = "plan priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "priority"], name="one_plan_priority_each")
        ]

    def __str__(self) -> str:
        return self.priority.name

    def get_absolute_url(self) -> str:
        return reverse("plans:priority", kwargs={"pk": self.pk})

    @property
    def name(self) -> str:
        return self.priority.name


class Outcome(models.Model):
    """An outcome of a priority: how the partnership will achieve it."""

    priority = models.ForeignKey(PlanPriority, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETE = "complete", "Complete"
    CARRIED_OVER = "carried_over", "Carried over"


class RagRating(models.TextChoices):
    """What a progress update says. (Not yet rated is what an action with none has.)"""

    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk"
    GREEN = "green", "Green: on track"
    COMPLETE = "complete", "Complete"


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Actions are partnership business: all partnership staff may read them."""
        return self if user.has_perm("plans.view_plan") else self.none()

    def with_latest_update(self):
        """Each action with its latest update's rating and time, in the same query."""
        latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-id")
        return self.annotate(
            latest_rag=Subquery(latest.values("rag")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )

    def unfinished(self):
        return self.filter(status=ActionStatus.OPEN)


class Action(models.Model):
    """An action towards an outcome, with its owner, due date and measure of success."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="plan_actions"
    )
    owner_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="plan_actions"
    )
    due_on = models.DateField()
    measure_of_success = models.TextField()
    indicators = models.ManyToManyField(
        "performance.Indicator", blank=True, related_name="plan_actions"
    )
    recommendations = models.ManyToManyField(
        "reviews.Recommendation", blank=True, related_name="plan_actions"
    )
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text="The unfinished action of an earlier plan this one continues.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["outcome", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:action", kwargs={"pk": self.pk})

    def rag(self, today=None) -> Rag | None:
        """The action's rating by the RAG rule; needs `with_latest_update()`."""
        return action_rag(
            complete=self.status == ActionStatus.COMPLETE,
            carried_over=self.status == ActionStatus.CARRIED_OVER,
            due_on=self.due_on,
            latest=getattr(self, "latest_rag", None),
            today=today or timezone.localdate(),
        )

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN


def evidence_path(update: "ProgressUpdate", filename: str) -> str:
    """A random name: the uploader's file name is kept in the row, never trusted as a path."""
    extension = PurePath(filename).suffix.lower()
    if extension not in (".pdf", ".docx"):
        extension = ""
    return f"plans/evidence/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{extension}"


class ProgressUpdate(models.Model):
    """A progress update on an action: a RAG rating (required), a note and the evidence."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    rag = models.CharField("RAG rating", max_length=20, choices=RagRating.choices)
    note = models.TextField()
    evidence = models.TextField(blank=True)
    evidence_file = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    evidence_file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "-created_at", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_rag_display()} on {self.created_at:%Y-%m-%d}"


class ThematicNarrative(models.Model):
    """The thematic lead's own account for a themed meeting: what has gone well, what has
    not, and what they ask of the meeting. It heads the thematic lead's report."""

    meeting = models.OneToOneField(
        "governance.Meeting", on_delete=models.CASCADE, related_name="thematic_narrative"
    )
    text = models.TextField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return f"Thematic lead's narrative for meeting {self.meeting_id}"

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.text.split("\n\n") if part.strip()]
