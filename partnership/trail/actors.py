"""Who does something: the value every service receives and every audit entry names.

An `Actor` is made at the edge (a view from the signed-in user, the API from the agency's
token, a task or the daily sweep from its job name) and passed down, so a service never needs
the HTTP request and the trail can always say who. See docs/adr/0009-actor-contract.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:  # imported for type hints only: the audit app sits below directory
    from partnership.accounts.models import User
    from partnership.directory.models import AgencyToken, Organisation


class ActorKind(models.TextChoices):
    USER = "user", "Person"
    TOKEN = "token", "Agency API token"
    SYSTEM = "system", "System job"
    VISITOR = "visitor", "Visitor (not signed in)"


@dataclass(frozen=True)
class Actor:
    """A signed-in person, an agency's API token, a named system job, or a visitor who is not
    signed in; plus the client address where there is one. Build one with `for_user`,
    `for_token`, `system` or `visitor`; never an empty one."""

    kind: ActorKind
    user: User | None = None
    token: AgencyToken | None = None
    job: str = ""
    client_ip: str | None = None

    def __post_init__(self):
        if self.kind == ActorKind.USER and (self.user is None or not self.user.is_authenticated):
            raise ValueError("A person acting must be a signed-in user.")
        if self.kind == ActorKind.TOKEN and self.token is None:
            raise ValueError("An API actor needs its token.")
        if self.kind in (ActorKind.SYSTEM, ActorKind.VISITOR) and not self.job.strip():
            raise ValueError("A system job or a visitor needs a name for what it is doing.")

    @classmethod
    def for_user(cls, user: User, *, client_ip: str | None = None) -> Actor:
        return cls(kind=ActorKind.USER, user=user, client_ip=client_ip)

    @classmethod
    def for_token(cls, token: AgencyToken, *, client_ip: str | None = None) -> Actor:
        return cls(kind=ActorKind.TOKEN, token=token, client_ip=client_ip)

    @classmethod
    def system(cls, job: str) -> Actor:
        """A named job: "daily deadline sweep", "training reminders", "demo loader"."""
        return cls(kind=ActorKind.SYSTEM, job=job)

    @classmethod
    def visitor(cls, doing: str, *, client_ip: str | None = None) -> Actor:
        """Someone not signed in: a failed sign-in, a course evaluation by emailed link."""
        return cls(kind=ActorKind.VISITOR, job=doing, client_ip=client_ip)

    @property
    def organisation(self) -> Organisation | None:
        """The organisation acted for: the token's, or the person's own (if the directory
        links them to one)."""
        if self.token is not None:
            return self.token.organisation
        if self.user is not None:
            return getattr(self.user, "organisation", None)
        return None

    @property
    def label(self) -> str:
        """How the trail names the actor, kept even if the account or token changes later."""
        if self.kind == ActorKind.USER:
            label = f"{self.user.full_name} <{self.user.email}>"
            organisation = self.organisation
            return f"{label}, {organisation}" if organisation else label
        if self.kind == ActorKind.TOKEN:
            return f"API token {self.token.name} ({self.token.prefix}…), {self.token.organisation}"
        if self.kind == ActorKind.VISITOR:
            return f"Visitor (not signed in): {self.job}"
        return f"System: {self.job}"

    def __str__(self) -> str:
        return self.label
