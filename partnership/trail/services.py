"""Writing to and checking the audit trail."""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .actors import Actor, ActorKind
from .models import CHAIN_VERSION, GENESIS_HASH, Action, AuditChainHead, AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address; django-axes has already worked it out behind any proxies."""
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action: Action | str,
    obj: models.Model | None = None,
    summary: str = "",
    changes: dict | None = None,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
) -> AuditEntry:
    """Append one entry to the audit trail.

    Call it inside the transaction that makes the change, so that the change and its record
    stand or fall together. The chain head is locked for the rest of that transaction, which
    keeps the chain linear when several requests write at once.
    """
    actor = _legacy_actor(actor, request)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            at=timezone.now(),
            chain_version=CHAIN_VERSION,
            actor=actor.user if actor else None,
            actor_label=actor.label if actor else "Anonymous",
            actor_kind=str(actor.kind) if actor else None,
            actor_token=actor.token if actor else None,
            actor_organisation=actor.organisation if actor else None,
            actor_job=(actor.job or None) if actor else None,
            ip_address=actor.client_ip if actor else client_ip(request),
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


def _legacy_actor(actor, request) -> Actor | None:
    """Transitional: a bare user (and request) from code not yet on the Actor contract."""
    if isinstance(actor, Actor):
        if request is not None and actor.client_ip is None and actor.kind == ActorKind.USER:
            return Actor.for_user(actor.user, client_ip=client_ip(request))
        return actor
    if actor is not None and getattr(actor, "is_authenticated", False):
        return Actor.for_user(actor, client_ip=client_ip(request))
    return None


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
