"""Serious incidents and their notifications."""

from django.db import models

from .common import today
from .config import AbuseType, IncidentOutcome, Recipient
from .review import Review

# Serious incidents and notifications ----------------------------------------------------------


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
