"""The performance framework: the agreed multi-agency data set and its returns.

The chain this module carries (seeds 002 and 004): an indicator library (each indicator's
definition versioned) → reporting periods with a due date computed in working days →
one data return per owner organisation and period, entered by web form, spreadsheet or the
API → each save a new, kept version with who, when and why → data points → completeness and
chasers → the key-points report for a period and the priority dashboards.

Only the current version of a return that has been submitted or validated counts towards
reports (`DataPoint.is_current` and the return's status); older versions are kept as the
record of corrections.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnership.lib.working_days import add_working_days


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    RATE = "rate_10k", "Rate per 10,000 children"
    DAYS = "days", "Days"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEUTRAL = "neutral", "Neutral"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly"


MONTHS_IN = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}


class PerformanceSettings(models.Model):
    """The framework's numbers: one row, changed by the business unit."""

    due_working_days = models.PositiveSmallIntegerField(
        "Returns are due (working days after the period ends)",
        default=20,
        validators=[MaxValueValidator(120)],
    )
    key_point_threshold = models.DecimalField(
        "A change is a key point from (per cent of the previous value, or percentage points)",
        max_digits=6,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name_plural = "performance settings"

    def __str__(self) -> str:
        return "Performance settings"

    @classmethod
    def load(cls) -> "PerformanceSettings":
        return cls.objects.get_or_create(pk=1)[0]


class IndicatorQuerySet(models.QuerySet):
    def figures_visible_to(self, user):
        """The indicators whose figures `user` may see (None: nobody's, as for an open paper).

        The one scope for figures, used wherever they are shown: the key-points report, the
        priority dashboards, an indicator's page and the plans module's thematic lead's report.
        - Everyone who may read the key-points report sees every figure (`sees_every_figure`).
        - An agency's data submitters, group members and partner leads see their own
          organisation's figures (they send them; its returns are theirs).
        - A group member or partner lead of a priority's thematic lead organisation sees that
          priority's indicators (its dashboard). A data submitter does not: a data submitter
          sees no other agency's figures anywhere.
        """
        from partnership.accounts.rules import is_verified

        from .rules import represents_an_agency, sees_every_figure, submits_for_an_agency

        if user is None or not (user.is_authenticated and user.is_active):
            return self.none()
        if sees_every_figure(user):
            return self
        if not (user.agency_ids and is_verified(user)):
            return self.none()
        scope = Q(pk__in=[])
        if submits_for_an_agency(user):
            scope |= Q(owner_id__in=user.agency_ids)
        if represents_an_agency(user):
            scope |= Q(priority__thematic_lead_id=user.organisation_id)
        return self.filter(scope)


class Indicator(models.Model):
    """One measure of the agreed data set. Its definition lives in versions."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=250)
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.COUNT)
    polarity = models.CharField(max_length=8, choices=Polarity.choices, default=Polarity.NEUTRAL)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    owner = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text="The organisation that sends the figure.",
    )
    priority = models.ForeignKey(
        "governance.Priority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    key_point_subject = models.CharField(
        max_length=250,
        blank=True,
        help_text='How a key point names it, e.g. "Referrals for CSE". Defaults to the name.',
    )
    sort_order = models.PositiveIntegerField(default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        indexes = [models.Index(fields=["owner", "frequency"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("performance:indicator", kwargs={"code": self.code})

    @property
    def subject(self) -> str:
        return self.key_point_subject or self.name

    def version_on(self, day: dt.date) -> "IndicatorVersion | None":
        """The definition in force on a day, from prefetched versions when there are some."""
        versions = sorted(self.versions.all(), key=lambda v: v.number, reverse=True)
        for version in versions:
            if version.valid_from <= day and (version.valid_to is None or day <= version.valid_to):
                return version
        return versions[0] if versions else None

    @property
    def current_version(self) -> "IndicatorVersion | None":
        return self.version_on(timezone.localdate())

    def format(self, value) -> str:
        return format_value(value, self.unit)


def format_value(value, unit: str) -> str:
    if value is None:
        return "No data"
    value = Decimal(value)
    if unit == Unit.PERCENTAGE:
        return f"{_trim(value, 1)}%"
    if unit == Unit.RATE:
        return f"{_trim(value, 1)} per 10,000"
    if unit == Unit.DAYS:
        return f"{_trim(value, 1)} days"
    return _trim(value, 1)


def _trim(value: Decimal, places: int) -> str:
    rounded = round(value, places)
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded:,.{places}f}"


class IndicatorVersion(models.Model):
    """A version of an indicator's definition, with the dates it is in use."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(default=1)
    definition = models.TextField()
    numerator = models.CharField(max_length=300, blank=True)
    denominator = models.CharField(max_length=300, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    tolerance = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text="How far on the wrong side of the target is still amber, in the unit.",
    )
    min_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField("Data source", max_length=250, blank=True)
    valid_from = models.DateField(default=dt.date(2010, 4, 1))
    valid_to = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "number"], name="one_indicator_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} v{self.number}"

    def bounds(self, unit: str) -> tuple[Decimal | None, Decimal | None]:
        """The allowed range: this version's own, or the unit's natural one."""
        low = self.min_value if self.min_value is not None else Decimal("0")
        high = self.max_value
        if high is None and unit == Unit.PERCENTAGE:
            high = Decimal("100")
        return low, high


class ReportingPeriod(models.Model):
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    start = models.DateField()
    end = models.DateField()
    label = models.CharField(max_length=40)
    due_on = models.DateField()

    class Meta:
        ordering = ["-start", "frequency"]
        constraints = [
            models.UniqueConstraint(fields=["frequency", "start"], name="one_period_per_start"),
            models.UniqueConstraint(fields=["frequency", "label"], name="one_period_per_label"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("performance:report", kwargs={"slug": self.slug})

    @property
    def slug(self) -> str:
        return f"{self.frequency}-{self.start:%Y-%m}"

    @classmethod
    def from_slug(cls, slug: str):
        """The period for a slug such as "yearly-2014-04", or None."""
        try:
            frequency, year, month = slug.rsplit("-", 2)
            start = dt.date(int(year), int(month), 1)
        except ValueError:
            return None
        return cls.objects.filter(frequency=frequency, start=start).first()

    @staticmethod
    def bounds_for(frequency: str, start: dt.date) -> tuple[dt.date, str]:
        months = MONTHS_IN[frequency]
        year, month = start.year, start.month + months
        year += (month - 1) // 12
        month = (month - 1) % 12 + 1
        end = dt.date(year, month, 1) - dt.timedelta(days=1)
        return end, period_label(frequency, start)

    @classmethod
    def get_or_create_for(cls, frequency: str, start: dt.date, due_working_days: int | None = None):
        """The period, made with its due date computed from the settings when it is new."""
        end, label = cls.bounds_for(frequency, start)
        if due_working_days is None:
            due_working_days = PerformanceSettings.load().due_working_days
        return cls.objects.get_or_create(
            frequency=frequency,
            start=start,
            defaults={
                "end": end,
                "label": label,
                "due_on": add_working_days(end, due_working_days),
            },
        )


def financial_year_label(start: dt.date) -> str:
    first = start.year if start.month >= 4 else start.year - 1
    return f"{first}/{str(first + 1)[-2:]}"


def period_label(frequency: str, start: dt.date) -> str:
    if frequency == Frequency.YEARLY:
        return financial_year_label(start)
    if frequency == Frequency.QUARTERLY:
        quarter = ((start.month - 4) % 12) // 3 + 1
        return f"Q{quarter} {financial_year_label(start)}"
    return f"{start:%B %Y}"


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    VALIDATED = "validated", "Validated"
    LATE = "late", "Late"


COUNTED_STATUSES = (ReturnStatus.SUBMITTED, ReturnStatus.VALIDATED)


class DataReturnQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .rules import sees_all_returns

        if not (user.is_authenticated and user.is_active):
            return self.none()
        if sees_all_returns(user):
            return self
        if user.agency_ids:
            return self.filter(organisation_id__in=user.agency_ids)
        return self.none()


class DataReturn(models.Model):
    """One organisation's return for one reporting period."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="data_returns"
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(
        max_length=12, choices=ReturnStatus.choices, default=ReturnStatus.NOT_STARTED
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version_count = models.PositiveIntegerField(default=0)

    objects = DataReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-period__start", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period"], name="one_return_per_organisation_period"
            )
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("performance:return", kwargs={"pk": self.pk})

    @property
    def is_counted(self) -> bool:
        return self.status in COUNTED_STATUSES

    @property
    def submitted_late(self) -> bool:
        return bool(
            self.submitted_at and timezone.localdate(self.submitted_at) > self.period.due_on
        )


class Source(models.TextChoices):
    FORM = "form", "Web form"
    UPLOAD = "upload", "Spreadsheet upload"
    API = "api", "API"


class ReturnVersion(models.Model):
    """One saved state of a return. A correction is a new version; the old one is kept."""

    data_return = models.ForeignKey(DataReturn, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["data_return", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_return", "number"], name="one_return_version_number"
            ),
            models.UniqueConstraint(
                fields=["data_return"],
                condition=Q(is_current=True),
                name="one_current_return_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_return} v{self.number}"


class DataPoint(models.Model):
    """One indicator's figure in one version of a return.

    `period`, `data_return` and `is_current` repeat what the version knows, so that a
    report for one period is a single indexed query however many versions there are.
    """

    version = models.ForeignKey(ReturnVersion, on_delete=models.CASCADE, related_name="points")
    data_return = models.ForeignKey(DataReturn, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="points")
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["indicator__sort_order", "indicator__code"]
        indexes = [
            models.Index(fields=["indicator", "period", "is_current"]),
            models.Index(fields=["period", "is_current"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class IdempotencyKey(models.Model):
    """An API submission already answered, so that a retry makes no second version."""

    token = models.ForeignKey(
        "directory.AgencyToken", on_delete=models.CASCADE, related_name="performance_keys"
    )
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    data_return = models.ForeignKey(DataReturn, on_delete=models.CASCADE, related_name="+")
    version_number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="one_use_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return self.key


class ChaserRule(models.Model):
    """Send a chaser this many days from a return's due date (negative: before it)."""

    days_from_due = models.SmallIntegerField(
        help_text="Negative numbers are days before the due date; positive, days after it."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["days_from_due"]
        constraints = [
            models.UniqueConstraint(fields=["days_from_due"], name="one_chaser_rule_per_offset")
        ]

    def __str__(self) -> str:
        days = abs(self.days_from_due)
        unit = "day" if days == 1 else "days"
        if self.days_from_due < 0:
            return f"{days} {unit} before the due date"
        if self.days_from_due == 0:
            return "On the due date"
        return f"{days} {unit} after the due date"


class ChaserSent(models.Model):
    data_return = models.ForeignKey(DataReturn, on_delete=models.CASCADE, related_name="chasers")
    rule = models.ForeignKey(ChaserRule, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["data_return", "rule"], name="one_chaser_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.data_return}: {self.rule}"


class ReportComment(models.Model):
    """The Policy and Performance Review Group's comment on a period's report."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="comments")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.period}: {self.body[:40]}"
