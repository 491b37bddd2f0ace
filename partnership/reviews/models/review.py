"""The review (the case file a serious incident opens), its scope and who may see it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.models import Role
from partnership.governance.scopes import scope_q

from .common import today
from .config import LearningTheme, ReviewRules

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
        # A partner's delegated representative signs off for it, so reads every review too.
        from .participation import DelegatedPartner

        if DelegatedPartner.objects.filter(person__user_id=user.pk).exists():
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
