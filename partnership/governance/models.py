"""The partnership's groups, their terms of reference and their members."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


def lines(text: str) -> list[str]:
    """Terms of reference are written one point a line; this gives the points."""
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class GroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every signed-in member of staff may read the groups and their terms of reference."""
        return self if user.has_perm("governance.view_group") else self.none()


class Group(models.Model):
    """A partnership group (e.g. the Strategic Forum) and its terms of reference."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    purpose = models.TextField(help_text="One or two sentences on what the group is for.")
    aims = models.TextField(blank=True, help_text="One aim a line.")
    objectives = models.TextField(blank=True, help_text="One objective a line.")
    governance = models.TextField(blank=True, help_text="One governance point a line.")
    effectiveness_areas = models.TextField(
        blank=True,
        help_text="The areas the group oversees, one a line. They become standing agenda items.",
    )
    membership_composition = models.TextField(
        blank=True, help_text="Who the members are drawn from, one a line."
    )
    accountable_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A fixed number of meetings a year, if the group has one."
    )
    max_weeks_between_meetings = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The longest gap allowed between two meetings."
    )
    attendance_expected_percent = models.PositiveSmallIntegerField(default=75)
    display_order = models.PositiveSmallIntegerField(default=0)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:group", kwargs={"slug": self.slug})

    @property
    def aims_list(self) -> list[str]:
        return lines(self.aims)

    @property
    def objectives_list(self) -> list[str]:
        return lines(self.objectives)

    @property
    def governance_list(self) -> list[str]:
        return lines(self.governance)

    @property
    def effectiveness_areas_list(self) -> list[str]:
        return lines(self.effectiveness_areas)

    @property
    def membership_composition_list(self) -> list[str]:
        return lines(self.membership_composition)

    @property
    def cadence(self) -> str:
        if self.meetings_per_year:
            return f"{self.meetings_per_year} meetings a year"
        if self.max_weeks_between_meetings:
            return f"At least every {self.max_weeks_between_meetings} weeks"
        return "As needed"


class MembershipRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    DEPUTY_CHAIR = "deputy_chair", "Deputy chair"
    MEMBER = "member", "Member"
    ADVISER = "adviser", "Adviser"


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)


class Membership(models.Model):
    """A person's seat on a group, representing an organisation, with a nominated deputy."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="group_seats",
        help_text="The organisation the member represents.",
    )
    deputy = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy_for",
        help_text="Attends only in exceptional circumstances.",
    )
    title = models.CharField(
        max_length=150, blank=True, help_text='The seat, e.g. "Thematic lead for neglect".'
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "role", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(ended_on__isnull=True),
                name="one_current_seat_per_person_per_group",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.group})"
