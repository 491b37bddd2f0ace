"""Writing to and checking the audit trail."""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .actors import Actor
from .models import CHAIN_VERSION, GENESIS_HASH, Action, AuditChainHead, AuditEntry


def audit_record(
    *,
    actor: Actor,
    action: Action | str,
    obj: models.Model | None = None,
    summary: str = "",
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
) -> AuditEntry:
    """Append one entry to the audit trail.

    Call it inside the transaction that makes the change, so that the change and its record
    stand or fall together. The chain head is locked for the rest of that transaction, which
    keeps the chain linear when several requests write at once.

    `actor` says who: a person, an agency's API token, a system job or a visitor (see
    `partnership.trail.actors`). Anything else, an empty actor included, raises TypeError:
    an entry that cannot say who acted fails the trail's purpose.
    """
    if not isinstance(actor, Actor):
        raise TypeError(f"audit_record needs an Actor, not {actor!r}")
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            at=timezone.now(),
            chain_version=CHAIN_VERSION,
            actor=actor.user,
            actor_label=actor.label[:300],
            actor_kind=str(actor.kind),
            actor_token=actor.token,
            actor_organisation=actor.organisation,
            actor_job=actor.job or None,
            ip_address=actor.client_ip,
            action=str(action),
            object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=object_id or (str(obj.pk) if obj is not None else ""),
            object_label=(object_label or (str(obj) if obj is not None else ""))[:300],
            summary=summary,
            # Stored as plain JSON, so that the hash computed now matches the one read back.
            changes=json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder)),
            previous_hash=head.last_hash,
        )
        entry.entry_hash = entry.compute_hash(head.last_hash)
        entry.save()
        head.last_hash = entry.entry_hash
        head.last_entry_id = entry.pk
        head.save(update_fields=["last_hash", "last_entry_id"])
    return entry


def diff(before: dict, after: dict) -> dict:
    """A summary of the fields that changed, as {field: [old, new]}."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


@dataclass
class ChainProblem:
    entry_id: int | None
    message: str


def audit_verify_chain(batch_size: int = 2000) -> list[ChainProblem]:
    """Walk the whole chain in order and report every break.

    Detects: an entry whose content no longer matches its hash (edited); an entry whose
    previous hash is not the hash of the entry before it (one deleted or inserted); and a
    chain head that points past the last entry (entries deleted from the end).
    """
    problems: list[ChainProblem] = []
    expected_previous = GENESIS_HASH
    last_id = None
    queryset = AuditEntry.objects.order_by("id")
    start_after = 0
    while True:
        batch = list(queryset.filter(id__gt=start_after)[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.previous_hash != expected_previous:
                problems.append(
                    ChainProblem(
                        entry.pk,
                        f"Entry {entry.pk} does not follow the entry before it: "
                        "an entry was deleted, inserted or edited.",
                    )
                )
            if entry.compute_hash(entry.previous_hash) != entry.entry_hash:
                problems.append(
                    ChainProblem(entry.pk, f"Entry {entry.pk} was edited after it was written.")
                )
            expected_previous = entry.entry_hash
            last_id = entry.pk
        start_after = batch[-1].pk
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != expected_previous:
        problems.append(
            ChainProblem(
                head.last_entry_id,
                f"The chain should end at entry {head.last_entry_id}, but the last entry is "
                f"{last_id}: entries were deleted from the end.",
            )
        )
    return problems
