"""Who a subject access or erasure request is about: found by the email address the request
gives, as an account, directory entries, and bookings made in that address."""

from dataclasses import dataclass, field

from django.db.models import Q

from partnership.accounts.models import User
from partnership.directory.models import Person


@dataclass(frozen=True)
class Subject:
    email: str
    user: User | None = None
    person_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def reference(self) -> str:
        """The subject by ids only, for records that must not keep who it was."""
        parts = []
        if self.user is not None:
            parts.append(f"account {self.user.pk}")
        if self.person_ids:
            parts.append("directory " + ", ".join(f"person {pk}" for pk in self.person_ids))
        return "; ".join(parts) or "bookings in an email address only"


def subject_find(email: str) -> Subject:
    """The account and directory entries with this email address (case ignored), and through
    the account its directory entry."""
    email = email.strip().lower()
    if not email:
        return Subject(email="")
    user = User.objects.filter(email__iexact=email).first()
    match = Q(email__iexact=email)
    if user is not None:
        match |= Q(user=user)
    person_ids = tuple(Person.objects.filter(match).order_by("pk").values_list("pk", flat=True))
    return Subject(email=email, user=user, person_ids=person_ids)
