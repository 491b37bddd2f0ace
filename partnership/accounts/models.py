"""Users and what they may do.

Roles (what actions a user may take) are kept apart from scope (which records a user may
see): a role is a `RoleGrant`; scope comes from the user's organisation, their group
memberships and explicit access lists on records.
"""

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property


class Role(models.TextChoices):
    BUSINESS_UNIT = "business_unit", "Business unit administrator"
    INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
    PARTNER_LEAD = "partner_lead", "Safeguarding partner lead"
    GROUP_MEMBER = "group_member", "Group member"
    DATA_SUBMITTER = "data_submitter", "Data submitter"
    REVIEWER = "reviewer", "Reviewer"
    PRACTITIONER = "practitioner", "Practitioner"


# Every role but practitioner reaches confidential records, so it needs a second factor.
ROLES_NEEDING_TWO_FACTOR = frozenset(Role) - {Role.PRACTITIONER}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # A private token for calendar feeds (ICS) that cannot carry a session cookie.
    calendar_token = models.CharField(max_length=64, blank=True, db_index=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_staff(self) -> bool:
        # Django's admin site is not installed; "staff" here means partnership staff.
        return self.needs_two_factor

    @cached_property
    def grants(self) -> tuple[tuple[str, int | None], ...]:
        """(role, organisation id of its scope) for each of the user's roles: one query."""
        return tuple(self.role_grants.values_list("role", "organisation_id"))

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(role for role, _ in self.grants)

    @property
    def agency_ids(self) -> frozenset[int]:
        """The organisations whose returns and figures are the user's own: their organisation,
        and each organisation a data submitter role of theirs is for."""
        scoped = {
            organisation_id
            for role, organisation_id in self.grants
            if role in ROLES_WITH_ORGANISATION_SCOPE and organisation_id
        }
        return frozenset(scoped | ({self.organisation_id} if self.organisation_id else set()))

    def forget_roles(self) -> None:
        """Drop the cached roles after a grant changes (the next read asks the database)."""
        for name in ("grants", "roles"):
            self.__dict__.pop(name, None)

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in sorted(self.roles)]

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def needs_two_factor(self) -> bool:
        return self.is_superuser or bool(self.roles & ROLES_NEEDING_TWO_FACTOR)


# Roles whose grant may name the organisation it is for (a data submitter sends one agency's
# returns). Group and review scopes are kept by governance memberships and review access lists.
ROLES_WITH_ORGANISATION_SCOPE = frozenset({Role.DATA_SUBMITTER})


class RoleGrant(models.Model):
    """A grant of one role to one user, optionally for one organisation (its scope)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_grants",
        help_text="The organisation the role is for (a data submitter's agency), if any.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    @property
    def description(self) -> str:
        """The role as a page shows it: "Data submitter for Knowsley Housing Trust"."""
        if self.organisation_id:
            return f"{self.get_role_display()} for {self.organisation}"
        return self.get_role_display()


def invitation_token_hash(raw: str) -> str:
    return hashlib.sha256(f"invitation:{raw}".encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Invitations that may still be accepted: not used, withdrawn or expired."""
        return self.filter(
            used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An invitation to set a password on a new account. Only a hash of the single-use token
    in the emailed link is kept; resending makes a new invitation and withdraws the old one."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"Invitation for {self.user}"

    @property
    def status(self) -> str:
        """Open, accepted, withdrawn or expired: what the person page shows."""
        if self.used_at:
            return "Accepted"
        if self.withdrawn_at:
            return "Withdrawn"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Open"

    @property
    def is_open(self) -> bool:
        return self.status == "Open"
