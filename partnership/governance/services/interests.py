"""The register of interests, and interests declared on an agenda item."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.directory.models import Person
from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record

from ..models import (
    AgendaItem,
    InterestDeclaration,
    ItemDeclaration,
)

# Declarations of interest -------------------------------------------------------------


@transaction.atomic
def interest_declare(
    *,
    person: Person,
    kind: str,
    interest: str,
    details: str = "",
    declared_on: dt.date | None = None,
    actor: Actor,
) -> InterestDeclaration:
    """Add an interest to a member's standing register."""
    declaration = InterestDeclaration.objects.create(
        person=person,
        kind=kind,
        interest=interest,
        details=details,
        declared_on=declared_on or timezone.localdate(),
        recorded_by=actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=declaration,
        summary=f"Declared an interest for {person}",
    )
    return declaration


@transaction.atomic
def interest_end(
    *, declaration: InterestDeclaration, ended_on: dt.date, actor: Actor
) -> InterestDeclaration:
    if ended_on < declaration.declared_on:
        raise ValidationError("An interest cannot end before it was declared", code="early")
    declaration.ended_on = ended_on
    declaration.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=declaration,
        changes={"ended_on": [None, ended_on]},
    )
    return declaration


@transaction.atomic
def item_declaration_record(
    *, item: AgendaItem, person: Person, interest: str, outcome: str, actor: Actor
) -> ItemDeclaration:
    """Record an interest declared on one agenda item."""
    declaration = ItemDeclaration.objects.create(
        item=item, person=person, interest=interest, outcome=outcome, recorded_by=actor.user
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=declaration,
        summary=f"{person} declared an interest on item {item.position} of {item.meeting}",
    )
    return declaration
