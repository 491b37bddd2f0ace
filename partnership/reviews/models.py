"""Case reviews: serious incidents, rapid reviews, local child safeguarding practice reviews
(LCSPRs), publication, recommendations and their action plans, and learning themes.

One `Review` is the case file a serious incident opens; everything else hangs off it, so that
one scope (`Review.objects.visible_to(user)`) decides who may see any part of it.

Every statutory due date is stored, computed by `services` from the event that starts it and
the `ReviewRules` row, never typed in by a user. When the rules change, the dates of open
items are computed again; completed items keep the dates they were held to.
"""

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.models import Role
from partnership.governance.scopes import scope_q
from partnership.lib.clocks import add_months


def today():
    return timezone.localdate()


# Configuration --------------------------------------------------------------------------


class StartingEvent(models.TextChoices):
    AWARENESS = "awareness", "The date the local authority became aware of the incident"
    NOTIFICATION = "notification", "The date the Panel was notified"


def parse_offsets(text: str) -> list[int]:
    """ "5, 1" → [5, 1]: reminder offsets in working days, largest first."""
    return sorted({int(part) for part in re.split(r"[,\s]+", text.strip()) if part}, reverse=True)


class ReviewRules(models.Model):
    """The review clocks' numbers: one row, with the statutory defaults (STATUTORY.md).

    Guidance changes (Working Together 2018, then 2023) and partnerships set local patterns,
    so each number is configuration. Change it through `services.rules_update`, which moves
    the due dates of open reviews.
    """

    notification_working_days = models.PositiveSmallIntegerField(
        "Notify the Panel within (working days)", default=5
    )
    rapid_review_working_days = models.PositiveSmallIntegerField(
        "Rapid review decision due within (working days)", default=15
    )
    rapid_review_starts_from = models.CharField(
        "The rapid review's clock starts from",
        max_length=20,
        choices=StartingEvent.choices,
        default=StartingEvent.AWARENESS,
    )
    letters_day = models.PositiveSmallIntegerField(
        "Agency letters and requests for summaries sent by (working day)", default=1
    )
    summaries_day = models.PositiveSmallIntegerField(
        "Agency summaries due by (working day)", default=10
    )
    meeting_day = models.PositiveSmallIntegerField(
        "Rapid review panel meeting by (working day)", default=12
    )
    sign_off_day = models.PositiveSmallIntegerField(
        "Partners' sign-off by (working day)", default=15
    )
    publication_months = models.PositiveSmallIntegerField(
        "Publish the final report within (months of the decision)", default=6
    )
    pre_publication_notice_working_days = models.PositiveSmallIntegerField(
        "Send the report to the Panel and the Secretary of State (working days before publication)",
        default=7,
    )
    published_for_months = models.PositiveSmallIntegerField(
        "Keep published reports on the website for at least (months)", default=12
    )
    reminder_working_days = models.CharField(
        "Send reminders (working days before a deadline)", max_length=50, default="5, 1"
    )
    due_soon_working_days = models.PositiveSmallIntegerField(
        "Show a deadline as due soon from (working days before)", default=10
    )
    # Who is told (Working Together 2023, chapter 5): the Panel of every serious incident, by
    # statute; the rest are rules with the guidance's defaults. See `ReviewRules.recipients`.
    notify_partners = models.BooleanField(
        "Notify the safeguarding partners of a serious incident, as well as the Panel",
        default=True,
    )
    notify_looked_after_deaths = models.BooleanField(
        "Notify the Secretary of State and Ofsted of the death of a looked-after child, "
        "whether or not abuse or neglect is suspected",
        default=True,
    )
    care_leaver_age_limit = models.PositiveSmallIntegerField(
        "Notify the Secretary of State and Ofsted of the death of a care leaver up to and "
        "including the age of",
        default=24,
    )
    chair_sees_reviews = models.BooleanField(
        "The independent chair may read every review and the deadlines (never change them)",
        default=True,
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "review rules"

    def __str__(self) -> str:
        return "Review rules"

    @classmethod
    def current(cls) -> "ReviewRules":
        rules, _ = cls.objects.get_or_create(pk=1)
        return rules

    @property
    def reminder_offsets(self) -> list[int]:
        return parse_offsets(self.reminder_working_days)

    def recipients(self, incident: "Incident") -> list["Recipient"]:
        """Who must be told of `incident`, each within the notification working days of the
        local authority becoming aware (Working Together 2023, chapter 5), in the order a
        reader expects them:

        - a serious incident (abuse or neglect known or suspected, and the child died or was
          seriously harmed): the Panel, and the safeguarding partners;
        - the death of a looked-after child, whether or not abuse or neglect is suspected:
          the Secretary of State and Ofsted as well;
        - the death of a care leaver up to and including the age limit (24): the Secretary of
          State and Ofsted.
        """
        needed = []
        if incident.is_serious_incident:
            needed.append(Recipient.PANEL)
            if self.notify_partners:
                needed.append(Recipient.PARTNERS)
        if incident.outcome == IncidentOutcome.DIED and (
            (incident.looked_after and self.notify_looked_after_deaths)
            or (
                incident.care_leaver
                and incident.age is not None
                and incident.age <= self.care_leaver_age_limit
            )
        ):
            needed += [Recipient.OFSTED, Recipient.SECRETARY_OF_STATE]
        return needed


class ControlledTerm(models.Model):
    """A term in a controlled list, kept once used: retire it rather than delete it."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("In use", default=True)
    display_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        abstract = True
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name


class LearningTheme(ControlledTerm):
    """A learning theme (neglect, criminal exploitation, ...) tagged on reviews and recommendations."""


class AbuseType(ControlledTerm):
    """A type of abuse or harm recorded on a serious incident."""


# The review and its scope -----------------------------------------------------------------


class ReviewStatus(models.TextChoices):
    # A care leaver's death that is not a serious incident: notified, and no rapid review.
    NOTIFICATION_ONLY = "notification_only", "Notified: no rapid review"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    NO_FURTHER_REVIEW = "no_further_review", "No further review"
    LOCAL_REVIEW = "local_review", "Local review under way"
    NATIONAL_REVIEW = "national_review", "Referred for national review"
    PUBLISHED = "published", "Published"


REVIEW_STATUS_COLOURS = {
    ReviewStatus.NOTIFICATION_ONLY: "turquoise",
    ReviewStatus.RAPID_REVIEW: "yellow",
    ReviewStatus.NO_FURTHER_REVIEW: "grey",
    ReviewStatus.LOCAL_REVIEW: "blue",
    ReviewStatus.NATIONAL_REVIEW: "purple",
    ReviewStatus.PUBLISHED: "green",
}

# Roles that see every review: the business unit runs them, the partners' leads answer for them.
ROLES_SEEING_EVERY_REVIEW = (Role.BUSINESS_UNIT, Role.PARTNER_LEAD)
REVIEW_AND_LEARNING_GROUP = "review-and-learning-group"


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reviews `user` needs to know about; the one scope every view goes through.

        The business unit and the safeguarding partners' leads see every review, and so does
        the independent chair unless the rules say otherwise; members of
        the group that owns a review (the Review and Learning Group) see its reviews; anyone
        else only the reviews whose access list names them (a commissioned reviewer, a
        review-panel member). A commissioned reviewer sees their own review and nothing else,
        even if they sit on a group.
        """
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.has_role(*ROLES_SEEING_EVERY_REVIEW):
            return self
        # The chair scrutinises the arrangements, how serious cases are reviewed included:
        # reading is a rule the business unit can turn off; changing is never the chair's.
        if user.has_role(Role.INDEPENDENT_CHAIR) and ReviewRules.current().chair_sees_reviews:
            return self
        on_access_list = Q(pk__in=ReviewAccess.objects.filter(user_id=user.pk).values("review_id"))
        if user.roles == {Role.REVIEWER}:
            return self.filter(on_access_list)
        return self.filter(scope_q(user, group="group") | on_access_list)


class Review(models.Model):
    """A case file: the serious incident(s), the rapid review, any local review, publication,
    recommendations and their action plans."""

    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField(
        max_length=200,
        help_text='The children\'s pseudonyms, for example "Child Q and Child S". Never a real name.',
    )
    group = models.ForeignKey(
        "governance.Group",
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="The group that oversees the review; its members may see it.",
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_reviews",
        help_text="The member of the business unit who runs the review and is reminded of its deadlines.",
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.RAPID_REVIEW
    )
    # The earliest date the local authority became aware of one of the review's incidents:
    # kept here (by the services) to sort reviews and count them by year.
    aware_on = models.DateField(db_index=True)
    themes = models.ManyToManyField(LearningTheme, blank=True, related_name="reviews")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-aware_on", "-pk"]
        indexes = [models.Index(fields=["status", "-aware_on"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review", kwargs={"pk": self.pk})

    @property
    def status_colour(self) -> str:
        return REVIEW_STATUS_COLOURS.get(self.status, "grey")

    @property
    def has_rapid_review(self) -> bool:
        return getattr(self, "rapid_review", None) is not None

    @property
    def has_local_review(self) -> bool:
        # A missing reverse one-to-one is an AttributeError; Django caches the answer.
        return getattr(self, "local_review", None) is not None


class AccessReason(models.TextChoices):
    REVIEWER = "reviewer", "Commissioned reviewer"
    PANEL = "panel", "Review panel member"
    ADDED = "added", "Added by the business unit"


class ReviewAccess(models.Model):
    """A person named on a review's access list, and why."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_grants"
    )
    reason = models.CharField(max_length=20, choices=AccessReason.choices)
    added_on = models.DateField(default=today)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="one_access_grant_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.review.reference}"


# Serious incidents and notifications ----------------------------------------------------------


class IncidentOutcome(models.TextChoices):
    DIED = "died", "The child died"
    SERIOUSLY_HARMED = "seriously_harmed", "The child was seriously harmed"


class Incident(models.Model):
    """A serious incident: abuse or neglect known or suspected, and a child died or was
    seriously harmed; or the death of a care leaver, which is notified whether or not it is
    a serious incident too. Recorded under a pseudonym, never the person's name."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="incidents")
    child_pseudonym = models.CharField("Child's pseudonym", max_length=40)
    aware_on = models.DateField("Date the local authority became aware")
    occurred_on = models.DateField("Date of the incident")
    outcome = models.CharField("What happened", max_length=20, choices=IncidentOutcome.choices)
    looked_after = models.BooleanField("The child was looked after", default=False)
    child_protection_plan = models.BooleanField(
        "The child was on, or recently removed from, a child protection plan", default=False
    )
    educated_otherwise = models.BooleanField(
        "The child was educated otherwise than at school", default=False
    )
    institutional_setting = models.BooleanField(
        "The incident happened in an institutional setting", default=False
    )
    setting_description = models.CharField("The institutional setting", max_length=200, blank=True)
    abuse_types = models.ManyToManyField(AbuseType, related_name="incidents", blank=True)
    agencies = models.ManyToManyField(
        "directory.Organisation", related_name="review_incidents", blank=True
    )
    summary = models.TextField("Brief facts", blank=True)
    abuse_or_neglect = models.BooleanField("Abuse or neglect is known or suspected", default=True)
    care_leaver = models.BooleanField("The young person was a care leaver", default=False)
    age = models.PositiveSmallIntegerField("Age when they died", null=True, blank=True)

    class Meta:
        ordering = ["aware_on", "pk"]

    def __str__(self) -> str:
        return self.child_pseudonym

    @property
    def is_serious_incident(self) -> bool:
        """Abuse or neglect known or suspected, and the child died or was seriously harmed:
        the Panel is notified and a rapid review opens."""
        return self.abuse_or_neglect and self.outcome in (
            IncidentOutcome.DIED,
            IncidentOutcome.SERIOUSLY_HARMED,
        )

    @property
    def heading(self) -> str:
        if self.care_leaver:
            return f"Death of a care leaver: {self.child_pseudonym}"
        return f"Incident: {self.child_pseudonym}"

    @property
    def flags(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.care_leaver, f"Care leaver, aged {self.age}"),
                (self.looked_after, "Looked after"),
                (self.child_protection_plan, "Child protection plan"),
                (self.educated_otherwise, "Educated otherwise than at school"),
                (self.institutional_setting, "Institutional setting"),
            )
            if flag
        ]


class Recipient(models.TextChoices):
    PANEL = "panel", "the Child Safeguarding Practice Review Panel"
    PARTNERS = "partners", "the safeguarding partners"
    OFSTED = "ofsted", "Ofsted"
    SECRETARY_OF_STATE = "secretary_of_state", "the Secretary of State"


class Notification(models.Model):
    """A notice of a serious incident the local authority must send, and when it did."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    due_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["incident", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "recipient"], name="one_notification_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"Notify {self.get_recipient_display()} of {self.incident}"

    @property
    def is_late(self) -> bool:
        if self.sent_on:
            return self.sent_on > self.due_on
        return today() > self.due_on


# Rapid review -------------------------------------------------------------------------------


class RapidReviewStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class Decision(models.TextChoices):
    NO_FURTHER_REVIEW = "no_further_review", "No further review"
    LCSPR = "lcspr", "Local child safeguarding practice review"
    NATIONAL = "national", "Refer to the Panel for a national review"
    OTHER_LEARNING = "other_learning", "Other learning review"


class Criterion(models.TextChoices):
    """The criteria a rapid review weighs, in the words of the arrangements (seed 002)."""

    LOCAL_IMPROVEMENTS = (
        "local_improvements",
        "Highlights or may highlight improvements needed to safeguard and promote the welfare "
        "of children, including where those improvements have been previously identified",
    )
    LOCAL_RECURRENT_THEMES = (
        "local_recurrent_themes",
        "Highlights or may highlight recurrent themes in the safeguarding and promotion of the "
        "welfare of children",
    )
    LOCAL_TWO_AGENCIES = (
        "local_two_agencies",
        "Highlights or may highlight concerns regarding two or more agencies working together "
        "effectively to safeguard and promote the welfare of children",
    )
    NATIONAL_IMPROVEMENTS = (
        "national_improvements",
        "Highlights or may highlight improvements needed to safeguard and promote the welfare "
        "of children, including where those improvements have been previously identified",
    )
    NATIONAL_LEGISLATION = (
        "national_legislation",
        "Raises or may raise issues requiring legislative change or changes to guidance issued "
        "under or further to any enactment",
    )
    NATIONAL_RECURRENT_THEMES = (
        "national_recurrent_themes",
        "Highlights or may highlight recurrent themes in the safeguarding and promotion of the "
        "welfare of children",
    )
    FACTOR_EDUCATED_OTHERWISE = (
        "factor_educated_otherwise",
        "Significant harm or death to a child educated otherwise than at school",
    )
    FACTOR_CARE_OR_PLAN = (
        "factor_care_or_plan",
        "A child seriously harmed or who died while in the care of a local authority, or while "
        "on (or recently removed from) a child protection plan",
    )
    FACTOR_RANGE_OF_ABUSE = (
        "factor_range_of_abuse",
        "The case involves a range of types of abuse",
    )
    FACTOR_INSTITUTIONAL = (
        "factor_institutional",
        "The case may raise issues relating to safeguarding or promoting the welfare of "
        "children in institutional settings",
    )


CRITERIA_SECTIONS = [
    (
        "Local review criteria",
        [
            Criterion.LOCAL_IMPROVEMENTS,
            Criterion.LOCAL_RECURRENT_THEMES,
            Criterion.LOCAL_TWO_AGENCIES,
        ],
    ),
    (
        "National review criteria",
        [
            Criterion.NATIONAL_IMPROVEMENTS,
            Criterion.NATIONAL_LEGISLATION,
            Criterion.NATIONAL_RECURRENT_THEMES,
        ],
    ),
    (
        "Factors the Panel also considers",
        [
            Criterion.FACTOR_EDUCATED_OTHERWISE,
            Criterion.FACTOR_CARE_OR_PLAN,
            Criterion.FACTOR_RANGE_OF_ABUSE,
            Criterion.FACTOR_INSTITUTIONAL,
        ],
    ),
]


class RapidReview(models.Model):
    """The partnership's fast fact-finding after a notification, ending in a decision."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="rapid_review")
    status = models.CharField(
        max_length=20, choices=RapidReviewStatus.choices, default=RapidReviewStatus.IN_PROGRESS
    )
    # The clock: the starting event's date and the dates it gives, all computed (services).
    # Empty while the starting event has not happened (the Panel not yet notified).
    starts_on = models.DateField(null=True, blank=True)
    letters_due_on = models.DateField(null=True, blank=True)
    summaries_due_on = models.DateField(null=True, blank=True)
    meeting_due_on = models.DateField(null=True, blank=True)
    sign_off_due_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)

    letters_sent_on = models.DateField(null=True, blank=True)
    meeting_held_on = models.DateField(null=True, blank=True)
    immediate_actions = models.TextField(blank=True)

    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    rationale = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_to_panel_on = models.DateField(null=True, blank=True)
    panel_response = models.TextField(blank=True)
    panel_response_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Rapid review of {self.review}"

    @property
    def is_open(self) -> bool:
        return self.status == RapidReviewStatus.IN_PROGRESS


class CriterionAssessment(models.Model):
    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.CharField(max_length=40, choices=Criterion.choices)
    met = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rapid_review", "criterion"], name="one_assessment_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return self.get_criterion_display()


class SubmissionStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    RECEIVED = "received", "Received"


class AgencySummary(models.Model):
    """One involved agency's summary of its contact with the child, for the rapid review."""

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.CASCADE, related_name="summaries"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField()
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.REQUESTED
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapid_review", "organisation"], name="one_summary_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"Summary from {self.organisation}"

    @property
    def is_late(self) -> bool:
        return self.status == SubmissionStatus.REQUESTED and today() > self.due_on

    @property
    def display_status(self) -> tuple[str, str]:
        """(label, tag colour): late is derived, never stored."""
        if self.is_late:
            return "Late", "red"
        if self.status == SubmissionStatus.RECEIVED:
            return "Received", "green"
        return "Requested", "blue"


class SignOff(models.Model):
    """A safeguarding partner's sign-off of the rapid review's decision, by its lead."""

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.CASCADE, related_name="sign_offs"
    )
    partner = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["rapid_review", "partner"], name="one_sign_off_per_partner"
            )
        ]

    def __str__(self) -> str:
        return f"Signed off for {self.partner} by {self.signed_by}"


# Local child safeguarding practice review -----------------------------------------------------


class LocalReviewKind(models.TextChoices):
    LCSPR = "lcspr", "Local child safeguarding practice review"
    LEARNING_REVIEW = "learning_review", "Learning review"


class LocalReview(models.Model):
    """A local review the rapid review decided on: an LCSPR, or another learning review."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="local_review")
    kind = models.CharField(max_length=20, choices=LocalReviewKind.choices)
    decided_on = models.DateField()
    terms_of_reference = models.TextField(blank=True)
    # Computed from the decision (services); for LCSPRs only.
    target_publication_on = models.DateField(null=True, blank=True)
    pre_publication_notice_due_on = models.DateField(null=True, blank=True)
    pre_publication_notice_sent_on = models.DateField(null=True, blank=True)
    panel_informed_on = models.DateField(null=True, blank=True)
    ofsted_informed_on = models.DateField(null=True, blank=True)
    dfe_informed_on = models.DateField(null=True, blank=True)
    reviewer_named = models.CharField(
        max_length=300,
        blank=True,
        help_text="The reviewer named when the Panel, Ofsted and the DfE were told.",
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.review}"

    @property
    def is_lcspr(self) -> bool:
        return self.kind == LocalReviewKind.LCSPR


class Commission(models.Model):
    """An external reviewer commissioned to carry out one review (and to see only that one)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="commissions")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_commissions"
    )
    commissioned_on = models.DateField()
    role = models.CharField(max_length=100, default="Lead reviewer")

    class Meta:
        ordering = ["commissioned_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "reviewer"], name="one_commission_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ({self.role})"


class PanelMember(models.Model):
    """A member of the review panel for one local review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="panel_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_panels"
    )
    role = models.CharField("Role on the panel", max_length=100, blank=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="one_panel_seat_per_person")
        ]

    def __str__(self) -> str:
        return str(self.user)


class ConflictRecommendation(models.TextChoices):
    NO_CONFLICT = "no_conflict", "No conflict: may take full part"
    TAKE_PART_DECLARED = "take_part_declared", "May take part, with the interest on record"
    NOT_IN_DECISIONS = "not_in_decisions", "May take part, but not in decisions"
    STAND_DOWN = "stand_down", "Should stand down from the panel"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Appeal upheld: the panel's recommendation is set aside"
    DISMISSED = "dismissed", "Appeal dismissed: the panel's recommendation stands"


class Declaration(models.Model):
    """A panel member's declaration of direct involvement in the case, the panel's
    recommendation on the conflict, and any appeal to the independent chair (Appendix B)."""

    panel_member = models.ForeignKey(
        PanelMember, on_delete=models.CASCADE, related_name="declarations"
    )
    interest = models.TextField("The interest declared")
    declared_on = models.DateField()
    recommendation = models.CharField(
        max_length=30, choices=ConflictRecommendation.choices, blank=True
    )
    recommendation_notes = models.TextField(blank=True)
    recommended_on = models.DateField(null=True, blank=True)
    appeal_grounds = models.TextField(blank=True)
    appealed_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    appeal_decided_on = models.DateField(null=True, blank=True)
    appeal_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["declared_on", "pk"]

    def __str__(self) -> str:
        return f"Declaration by {self.panel_member}"

    @property
    def stage(self) -> tuple[str, str]:
        if self.appeal_outcome:
            return "Appeal decided", "green"
        if self.appealed_on:
            return "Appealed to the independent chair", "orange"
        if self.recommendation:
            return "Panel has recommended", "blue"
        return "Awaiting the panel's recommendation", "yellow"


class RequestKind(models.TextChoices):
    CHRONOLOGY = "chronology", "Chronology"
    LEARNING_SUMMARY = "learning_summary", "Learning summary"


class AgencyRequest(models.Model):
    """A chronology or learning summary asked of an agency for a local review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agency_requests")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    requested_on = models.DateField()
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.REQUESTED
    )

    class Meta:
        ordering = ["due_on", "organisation__name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.organisation}"

    @property
    def is_late(self) -> bool:
        return self.status == SubmissionStatus.REQUESTED and today() > self.due_on

    @property
    def display_status(self) -> tuple[str, str]:
        if self.is_late:
            return "Late", "red"
        if self.status == SubmissionStatus.RECEIVED:
            return "Received", "green"
        return "Requested", "blue"


class PractitionerEvent(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="practitioner_events")
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    attendance = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Timeliness(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk of delay"
    DELAYED = "delayed", "Delayed"


class Quality(models.TextChoices):
    GOOD = "good", "Good"
    ADEQUATE = "adequate", "Adequate"
    CONCERNS = "concerns", "Concerns"


class MonitoringEntry(models.Model):
    """A check of the time a review is taking and of its quality (SI 2018/789 reg. 14)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="monitoring")
    recorded_on = models.DateField()
    timeliness = models.CharField(max_length=20, choices=Timeliness.choices)
    quality = models.CharField(max_length=20, choices=Quality.choices)
    notes = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name_plural = "monitoring entries"

    def __str__(self) -> str:
        return f"Monitoring on {self.recorded_on}"


# Documents --------------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    DRAFT_REPORT = "draft_report", "Draft report"
    FINAL_REPORT = "final_report", "Final report"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    OTHER = "other", "Other document"


def document_path(instance, filename: str) -> str:
    # A random name: the original (which may name a child) is kept in the database only.
    return f"reviews/{instance.review_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def evidence_path(instance, filename: str) -> str:
    return (
        f"reviews/evidence/{instance.action_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"
    )


class StoredFile(models.Model):
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def content_type(self) -> str:
        if self.original_name.lower().endswith(".pdf"):
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReviewDocument(StoredFile):
    """A report or other document of a review, served only through an authorised view."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_path, max_length=300)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


# Publication --------------------------------------------------------------------------------


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublicationQuerySet(models.QuerySet):
    def published(self):
        """Published material, which is public."""
        return self.filter(status=PublicationStatus.PUBLISHED, published_on__lte=today())


class Publication(models.Model):
    """What the public site shows of a review: the report, its executive summary and the
    partnership's response ("What we have done"); or, where the report is not published by
    decision, information about the improvements made."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="publication")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    published_on = models.DateField(null=True, blank=True)
    summary = models.TextField(
        help_text="A precis of the case and its key learning, for the public page."
    )
    response = models.TextField(
        "The partnership's response", help_text="What we have done in response to the review."
    )
    report_published = models.BooleanField(default=True)
    not_published_reason = models.TextField(blank=True)
    improvements = models.TextField(blank=True)
    report = models.ForeignKey(
        ReviewDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executive_summary = models.ForeignKey(
        ReviewDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["status", "-published_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("published:review", kwargs={"slug": self.slug})

    def online_until(self, rules: ReviewRules):
        return (
            add_months(self.published_on, rules.published_for_months) if self.published_on else None
        )

    def is_online(self, rules: ReviewRules, on=None) -> bool:
        """Whether the documents are still on the website (after that: available on request)."""
        until = self.online_until(rules)
        return until is not None and (on or today()) < until


# Recommendations, action plans, learning products ----------------------------------------------


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETE = "complete", "Complete"


class Recommendation(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    themes = models.ManyToManyField(LearningTheme, blank=True, related_name="recommendations")
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="one_recommendation_number")
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number} of {self.review.reference}"

    def get_absolute_url(self) -> str:
        return reverse(
            "reviews:recommendation", kwargs={"pk": self.review_id, "number": self.number}
        )


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence submitted"
    SIGNED_OFF = "signed_off", "Signed off"


class ActionItem(models.Model):
    """An item of an agency's action plan answering a recommendation."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="review_actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_actions"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    evidence = models.TextField(blank=True)
    evidence_submitted_on = models.DateField(null=True, blank=True)
    signed_off_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sign_off_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["owner", "status"]),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:action", kwargs={"pk": self.review_id, "action": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.status != ActionStatus.SIGNED_OFF and today() > self.due_on

    @property
    def display_status(self) -> tuple[str, str]:
        if self.status == ActionStatus.SIGNED_OFF:
            return "Signed off", "green"
        if self.is_overdue:
            return "Overdue", "red"
        if self.status == ActionStatus.EVIDENCE_SUBMITTED:
            return "Evidence submitted", "blue"
        return "Open", "yellow"


class EvidenceFile(StoredFile):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_path, max_length=300)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ProductKind(models.TextChoices):
    SEVEN_MINUTE = "seven_minute", "7-minute briefing"
    SIXTY_MINUTE = "sixty_minute", "60-minute briefing"
    NEWSLETTER = "newsletter", "Newsletter item"


class LearningProduct(models.Model):
    """A learning product disseminating a review's learning.

    Extension point: training courses (the `training` module, to come) link to reviews the
    same way, by a foreign key or many-to-many declared on the training side (for example
    `Course.recommendations`), as the architecture has the owning side declare it. The
    recommendation page lists `recommendation.learning_products` today; add the courses there.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="learning_products")
    kind = models.CharField(max_length=20, choices=ProductKind.choices)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    link = models.URLField(blank=True, max_length=300)
    published_on = models.DateField(null=True, blank=True)
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="learning_products"
    )

    class Meta:
        ordering = ["published_on", "pk"]

    def __str__(self) -> str:
        return self.title


# Deadlines --------------------------------------------------------------------------------


class DeadlineKind(models.TextChoices):
    NOTIFICATION = "notification", "Notification"
    LETTERS = "letters", "Agency letters"
    SUMMARIES = "summaries", "Agency summaries due"
    MEETING = "meeting", "Rapid review meeting"
    SIGN_OFF = "sign_off", "Partners' sign-off"
    DECISION = "decision", "Rapid review decision to the Panel"
    AGENCY_SUMMARY = "agency_summary", "Agency summary"
    AGENCY_REQUEST = "agency_request", "Agency chronology or learning summary"
    PRE_PUBLICATION = "pre_publication", "Pre-publication notice"
    PUBLICATION = "publication", "Publication"
    ACTION = "action", "Action plan item"


STATUTORY_KINDS = {
    DeadlineKind.NOTIFICATION,
    DeadlineKind.DECISION,
    DeadlineKind.PRE_PUBLICATION,
    DeadlineKind.PUBLICATION,
}


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def visible_to(self, user):
        return self.filter(review__in=Review.objects.visible_to(user))


class Deadline(models.Model):
    """Every clock of every review in one indexed table, kept by `deadlines.deadlines_sync`.

    The dates are copies of those on the records themselves (a notification's due date, an
    action's due date), gathered so that the dashboard, the calendar feed and the daily sweep
    each read one paginated query however many reviews there are.
    """

    key = models.CharField(max_length=60, unique=True)  # "notification:12"
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    title = models.CharField(max_length=300)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    path = models.CharField(max_length=200)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["done_on", "due_on"]),
            models.Index(fields=["owner", "done_on", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} by {self.due_on}"

    @property
    def is_statutory(self) -> bool:
        return self.kind in STATUTORY_KINDS


class ReminderSent(models.Model):
    """A reminder or escalation already sent, so the daily sweep never sends it twice."""

    deadline_key = models.CharField(max_length=60)
    due_on = models.DateField()
    kind = models.CharField(max_length=20)  # "before-5", "overdue", "escalation"
    recipient = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deadline_key", "due_on", "kind", "recipient"], name="one_reminder_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.deadline_key} to {self.recipient}"
