"""The partnership's review rules, abuse types and learning themes; the choices of an
incident's outcome and of who is notified, which the rules decide between."""

import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from .incidents import Incident


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


class IncidentOutcome(models.TextChoices):
    DIED = "died", "The child died"
    SERIOUSLY_HARMED = "seriously_harmed", "The child was seriously harmed"


class Recipient(models.TextChoices):
    PANEL = "panel", "the Child Safeguarding Practice Review Panel"
    PARTNERS = "partners", "the safeguarding partners"
    OFSTED = "ofsted", "Ofsted"
    SECRETARY_OF_STATE = "secretary_of_state", "the Secretary of State"
