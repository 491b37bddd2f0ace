"""The partnership's organisations and the people in them."""

import datetime
import hashlib
import secrets
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class OrganisationKind(models.TextChoices):
    SAFEGUARDING_PARTNER = "partner", "Safeguarding partner"
    RELEVANT_AGENCY = "relevant_agency", "Relevant agency"
    SCHOOL = "school", "School or college"
    OTHER = "other", "Other organisation"


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def partners(self):
        return self.filter(kind=OrganisationKind.SAFEGUARDING_PARTNER)


class Organisation(models.Model):
    """An agency in the partnership: a safeguarding partner, a relevant agency, a school."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The organisation this one is part of, if any.",
    )
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    name_since = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The first day of the current name, if the organisation has been renamed.",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @cached_property
    def former_names_by_date(self) -> list["FormerName"]:
        """Former names, earliest first (one query per organisation, none if prefetched)."""
        return sorted(self.former_names.all(), key=lambda former: former.used_until)

    def _former_name_on(self, day) -> "FormerName | None":
        if day is None or self.name_since is None:
            return None
        if isinstance(day, datetime.datetime):
            day = timezone.localdate(day)
        if day >= self.name_since:
            return None  # today's name: no query needed
        return next(
            (former for former in self.former_names_by_date if day <= former.used_until), None
        )

    def name_on(self, day) -> str:
        """The name the organisation had on `day` (a date or datetime), for historical records:
        the 2019 minutes say Knowsley Clinical Commissioning Group, today's directory says NHS
        Cheshire and Merseyside Integrated Care Board. No date means today's name."""
        former = self._former_name_on(day)
        return former.name if former else self.name

    def display_name_on(self, day) -> str:
        """The short name (else the name) in use on `day`, as `display_name` is today's."""
        former = self._former_name_on(day)
        if former is None:
            return self.display_name
        return former.short_name or former.name


class FormerName(models.Model):
    """A name an organisation was known by until a date: a CCG that became part of an ICB,
    a school that became an academy. Recorded by `services.organisation_rename`."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="former_names"
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60, blank=True)
    used_until = models.DateField(help_text="The last day the organisation had this name.")

    class Meta:
        ordering = ["organisation", "used_until"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "used_until"], name="one_former_name_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (until {self.used_until.day} {self.used_until:%B %Y})"


class PersonQuerySet(models.QuerySet):
    def current(self):
        """People who have not ended: the ones pickers offer."""
        return self.filter(ended_on__isnull=True)

    def visible_to(self, user):
        """The directory's people are for partnership staff (contact details are personal)."""
        if user is not None and user.has_perm("directory.view_person"):
            return self
        return self.none()


class Person(models.Model):
    """A contact at an organisation, optionally linked to a user account.

    Nobody is deleted: a person who leaves is ended (`ended_on`), kept with their history,
    shown as ended and left out of pickers.
    """

    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    is_chief_officer = models.BooleanField(
        default=False,
        help_text="The organisation's chief officer: persistent non-attendance is reported to them.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["organisation", "full_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_chief_officer=True),
                name="one_chief_officer_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("directory:person", kwargs={"pk": self.pk})

    @property
    def has_ended(self) -> bool:
        return self.ended_on is not None


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class AgencyTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class AgencyToken(models.Model):
    """A secret that lets one agency's systems call the API on that agency's behalf.

    Only a hash is stored: the raw token is shown once, when it is issued.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AgencyTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.organisation} – {self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, organisation, name, created_by=None, raw=None) -> tuple["AgencyToken", str]:
        raw = raw or secrets.token_urlsafe(32)
        token = cls.objects.create(
            organisation=organisation,
            name=name,
            prefix=raw[:8],
            key_hash=_hash_token(raw),
            created_by=created_by,
        )
        return token, raw

    @classmethod
    def find(cls, raw: str) -> "AgencyToken | None":
        if not raw or len(raw) > 200:
            return None
        return (
            cls.objects.usable()
            .select_related("organisation")
            .filter(key_hash=_hash_token(raw))
            .first()
        )


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    CHECKING = "checking", "Checking the rows"
    ADDING = "adding", "Adding people"
    DONE = "done", "Done"
    REFUSED = "refused", "Not added: errors to put right"


class PeopleImport(models.Model):
    """One spreadsheet of people to onboard, checked whole and added all at once or not at
    all, in the background. The file is kept until it has been read."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    content = models.BinaryField(editable=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    row_count = models.PositiveIntegerField(default=0)
    added_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first errors (row, column, message); error_count says how many there were.
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"People from {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("directory:people-import", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.REFUSED}
