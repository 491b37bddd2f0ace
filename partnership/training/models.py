"""Training and learning: needs analysis, plan, courses, sessions, bookings and what follows.

The chain this module carries (ARCHITECTURE.md): a yearly needs analysis of the agencies →
the year's training plan, linked to the partnership's priorities and to the learning themes
of reviews → courses and their sessions → bookings, waiting lists and offers → attendance →
evaluation after every course and an impact follow-up some weeks later → reports.

Places are a limited resource (invariant 5): `Session.places_taken` counts the bookings that
hold a place (booked, or offered to someone from the waiting list), is only ever moved by a
conditional UPDATE in `services`, and a CHECK constraint keeps it within the capacity, so no
interleaving of requests can overbook a session, on SQLite or PostgreSQL.
"""

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from partnership.lib.clocks import working_days_before


def parse_days(text: str) -> list[int]:
    """ "14, 2" → [14, 2]: reminder offsets in days before a session, largest first."""
    return sorted({int(part) for part in re.split(r"[,\s]+", text.strip()) if part}, reverse=True)


def plan_year_of(day: dt.date) -> int:
    """The partnership's year (April to March) a date falls in, by its first calendar year."""
    return day.year if day.month >= 4 else day.year - 1


def plan_year_label(year: int) -> str:
    return f"{year} to {year + 1}"


class TrainingRules(models.Model):
    """The training numbers: one row, with the defaults in STATUTORY.md ("Training and
    learning"). Each is local practice, so the business unit may change it."""

    self_cancel_working_days = models.PositiveSmallIntegerField(
        "People may cancel their own place up to (working days before the session)",
        default=3,
        validators=[MaxValueValidator(30)],
    )
    reminder_days = models.CharField(
        "Send reminders (days before the session)",
        max_length=50,
        default="14, 2",
        help_text="Separate the numbers with commas, for example 14, 2",
    )
    offer_hours = models.PositiveSmallIntegerField(
        "A place offered from the waiting list is held for (hours)",
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(336)],
    )
    impact_weeks = models.PositiveSmallIntegerField(
        "Send the impact follow-up (weeks after the session)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    impact_to_manager = models.BooleanField(
        "Send the impact follow-up to the attendee's manager too", default=True
    )
    no_show_charge = models.DecimalField(
        "Charge for not attending (£, 0 for no charge)",
        max_digits=7,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    late_cancellation_charge = models.DecimalField(
        "Charge for a late cancellation (£, 0 for no charge)",
        max_digits=7,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "training rules"

    def __str__(self) -> str:
        return "Training rules"

    @classmethod
    def current(cls) -> "TrainingRules":
        rules, _ = cls.objects.get_or_create(pk=1)
        return rules

    @property
    def reminder_offsets(self) -> list[int]:
        return parse_days(self.reminder_days)


# Needs analysis and the plan ---------------------------------------------------------------


class Level(models.TextChoices):
    """Levels of safeguarding training, from awareness for everyone to leadership."""

    AWARENESS = "1", "Level 1: awareness"
    WORKING_TOGETHER = "2", "Level 2: working together"
    SPECIALIST = "3", "Level 3: specialist"
    LEADERSHIP = "4", "Level 4: leadership"


LEVEL_HINTS = {
    Level.AWARENESS: "Everyone in contact with children, paid or voluntary",
    Level.WORKING_TOGETHER: "Practitioners who work with children and families",
    Level.SPECIALIST: "Practitioners with a specialist safeguarding role",
    Level.LEADERSHIP: "Designated leads, managers and senior leaders",
}


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Not yet open"
    OPEN = "open", "Open for responses"
    CLOSED = "closed", "Closed"


class NeedsSurvey(models.Model):
    """The yearly training needs analysis: agencies say how many staff need what."""

    year = models.PositiveSmallIntegerField(
        "Year (the April it starts)",
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2200)],
    )
    introduction = models.TextField(blank=True)
    closes_on = models.DateField("Responses due by", null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Training needs analysis {self.year_label}"

    def get_absolute_url(self) -> str:
        return reverse("training:survey", kwargs={"year": self.year})

    @property
    def year_label(self) -> str:
        return plan_year_label(self.year)


class NeedsResponse(models.Model):
    """One agency's answer to a needs survey."""

    survey = models.ForeignKey(NeedsSurvey, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="training_needs"
    )
    workforce = models.PositiveIntegerField(
        "Staff and volunteers in contact with children", null=True, blank=True
    )
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation"], name="one_needs_response_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.survey}"


class NeedsLine(models.Model):
    """Staff of one agency needing training on one theme at one level."""

    response = models.ForeignKey(NeedsResponse, on_delete=models.CASCADE, related_name="lines")
    theme = models.ForeignKey(
        "reviews.LearningTheme", on_delete=models.PROTECT, related_name="training_needs"
    )
    level = models.CharField(max_length=1, choices=Level.choices)
    staff = models.PositiveIntegerField(
        "Staff needing it", validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["theme__display_order", "theme__name", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "theme", "level"], name="one_needs_line_per_theme_and_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.theme} ({self.get_level_display()}): {self.staff}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class TrainingPlan(models.Model):
    """The year's training plan, built from the needs analysis, the priorities and reviews."""

    year = models.PositiveSmallIntegerField(
        "Year (the April it starts)",
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2200)],
    )
    survey = models.ForeignKey(
        NeedsSurvey, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    approved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Training plan {self.year_label}"

    def get_absolute_url(self) -> str:
        return reverse("training:plan", kwargs={"year": self.year})

    @property
    def year_label(self) -> str:
        return plan_year_label(self.year)

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, 4, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.year + 1, 3, 31)


class PlanSource(models.TextChoices):
    NEEDS_ANALYSIS = "needs", "Training needs analysis"
    PRIORITY = "priority", "Strategic priority"
    REVIEW = "review", "Learning from a review"
    NATIONAL = "national", "National learning or guidance"


class PlanEntry(models.Model):
    """A line of the plan: what will be delivered, why, and how many places."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="entries")
    title = models.CharField(max_length=200)
    source = models.CharField("Why it is in the plan", max_length=10, choices=PlanSource.choices)
    theme = models.ForeignKey(
        "reviews.LearningTheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_entries",
        verbose_name="Learning theme",
    )
    priority = models.ForeignKey(
        "governance.Priority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_plan_entries",
        verbose_name="Strategic priority",
    )
    level = models.CharField(max_length=1, choices=Level.choices)
    course = models.ForeignKey(
        "Course",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_entries",
        help_text="The course that delivers it, once there is one.",
    )
    places_planned = models.PositiveIntegerField(
        "Places planned", validators=[MaxValueValidator(1_000_000)]
    )
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["level", "title"]
        verbose_name_plural = "plan entries"

    def __str__(self) -> str:
        return self.title


# The catalogue -----------------------------------------------------------------------------


class CourseType(models.TextChoices):
    E_LEARNING = "e_learning", "E-learning"
    BRIEFING_60 = "briefing_60", "60-minute briefing"
    BRIEFING_7 = "briefing_7", "7-minute briefing"
    SEMINAR = "seminar", "Seminar"
    WORKSHOP = "workshop", "Workshop"
    CONFERENCE = "conference", "Conference"


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Course(models.Model):
    title = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    course_type = models.CharField("Type", max_length=20, choices=CourseType.choices)
    level = models.CharField(max_length=1, choices=Level.choices)
    audience = models.CharField(
        "Who it is for", max_length=300, help_text="For example: practitioners and volunteers"
    )
    summary = models.TextField()
    learning_outcomes = models.TextField(
        "Learning outcomes", help_text="One on each line: what people will be able to do after it"
    )
    themes = models.ManyToManyField(
        "reviews.LearningTheme", blank=True, related_name="courses", verbose_name="Learning themes"
    )
    is_published = models.BooleanField("Shown in the catalogue", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["is_published", "title"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course", kwargs={"slug": self.slug})

    @property
    def outcomes(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.learning_outcomes.splitlines() if line.strip()]


class Trainer(models.Model):
    """A member of the training pool, or an external provider the partnership commissions."""

    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainers",
    )
    email = models.EmailField(blank=True)
    is_active = models.BooleanField("In the training pool", default=True)

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.job_title})" if self.job_title else self.full_name


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        """Sessions not yet started and not cancelled: the ones people can book."""
        return self.filter(
            status=SessionStatus.SCHEDULED,
            starts_at__gt=now or timezone.now(),
            course__is_published=True,
        )


class Session(models.Model):
    """One delivery of a course: when, where, how many places, who trains."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(
        max_length=300, blank=True, help_text="Leave blank for a session held only online"
    )
    online_link = models.URLField(
        "Online joining link",
        blank=True,
        help_text="Sent to people with a place, never shown publicly",
    )
    capacity = models.PositiveIntegerField(
        "Places", validators=[MinValueValidator(1), MaxValueValidator(100_000)]
    )
    places_taken = models.PositiveIntegerField(default=0, editable=False)
    trainers = models.ManyToManyField(Trainer, blank=True, related_name="sessions")
    price = models.DecimalField(
        "Price for organisations outside the partnership (£)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    joining_instructions = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancellation_reason = models.CharField(max_length=300, blank=True)
    # Bumped on every change people with a place must hear about, so calendars update.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["course", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(places_taken__lte=F("capacity")), name="session_never_overbooked"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_places"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.course.title}, {local:%-d %B %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("training:session", kwargs={"pk": self.pk})

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)

    @property
    def is_full(self) -> bool:
        return self.places_taken >= self.capacity

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def is_bookable(self, now=None) -> bool:
        return not self.is_cancelled and not self.has_started(now) and self.course.is_published

    @property
    def local_date(self) -> dt.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def is_online(self) -> bool:
        return not self.venue

    @property
    def where(self) -> str:
        if self.venue and self.online_link:
            return f"{self.venue}, or online"
        return self.venue or "Online"

    @property
    def duration(self) -> dt.timedelta:
        return self.ends_at - self.starts_at

    def self_cancel_deadline(self, rules: TrainingRules | None = None) -> dt.date:
        """The last day people may cancel their own place (working days before the session).

        After it, only the training team can cancel, and the cancellation is recorded as late.
        """
        rules = rules or TrainingRules.current()
        return working_days_before(self.local_date, rules.self_cancel_working_days)


# People and their bookings -----------------------------------------------------------------


class Learner(models.Model):
    """What the booking portal knows about a person beyond their account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner"
    )
    organisation_other = models.CharField(
        "Organisation (if not listed)", max_length=200, blank=True
    )
    manager_email = models.EmailField("Your manager's email address", blank=True)
    # Null until the person follows the link in the email sent when they registered.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.user)


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Booked"
    WAITING = "waiting", "On the waiting list"
    OFFERED = "offered", "Place offered"
    CANCELLED = "cancelled", "Cancelled"
    OFFER_EXPIRED = "offer_expired", "Offer expired"


# A person has at most one of these on a session at a time.
ACTIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.WAITING, BookingStatus.OFFERED)
# These hold one of the session's places (`Session.places_taken` counts them).
PLACE_HOLDING_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.OFFERED)

BOOKING_STATUS_COLOURS = {
    BookingStatus.CONFIRMED: "green",
    BookingStatus.WAITING: "yellow",
    BookingStatus.OFFERED: "blue",
    BookingStatus.CANCELLED: "grey",
    BookingStatus.OFFER_EXPIRED: "grey",
}


class Attendance(models.TextChoices):
    NOT_RECORDED = "not_recorded", "Not recorded"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "Did not attend"
    LATE_CANCELLATION = "late_cancellation", "Late cancellation"


ATTENDANCE_COLOURS = {
    Attendance.NOT_RECORDED: "grey",
    Attendance.ATTENDED: "green",
    Attendance.NO_SHOW: "red",
    Attendance.LATE_CANCELLATION: "orange",
}


class BookingSource(models.TextChoices):
    PORTAL = "portal", "Booking portal"
    API = "api", "Agency learning system (API)"
    STAFF = "staff", "Training team"
    IMPORTED = "imported", "Imported records"


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def waiting_in_order(self):
        return self.filter(status=BookingStatus.WAITING).order_by("created_at", "pk")


class Booking(models.Model):
    """A person's place, or place in the queue, on a session.

    The person's details are kept on the booking as given, because agencies book for staff
    who may never have an account (through the API); `user` links it to an account if there
    is one.
    """

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_bookings",
    )
    full_name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)  # stored in lower case
    job_title = models.CharField("Role", max_length=200, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_bookings",
    )
    organisation_other = models.CharField(max_length=200, blank=True)
    manager_email = models.EmailField(blank=True)
    access_needs = models.TextField("Access needs or adjustments", blank=True)
    status = models.CharField(max_length=15, choices=BookingStatus.choices)
    attendance = models.CharField(
        max_length=20, choices=Attendance.choices, default=Attendance.NOT_RECORDED
    )
    source = models.CharField(max_length=10, choices=BookingSource.choices)
    # For bookings through the API: the agency whose system made it, and the key that makes
    # a repeated request return the same booking instead of making another.
    agency = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_bookings_made",
    )
    idempotency_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    charge = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["session", "status", "created_at"]),
            models.Index(fields=["user", "status"]),
            models.Index(fields=["email"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["status", "offer_expires_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(status__in=["confirmed", "waiting", "offered"]),
                name="one_active_booking_per_person_and_session",
            ),
            models.UniqueConstraint(
                fields=["agency", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_booking_per_idempotency_key",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="an_offer_has_a_time_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("training:booking", kwargs={"pk": self.pk})

    @property
    def organisation_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        return self.organisation_other or "Not given"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def holds_place(self) -> bool:
        return self.status in PLACE_HOLDING_STATUSES

    @property
    def status_colour(self) -> str:
        return BOOKING_STATUS_COLOURS[BookingStatus(self.status)]

    @property
    def attendance_colour(self) -> str:
        return ATTENDANCE_COLOURS[Attendance(self.attendance)]


def waiting_position(booking: Booking) -> int | None:
    """1 for the first in the queue; None if the booking is not waiting."""
    if booking.status != BookingStatus.WAITING:
        return None
    ahead = Booking.objects.filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, pk__lt=booking.pk),
        session_id=booking.session_id,
        status=BookingStatus.WAITING,
    ).count()
    return ahead + 1


class MessageKind(models.TextChoices):
    CONFIRMED = "confirmed", "Place confirmed"
    WAITING = "waiting", "Added to the waiting list"
    OFFERED = "offered", "Place offered from the waiting list"
    OFFER_EXPIRED = "offer_expired", "Offer expired"
    CANCELLED = "cancelled", "Booking cancelled"
    SESSION_CHANGED = "session_changed", "Session changed"
    SESSION_CANCELLED = "session_cancelled", "Session cancelled"
    REMINDER = "reminder", "Reminder"
    EVALUATION = "evaluation", "Evaluation request"
    IMPACT_ATTENDEE = "impact_attendee", "Impact follow-up"
    IMPACT_MANAGER = "impact_manager", "Impact follow-up to the manager"
    NO_SHOW_MANAGER = "no_show_manager", "Non-attendance report to the manager"
    LATE_CANCELLATION_MANAGER = "late_cancel_manager", "Late cancellation report to the manager"


class BookingMessage(models.Model):
    """An email about a booking: made once (the unique key), and at once rendered and queued
    in the outbox, which delivers it (`sent_at` is when it was queued there).

    `key` tells apart messages of one kind that may rightly be sent again (a reminder for
    each offset, a change notice for each new version of the session).
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    key = models.CharField(max_length=40, default="", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "key"], name="each_booking_message_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.booking.full_name}"


# Evaluation and impact ---------------------------------------------------------------------

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class OutcomesMet(models.TextChoices):
    FULLY = "fully", "Fully"
    MOSTLY = "mostly", "Mostly"
    PARTLY = "partly", "Partly"
    NOT_AT_ALL = "not_at_all", "Not at all"


OUTCOMES_MET_SCORES = {"fully": 4, "mostly": 3, "partly": 2, "not_at_all": 1}


class Evaluation(models.Model):
    """The attendee's evaluation, straight after the course."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="evaluation")
    overall = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    trainer = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    outcomes_met = models.CharField(max_length=12, choices=OutcomesMet.choices)
    confidence_before = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    confidence_after = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    most_useful = models.TextField(blank=True)
    will_do_differently = models.TextField(blank=True)
    improvements = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5)
                & Q(trainer__gte=1, trainer__lte=5)
                & Q(confidence_before__gte=1, confidence_before__lte=5)
                & Q(confidence_after__gte=1, confidence_after__lte=5),
                name="evaluation_ratings_one_to_five",
            )
        ]

    def __str__(self) -> str:
        return f"Evaluation by {self.booking.full_name}"


class Respondent(models.TextChoices):
    ATTENDEE = "attendee", "Attendee"
    MANAGER = "manager", "Manager"


class LearningApplied(models.TextChoices):
    OFTEN = "often", "Yes, often"
    SOMETIMES = "sometimes", "Yes, sometimes"
    NOT_YET = "not_yet", "Not yet"
    NO = "no", "No"


class ImpactResponse(models.Model):
    """The impact follow-up, some weeks later, from the attendee or their manager."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="impact_responses")
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    learning_applied = models.CharField(max_length=10, choices=LearningApplied.choices)
    impact = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)
    example = models.TextField(blank=True)
    barriers = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "respondent"], name="one_impact_response_per_respondent"
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=5), name="impact_rating_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"Impact follow-up ({self.get_respondent_display()}) for {self.booking.full_name}"
