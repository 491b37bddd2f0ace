"""The rapid review: agency summaries, the meeting, the decision and the panel."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .common import today
from .review import Review

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


def contact_organisation_q(user, field: str = "organisation_id") -> Q:
    """The organisations `user` answers for as an agency contact: the organisation of the
    person the directory records for them (while current), and any organisation a role of
    theirs is scoped to."""
    from partnership.directory.models import Person

    people = Person.objects.filter(user_id=user.pk, ended_on__isnull=True).values("organisation_id")
    return Q(**{f"{field}__in": people}) | Q(**{f"{field}__in": list(user.agency_ids)})


class ContactQuerySet(models.QuerySet):
    def for_contact(self, user):
        """The requests asked of the user's own agency: all an agency contact may see of a
        review (its pseudonym, what is asked, the due date), whatever else they may see."""
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        return self.filter(contact_organisation_q(user))


class AgencyContribution(models.Model):
    """Something a review asks of one agency, by a date, that the agency's contact writes
    (or uploads) and sends in the platform: a rapid review summary, a local review's
    chronology or learning summary. Received with its date; late is derived."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField()
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.REQUESTED
    )
    # What the agency wrote and sent, in the platform, by one of its contacts.
    contribution = models.TextField(blank=True)
    # A document sent with it (PDF or Word), filed among the review's documents.
    contribution_file = models.ForeignKey(
        "reviews.ReviewDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        abstract = True

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


class AgencySummary(AgencyContribution):
    """One involved agency's summary of its contact with the child, for the rapid review."""

    rapid_review = models.ForeignKey(
        RapidReview, on_delete=models.CASCADE, related_name="summaries"
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
    def review(self):
        return self.rapid_review.review

    @property
    def is_open(self) -> bool:
        """Whether it may still be sent (the rapid review is not complete)."""
        return self.rapid_review.is_open


class SignOff(models.Model):
    """A safeguarding partner's sign-off of the rapid review's decision, by its delegated
    representative (or, where none is designated, its lead), given by that person."""

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
