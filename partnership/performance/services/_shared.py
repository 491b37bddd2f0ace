"""What the sections of the performance services share: numbers and names."""

from decimal import Decimal

from partnership.trail.actors import Actor

from ..models import (
    Unit,
    format_value,
)

HUNDRED = Decimal("100")
TEN_THOUSAND = Decimal("10000")


def _num(value: Decimal) -> str:
    return format_value(value, Unit.COUNT)


def _who(actor: Actor) -> str:
    """How a version or a comment names who made it: the person's name, or what the actor is
    (an agency's API token and its organisation; a named job)."""
    return str(actor.user) if actor.user is not None else actor.label
