"""The partnership's groups and their business.

Groups with their terms of reference and members; the strategic priorities that theme the
Strategic Forum's meetings; meetings with their agendas, papers, attendance, minutes and
decisions; the action log; declarations of interest; attendance letters to chief officers;
and the partners' funding contributions.

Statuses are moved only by the functions in `services.py`.
"""

import datetime as dt
import math
import re
import secrets
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from partnership.lib.clocks import add_months


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
        null=True,
        blank=True,
        help_text="The number of meetings the group holds a year, if it has one: a financial "
        "year with fewer is flagged.",
    )
    max_weeks_between_meetings = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The longest gap allowed between two meetings, in weeks."
    )
    max_months_between_meetings = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The longest gap allowed between two meetings, in calendar months "
        '("at least every two months": 2).',
    )
    attendance_expected_percent = models.PositiveSmallIntegerField(default=75)
    attendance_window_months = models.PositiveSmallIntegerField(
        default=12, help_text="How many months the rolling attendance rate looks back."
    )
    persistent_absence_run = models.PositiveSmallIntegerField(
        default=3,
        help_text="Missed meetings in a row that, with a rate below the expected attendance, "
        "count as persistent failure to attend (reported to the chief officer).",
    )
    deputy_limit = models.PositiveSmallIntegerField(
        default=2,
        help_text="Deputies attend only in exceptional circumstances: a seat whose deputy "
        "attends more often than this in the attendance window is flagged.",
    )
    themed_meetings = models.BooleanField(
        default=False,
        help_text="Each meeting is themed on one strategic priority, in rotation, with that "
        "priority's thematic lead reporting.",
    )
    action_reminder_days = models.PositiveSmallIntegerField(
        default=5,
        help_text="Action owners are emailed this many working days before an action is due, "
        "and once the day after it becomes overdue. 0 turns the reminders off.",
    )
    publish_minutes = models.BooleanField(
        default=False,
        help_text="Once approved, the group's minutes are published on the public site.",
    )
    # Set by the daily sweep (services.group_check_cadence), shown on the group's page.
    cadence_problem = models.TextField(blank=True)
    cadence_checked_on = models.DateField(null=True, blank=True)
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
        """How often the group meets, as its terms of reference say it."""
        gap = ""
        if self.max_months_between_meetings:
            months = self.max_months_between_meetings
            gap = "every month" if months == 1 else f"every {months} months"
        elif self.max_weeks_between_meetings:
            weeks = self.max_weeks_between_meetings
            gap = "every week" if weeks == 1 else f"every {weeks} weeks"
        if self.meetings_per_year and gap:
            return f"{self.meetings_per_year} meetings a year, at least {gap}"
        if self.meetings_per_year:
            return f"{self.meetings_per_year} meetings a year"
        if gap:
            return f"At least {gap}"
        return "As needed"

    @property
    def allowed_gap(self) -> str:
        """The longest gap allowed between meetings, in words ("" if there is none)."""
        if self.max_months_between_meetings:
            months = self.max_months_between_meetings
            return "month" if months == 1 else f"{months} months"
        days = self.allowed_gap_days
        if days is None:
            return ""
        weeks = days // 7
        return "week" if weeks == 1 else f"{weeks} weeks"

    @property
    def allowed_gap_days(self) -> int | None:
        """The longest gap allowed between two meetings, in days, for a gap counted in days.

        None when the gap is in calendar months (see `next_meeting_due`) or the group has no
        cadence to keep. A group with a gap in weeks uses it; a group that meets N times a
        year may go 52 / N weeks, rounded up, between meetings (18 weeks for 3 a year).
        """
        if self.max_months_between_meetings:
            return None
        if self.max_weeks_between_meetings:
            return self.max_weeks_between_meetings * 7
        if self.meetings_per_year:
            return math.ceil(52 / self.meetings_per_year) * 7
        return None

    def next_meeting_due(self, last: dt.date) -> dt.date | None:
        """The last day the next meeting may be on, after a meeting on `last` (None: no cadence).

        A gap in months is counted in calendar months (`add_months`): after 31 August, two
        months runs to 31 October; after 31 December, to 28 February (29 in a leap year).
        """
        if self.max_months_between_meetings:
            return add_months(last, self.max_months_between_meetings)
        days = self.allowed_gap_days
        return None if days is None else last + dt.timedelta(days=days)


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


# Strategic priorities ---------------------------------------------------------------------


class PriorityQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None):
        """The priorities in force on a date (the business plan adds and retires them)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=on),
            Q(active_until__isnull=True) | Q(active_until__gte=on),
        )


class Priority(models.Model):
    """A strategic priority, e.g. neglect, with the agency that is its thematic lead.

    Kept small on purpose: the business plan module will own priorities in full and can map
    onto these by slug.
    """

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    thematic_lead = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_priorities",
        help_text="The agency accountable for driving this priority.",
    )
    rotation_order = models.PositiveSmallIntegerField(
        default=0, help_text="Themed meetings take the priorities in this order, in turn."
    )
    active_from = models.DateField(null=True, blank=True)
    active_until = models.DateField(null=True, blank=True)

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["rotation_order", "name"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.name


# Meetings ---------------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class MinutesStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every member of partnership staff may see meetings and their agendas.

        What is confidential inside a meeting (restricted papers, draft minutes) is scoped
        separately: `Paper.objects.visible_to`, `Meeting.minutes_visible_to`.
        """
        return self if user.has_perm("governance.view_meeting") else self.none()

    def not_cancelled(self):
        return self.exclude(status=MeetingStatus.CANCELLED)

    def upcoming(self, now=None):
        return self.not_cancelled().filter(ends_at__gte=now or timezone.now())

    def published_minutes(self):
        """Meetings whose approved minutes are on the public site: the group chose to."""
        return self.filter(minutes_status=MinutesStatus.APPROVED, group__publish_minutes=True)


class Meeting(models.Model):
    """One meeting of a group: when and where, its theme, agenda, attendance and minutes."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200)
    priority = models.ForeignKey(
        Priority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        help_text="The strategic priority the meeting is themed on, if any.",
    )
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    minutes_status = models.CharField(
        max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.NOT_STARTED
    )
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes_of",
        help_text="The meeting at which these minutes were approved.",
    )
    minutes_approved_on = models.DateField(null=True, blank=True)
    pack_sent_at = models.DateTimeField(null=True, blank=True)
    minutes_circulated_at = models.DateTimeField(
        null=True, blank=True, help_text="When the draft minutes went to members for comment."
    )
    # Calendar invitations are updated in place by raising the sequence (RFC 5545).
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["group", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group.name}, {timezone.localtime(self.starts_at):%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        theme = f" – {self.priority.name}" if self.priority_id else ""
        return f"{self}{theme}"

    @property
    def theme_missing(self) -> bool:
        """A meeting of a themed group with no strategic theme (and so no thematic lead's
        report): new ones are refused, and one saved without is flagged until it has one."""
        return (
            self.group.themed_meetings
            and self.priority_id is None
            and self.status != MeetingStatus.CANCELLED
        )

    @property
    def local_date(self) -> dt.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    def minutes_visible_to(self, user) -> bool:
        """Approved minutes are for all partnership staff; draft ones for the group only."""
        return user.has_perm("governance.view_minutes", self)

    def previous(self):
        """The group's meeting before this one (cancelled meetings do not count)."""
        return (
            Meeting.objects.not_cancelled()
            .filter(group_id=self.group_id, starts_at__lt=self.starts_at)
            .order_by("-starts_at")
            .first()
        )

    def following(self):
        return (
            Meeting.objects.not_cancelled()
            .filter(group_id=self.group_id, starts_at__gt=self.starts_at)
            .order_by("starts_at")
            .first()
        )

    def matters_arising(self):
        """The actions that come forward to this meeting, automatically.

        Every action of the group raised at an earlier meeting that was still open when the
        previous meeting began: those still open now, and those closed since, which the group
        notes as done. (An action closed before the previous meeting was reported there.)
        """
        previous = self.previous()
        actions = Action.objects.filter(
            group_id=self.group_id, raised_at__starts_at__lt=self.starts_at
        )
        if previous is not None:
            actions = actions.filter(
                Q(status__in=ActionStatus.open_values()) | Q(closed_at__gte=previous.starts_at)
            )
        return actions.select_related("owner", "owner_organisation").order_by("number")


class MinutesComment(models.Model):
    """A member's comment on the draft minutes circulated to them, for the minute-taker."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=150)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_label} on the minutes of {self.meeting_id}"


class ItemKind(models.TextChoices):
    OPENING = "opening", "Welcome, introductions and apologies"
    MINUTES = "minutes", "Minutes of the previous meeting"
    MATTERS_ARISING = "matters_arising", "Matters arising and action log"
    THEMATIC_REPORT = "thematic_report", "Thematic lead's report"
    STANDING = "standing", "Standing item"
    OTHER = "other", "Item"
    ANY_OTHER_BUSINESS = "aob", "Any other business"


class AgendaItem(models.Model):
    """A line of a meeting's agenda, with its notes and decisions once minuted."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=ItemKind.choices, default=ItemKind.OTHER)
    title = models.CharField(max_length=200)
    presenter = models.CharField(max_length=150, blank=True)
    description = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="The minutes of the discussion.")

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="one_agenda_item_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Decision(models.Model):
    """A decision the group made on an agenda item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class PaperType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word document"
    XLSX = "xlsx", "Excel spreadsheet"


PAPER_EXTENSIONS = (".pdf", ".docx", ".xlsx")


def paper_path(paper: "Paper", filename: str) -> str:
    """A random name: the uploader's file name is kept in the row, never trusted as a path."""
    extension = PurePath(filename).suffix.lower()
    if extension not in PAPER_EXTENSIONS:
        extension = ""
    return f"governance/papers/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{extension}"


class PaperQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Open papers for all partnership staff; restricted ones for the group's members
        and the business unit only."""
        if not user.has_perm("governance.view_meeting"):
            return self.none()
        if user.has_perm("governance.manage_meetings"):
            return self
        from partnership.governance.scopes import scope_q

        return self.filter(Q(restricted=False) | scope_q(user, group="meeting__group"))


class Paper(models.Model):
    """A paper for an agenda item, kept in private storage and served by an authorised view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=paper_path, max_length=200)
    file_name = models.CharField(max_length=200, help_text="The name it was uploaded with.")
    file_type = models.CharField(max_length=10, choices=PaperType.choices)
    size_bytes = models.PositiveBigIntegerField()
    restricted = models.BooleanField(
        default=False, help_text="Only the group's members (and the business unit) may see it."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["item__position", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:paper", kwargs={"pk": self.pk})

    @property
    def content_type(self) -> str:
        return {
            PaperType.PDF: "application/pdf",
            PaperType.DOCX: "application/vnd.openxmlformats-officedocument."
            "wordprocessingml.document",
            PaperType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[self.file_type]

    @property
    def size_label(self) -> str:
        if self.size_bytes >= 1024 * 1024:
            return f"{self.size_bytes / (1024 * 1024):.1f}MB"
        return f"{max(1, round(self.size_bytes / 1024))}KB"


# Attendance -------------------------------------------------------------------------------


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    DEPUTY = "deputy", "Deputy attended"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendance(models.Model):
    """One member's attendance at one meeting, and the organisation they represented.

    The register has a row for each member seated on the day of the meeting: a row is a
    meeting the member was expected at (see docs/guide/governance.md, "Attendance").
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="attendance"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="attendance",
        help_text="The organisation the member represented.",
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendance"
    )
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    deputy_name = models.CharField(
        max_length=150, blank=True, help_text="Who attended in the member's place."
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="one_attendance_row_per_member_per_meeting"
            )
        ]
        indexes = [models.Index(fields=["person", "meeting"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status == AttendanceStatus.PRESENT

    @property
    def organisation_represented(self) -> bool:
        return self.status in (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY)


# Actions ----------------------------------------------------------------------------------


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.OPEN, cls.IN_PROGRESS]


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The business unit and the independent chair see every action; others see the
        actions of the groups they sit on, the ones they own and their organisation's."""
        if not user.has_perm("governance.view_actions"):
            return self.none()
        if user.has_role("business_unit", "independent_chair"):
            return self
        from partnership.governance.scopes import scope_q

        condition = scope_q(user, organisation="owner_organisation", group="group")
        return self.filter(condition | Q(owner__user=user))

    def open(self):
        return self.filter(status__in=ActionStatus.open_values())

    def overdue(self, today: dt.date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Action(models.Model):
    """An action from a meeting, with its owner, due date, status and history of updates."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveIntegerField(help_text="Numbered in turn within the group.")
    raised_at = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="actions", help_text="Raised at."
    )
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="owned_actions"
    )
    owner_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="actions"
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="one_action_number_per_group")
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["owner_organisation", "status", "due_on"]),
            models.Index(fields=["group", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.description[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("governance:action", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        initials = "".join(word[0] for word in self.group.name.split() if word[0].isupper())
        return f"{initials or 'A'}-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in ActionStatus.open_values()

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    def status_label(self, today: dt.date | None = None) -> str:
        """The status the action log shows on `today`: the web page and the agenda pack both
        say it through here, so they cannot disagree (an open action past its due date is
        "Overdue", whichever is read)."""
        return "Overdue" if self.is_overdue(today) else self.get_status_display()


class ActionUpdate(models.Model):
    """One entry in an action's history: a note, and any change of status or due date."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)
    status_before = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    due_before = models.DateField(null=True, blank=True)
    due_after = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["action", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.action.reference} at {self.at:%Y-%m-%d}"


class ActionReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ActionReminder(models.Model):
    """A reminder already emailed to an action's owner, so the daily sweep never repeats it.

    One of each kind for each due date: moving an action's due date lets it be reminded
    again for the new date.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ActionReminderKind.choices)
    due_on = models.DateField(help_text="The due date the reminder was about.")
    recipient = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "due_on"], name="one_action_reminder_of_each_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.action_id} to {self.recipient}"


# Declarations of interest -----------------------------------------------------------------


class InterestKind(models.TextChoices):
    FINANCIAL = "financial", "Financial"
    PROFESSIONAL = "professional", "Non-financial professional"
    PERSONAL = "personal", "Non-financial personal"
    FAMILY = "family", "Family or close associate"


class InterestDeclaration(models.Model):
    """An entry in a member's standing register of interests."""

    person = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="interests"
    )
    kind = models.CharField(max_length=20, choices=InterestKind.choices)
    interest = models.CharField(max_length=300, help_text="The body, role or matter.")
    details = models.TextField(blank=True)
    declared_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["person__full_name", "-declared_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("declared_on")),
                name="interest_ends_after_it_is_declared",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.interest}"


class DeclarationOutcome(models.TextChoices):
    TOOK_PART = "took_part", "Took part in the discussion"
    NO_DECISION = "no_decision", "Took part but not in the decision"
    WITHDREW = "withdrew", "Left the meeting for the item"


class ItemDeclaration(models.Model):
    """An interest declared on one agenda item, and what the member did about it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="item_declarations"
    )
    interest = models.TextField()
    outcome = models.CharField(max_length=20, choices=DeclarationOutcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="one_declaration_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.item}"


# Letters to chief officers ----------------------------------------------------------------


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved by the chair"
    SENT = "sent", "Sent"


class AttendanceLetter(models.Model):
    """The independent chair's letter to a chief officer about persistent non-attendance.

    The attendance figures are copied in when the letter is drafted, so that the letter
    says what was true when it was written.
    """

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="letters")
    person = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="attendance_letters"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="attendance_letters"
    )
    chief_officer = models.ForeignKey(
        "directory.Person", on_delete=models.PROTECT, related_name="letters_received"
    )
    signatory_name = models.CharField(max_length=150)
    window_start = models.DateField()
    window_end = models.DateField()
    meetings_expected = models.PositiveIntegerField()
    meetings_attended = models.PositiveIntegerField()
    deputy_attended = models.PositiveIntegerField(default=0)
    deputy_limit = models.PositiveSmallIntegerField(
        default=2, help_text="The group's limit on deputies' attendance when it was drafted."
    )
    longest_absence_run = models.PositiveIntegerField()
    body = models.TextField(
        blank=True,
        help_text="The letter's paragraphs as the chair edited them (blank: the drafted words).",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(status="draft"),
                name="one_draft_letter_per_member_per_group",
            )
        ]

    def __str__(self) -> str:
        return f"Attendance letter: {self.person}, {self.group}"

    def get_absolute_url(self) -> str:
        return reverse("governance:letter", kwargs={"pk": self.pk})

    @property
    def rate_percent(self) -> int:
        return round_half_up_percent(self.meetings_attended, self.meetings_expected)


def round_half_up_percent(part: int, whole: int) -> int:
    """A whole-number percentage, halves rounded up (2 of 3 is 67%)."""
    if not whole:
        return 0
    return int((Decimal(part * 100) / Decimal(whole)).quantize(Decimal(1), "ROUND_HALF_UP"))


# Funding ----------------------------------------------------------------------------------

FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def validate_financial_year(value: str) -> None:
    """A UK financial year written "2018/19": April 2018 to March 2019."""
    match = FINANCIAL_YEAR.match(value or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(
            "Enter the financial year like 2018/19", code="invalid_financial_year"
        )


def financial_year_of(day: dt.date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def financial_year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """First and last day of a financial year: 2018/19 is 1 April 2018 to 31 March 2019."""
    validate_financial_year(year)
    start = int(year[:4])
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


class FundingContribution(models.Model):
    """What one organisation agreed to contribute in a financial year, and what arrived."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="contributions"
    )
    financial_year = models.CharField(
        max_length=7, validators=[validate_financial_year], db_index=True
    )
    agreed_amount = models.DecimalField(max_digits=12, decimal_places=2)
    received_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    received_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-financial_year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "financial_year"],
                name="one_contribution_per_organisation_per_year",
            ),
            models.CheckConstraint(
                condition=Q(agreed_amount__gte=0) & Q(received_amount__gte=0),
                name="contributions_are_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}, {self.financial_year}"

    @property
    def outstanding(self) -> Decimal:
        return max(self.agreed_amount - self.received_amount, Decimal(0))
