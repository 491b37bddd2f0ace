"""Multi-agency case audits: the programme, each audit's tool, its sample of cases, each
involved agency's part, the joint judgement, findings, recommendations and their actions.

A case is known by its reference only (never a child's name). Statuses are moved only by
the functions in `services.py`.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

# The grade scale an audit uses unless it is given its own: Ofsted's four judgements.
OFSTED_GRADES = ["Outstanding", "Good", "Requires improvement", "Inadequate"]
# Kirklees' four areas (seed 004), the template a new audit starts from by default.
KIRKLEES_AREAS = [
    "Referral and identification of risk",
    "Quality of assessments",
    "Quality and effectiveness of plans",
    "Outcomes",
]
DEFAULT_RETURN_WORKING_DAYS = 20

# A case reference: letters and digits with / - _ . between, at least one digit, no spaces.
# A name ("Jane Smith", "Child A's mother") fails it, which is the point.
REFERENCE_PATTERN = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9/_.-]{1,39}$")


def validate_case_reference(value: str) -> None:
    if not REFERENCE_PATTERN.match(value or ""):
        raise ValidationError(
            "Enter the case's reference only, such as CSE-014: letters and numbers with "
            "no spaces, and at least one number. Never enter a child's name",
            code="not_a_reference",
        )


class CaseAuditTheme(models.TextChoices):
    # The learning themes reviews use live in `partnership.reviews`, which audits may not
    # import (sibling layers): the theme is a plain choice here (docs/adr/0018).
    CHILD_EXPLOITATION = "child_exploitation", "Child exploitation (CSE and CCE)"
    NEGLECT = "neglect", "Neglect"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    EARLY_HELP = "early_help", "Early help"
    MENTAL_HEALTH = "mental_health", "Emotional and mental health"
    SEXUAL_ABUSE = "sexual_abuse", "Child sexual abuse"
    DISABILITY = "disability", "Children with disabilities"
    OTHER = "other", "Other"


class CaseAuditStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    DISTRIBUTED = "distributed", "With the agencies"
    DISCUSSION = "discussion", "In discussion"
    REPORTED = "reported", "Reported"


class CaseAuditTemplate(models.Model):
    """A reusable question set: sections, each with its questions, and a grade scale."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    # [{"title": "...", "questions": ["...", ...]}, ...]
    sections = models.JSONField(default=list)
    grades = models.JSONField(default=list)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CaseAuditQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The business unit and the independent chair see every audit; the audit's lead and
        panel see it; an agency sees the audits it has a case part in, and a person the
        audits whose actions they own."""
        if not user.has_perm("audits.view_case_audits"):
            return self.none()
        if user.has_role("business_unit", "independent_chair"):
            return self
        parts = CaseAgency.objects.filter(
            Q(auditor=user) | Q(organisation_id=user.organisation_id or 0)
        ).values("case__audit_id")
        panels = CaseAudit.panel.through.objects.filter(user_id=user.pk).values("caseaudit_id")
        owned = CaseAuditAction.objects.filter(owner_id=user.pk).values("recommendation__audit_id")
        return self.filter(Q(lead=user) | Q(pk__in=panels) | Q(pk__in=parts) | Q(pk__in=owned))


class CaseAudit(models.Model):
    """One multi-agency case audit in the programme, on a theme, owned by a group."""

    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=30, choices=CaseAuditTheme.choices)
    priority = models.ForeignKey(
        "governance.Priority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_audits",
        help_text="The strategic priority the audit informs.",
    )
    group = models.ForeignKey(
        "governance.Group",
        on_delete=models.PROTECT,
        related_name="case_audits",
        help_text="The group that owns the audit and receives its report.",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_case_audits"
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="case_audit_panels"
    )
    starts_on = models.DateField("Planned start")
    report_due_on = models.DateField("Report due")
    grades = models.JSONField(default=list)
    return_working_days = models.PositiveSmallIntegerField(default=DEFAULT_RETURN_WORKING_DAYS)
    status = models.CharField(
        max_length=20, choices=CaseAuditStatus.choices, default=CaseAuditStatus.PLANNED
    )
    distributed_on = models.DateField(null=True, blank=True)
    returns_due_on = models.DateField(null=True, blank=True)
    discussion_meeting = models.ForeignKey(
        "governance.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_audit_discussions",
    )
    discussion_opened_on = models.DateField(null=True, blank=True)
    report_paper = models.ForeignKey(
        "governance.Paper", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = CaseAuditQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["theme", "starts_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:case_audit", kwargs={"pk": self.pk})

    @property
    def grade_scale(self) -> list[str]:
        return list(self.grades or OFSTED_GRADES)

    @property
    def discussion_open(self) -> bool:
        return self.discussion_opened_on is not None


class CaseAuditSection(models.Model):
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["audit", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "position"], name="case_one_audit_section_position"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CaseAuditQuestion(models.Model):
    section = models.ForeignKey(
        CaseAuditSection, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["section__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"], name="case_one_audit_question_position"
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class AuditCase(models.Model):
    """One case in the audit's sample, known by its reference only."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField(max_length=40, validators=[validate_case_reference])
    joint_grade = models.CharField(max_length=60, blank=True)
    joint_judgement = models.TextField(blank=True)
    judged_on = models.DateField(null=True, blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["audit", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "reference"], name="case_one_case_reference")
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("audits:case_audit_case", kwargs={"pk": self.audit_id, "case": self.pk})


class CasePartStatus(models.TextChoices):
    AWAITED = "awaited", "Awaited"
    RETURNED = "returned", "Returned"


class CaseAgencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The agency parts whose answers `user` may read: the business unit, all; an agency,
        its own; once the discussion opens, the panel, the lead, the chair and each agency
        involved in a case also see the other agencies' parts for that case."""
        if not user.has_perm("audits.view_case_audits"):
            return self.none()
        if user.has_role("business_unit"):
            return self
        own = Q(auditor=user) | Q(organisation_id=user.organisation_id or 0)
        opened = Q(case__audit__discussion_opened_on__isnull=False)
        if user.has_role("independent_chair"):
            return self.filter(own | opened)
        panels = CaseAudit.panel.through.objects.filter(user_id=user.pk).values("caseaudit_id")
        involved = CaseAgency.objects.filter(own).values("case_id")
        return self.filter(
            own
            | (
                opened
                & (
                    Q(case__audit__lead=user)
                    | Q(case__audit_id__in=panels)
                    | Q(case_id__in=involved)
                )
            )
        )


class CaseAgency(models.Model):
    """An agency involved in a case, and its part of the audit: one audit form."""

    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="agencies")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="case_audit_parts"
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_audit_parts",
        help_text="Who completes the agency's part (else anyone of the agency may).",
    )
    status = models.CharField(
        max_length=20, choices=CasePartStatus.choices, default=CasePartStatus.AWAITED
    )
    returned_on = models.DateField(null=True, blank=True)
    chasers_sent = models.PositiveSmallIntegerField(default=0)
    last_chased_on = models.DateField(null=True, blank=True)

    objects = CaseAgencyQuerySet.as_manager()

    class Meta:
        ordering = ["case", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"], name="case_one_part_per_agency"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["auditor", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} for case {self.case}"

    def get_absolute_url(self) -> str:
        return reverse(
            "audits:case_audit_answer",
            kwargs={"pk": self.case.audit_id, "case": self.case_id, "part": self.pk},
        )

    @property
    def returned(self) -> bool:
        return self.status == CasePartStatus.RETURNED


class CaseAnswer(models.Model):
    part = models.ForeignKey(CaseAgency, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        CaseAuditQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    grade = models.CharField(max_length=60)
    narrative = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["part", "question"], name="case_one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.part}: {self.grade}"


class CaseFindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    DEVELOPMENT = "development", "Area for development"


class CaseAuditFinding(models.Model):
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=CaseFindingKind.choices)
    text = models.TextField()

    class Meta:
        ordering = ["audit", "kind", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class CaseAuditRecommendation(models.Model):
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "number"], name="case_one_audit_recommendation"
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number} of {self.audit}"


class CaseActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence submitted"
    SIGNED_OFF = "signed_off", "Signed off"


class CaseAuditActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Actions are seen with their audit, and by their owner."""
        audits = CaseAudit.objects.visible_to(user).values("pk")
        return self.filter(Q(recommendation__audit_id__in=audits) | Q(owner=user))


class CaseAuditAction(models.Model):
    """An action answering a recommendation: an owner, a due date, evidence and sign-off,
    the same shape as a review recommendation's action."""

    recommendation = models.ForeignKey(
        CaseAuditRecommendation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="case_audit_actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_audit_actions"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=CaseActionStatus.choices, default=CaseActionStatus.OPEN
    )
    evidence = models.TextField(blank=True)
    evidence_submitted_on = models.DateField(null=True, blank=True)
    signed_off_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sign_off_notes = models.TextField(blank=True)

    objects = CaseAuditActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse(
            "audits:case_audit_action",
            kwargs={"pk": self.recommendation.audit_id, "action": self.pk},
        )
