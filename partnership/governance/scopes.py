"""Scope: which records a user may see, kept apart from roles (what they may do).

Later modules build their `visible_to(user)` querysets from these pieces, so that the three
kinds of scope are worded once: the user's own organisation, the groups they sit on, and an
explicit access list on the record.
"""

from django.db.models import Q

from partnership.governance.models import Membership


def organisation_ids(user) -> set[int]:
    return {user.organisation_id} if user.organisation_id else set()


def group_ids(user) -> set[int]:
    """The groups the user currently sits on (through their directory entry)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_group_ids", None)
    if cached is None:
        cached = set(
            Membership.objects.current()
            .filter(person__user=user)
            .values_list("group_id", flat=True)
        )
        user._group_ids = cached
    return cached


def scope_q(
    user,
    *,
    organisation: str | None = None,
    group: str | None = None,
    access_list: str | None = None,
) -> Q:
    """A filter matching records in the user's scope by any of the paths given.

    `organisation`, `group` and `access_list` are lookups from the record to an
    organisation, a group and a many-to-many of users respectively. A user with no scope
    matches nothing (never everything).
    """
    condition = Q(pk__in=[])
    if organisation and user.organisation_id:
        condition |= Q(**{organisation: user.organisation_id})
    if group:
        ids = group_ids(user)
        if ids:
            condition |= Q(**{f"{group}__in": ids})
    if access_list and user.is_authenticated:
        condition |= Q(**{access_list: user.pk})
    return condition
