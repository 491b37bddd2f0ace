"""Writing to and checking the audit trail, and anchoring its head outside the database."""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from . import checkpoints
from .actors import Actor
from .keys import DEV_KEY_ID, keyring
from .models import (
    CHAIN_VERSION,
    GENESIS_HASH,
    KEYED_CHAIN_VERSION,
    Action,
    AuditChainHead,
    AuditEntry,
)


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
    keys = keyring()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            at=timezone.now(),
            chain_version=CHAIN_VERSION,
            key_id=keys.current_id,
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
        entry.entry_hash = entry.compute_hash(head.last_hash, keys)
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


def audit_checkpoint_write(
    *, actor: Actor, kind: str = checkpoints.CHECKPOINT, note: str = ""
) -> checkpoints.Checkpoint:
    """Anchor the chain's head outside the database: record the checkpoint on the trail, then
    (once that commits) append it, signed, to AUDIT_CHECKPOINT_FILE. Returns the checkpoint.

    `kind` is "restore" when a restore from a backup starts the chain again from the
    backup's head (see `audit_verify`); `note` says which backup.
    """
    summary = {
        checkpoints.CHECKPOINT: "Checkpoint of the trail's head written outside the database",
        checkpoints.RESTORE: "Trail restored from a backup; checkpoint of the restored head",
    }[kind]
    with transaction.atomic():
        if kind == checkpoints.RESTORE:
            # A restore anchors the head the backup brought back; its own entry comes after.
            checkpoint = _checkpoint_of_head(kind=kind, note=note)
        audit_record(
            actor=actor,
            action=Action.CHECKPOINT,
            summary=f"{summary}{f' ({note})' if note else ''}",
            object_type="audit.checkpoint",
        )
        if kind == checkpoints.CHECKPOINT:
            checkpoint = _checkpoint_of_head(kind=kind, note=note)
        # Only what has committed is anchored: a rolled-back entry never reaches the file.
        transaction.on_commit(lambda: checkpoints.append(checkpoint))
    return checkpoint


def _checkpoint_of_head(*, kind: str, note: str) -> checkpoints.Checkpoint:
    # Locked: nothing else joins the chain until the transaction commits.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    last_id = head.last_entry_id
    count = AuditEntry.objects.filter(id__lte=last_id).count() if last_id is not None else 0
    return checkpoints.Checkpoint.sign(
        kind=kind,
        at=timezone.now(),
        entries=count,
        last_id=last_id,
        last_hash=head.last_hash,
        note=note,
        keys=keyring(),
    )


@dataclass
class ChainProblem:
    entry_id: int | None
    message: str


@dataclass
class Verification:
    """What `audit_verify` found: `problems` mean tampering (or a missing key); `notes` are
    worth reading but prove nothing wrong."""

    entries: int = 0
    versions: Counter = field(default_factory=Counter)
    problems: list[ChainProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checkpoints_matched: int = 0
    latest_checkpoint: checkpoints.Checkpoint | None = None

    @property
    def intact(self) -> bool:
        return not self.problems


def audit_verify_chain(batch_size: int = 2000) -> list[ChainProblem]:
    """Every break in the chain and every mismatch with the checkpoints ([] when intact)."""
    return audit_verify(batch_size=batch_size).problems


def audit_verify(
    *, batch_size: int = 2000, checkpoint_file=None, use_checkpoints: bool = True
) -> Verification:
    """Walk the whole chain in order and check it against the signed checkpoints.

    Detects: an entry whose content no longer matches its hash or HMAC (edited, or forged by
    someone without the key); an entry whose previous hash is not the hash of the entry before
    it (one deleted or inserted); an unkeyed entry after keyed ones (a forgery written as an
    old version); a chain head that points past the last entry (entries deleted from the end);
    and, from the checkpoint file, entries deleted from the end with the head moved back, or
    the whole trail emptied. `use_checkpoints=False` checks the chain alone (a restore does,
    before the restore is recorded).
    """
    result = Verification()
    keys = keyring()
    loaded = checkpoints.load(checkpoint_file) if use_checkpoints else None
    if loaded is not None:
        result.problems.extend(ChainProblem(None, message) for message in loaded.problems)
    anchored = {c.last_id for c in loaded.checkpoints if c.last_id is not None} if loaded else set()
    seen: dict[int, tuple[int, str]] = {}  # entry id -> (position in the chain, its hash)
    expected_previous = GENESIS_HASH
    last_id = None
    first_keyed = None
    recorded_checkpoints = 0
    dev_signed = 0
    queryset = AuditEntry.objects.order_by("id")
    start_after = 0
    while True:
        batch = list(queryset.filter(id__gt=start_after)[:batch_size])
        if not batch:
            break
        for entry in batch:
            result.entries += 1
            version = entry.chain_version or 1
            result.versions[version] += 1
            if entry.previous_hash != expected_previous:
                result.problems.append(
                    ChainProblem(
                        entry.pk,
                        f"Entry {entry.pk} does not follow the entry before it: "
                        "an entry was deleted, inserted or edited.",
                    )
                )
            if version >= KEYED_CHAIN_VERSION:
                first_keyed = first_keyed or entry.pk
                dev_signed += entry.key_id == DEV_KEY_ID
            elif first_keyed is not None:
                result.problems.append(
                    ChainProblem(
                        entry.pk,
                        f"Entry {entry.pk} is unsigned (chain version {version}) but comes "
                        f"after signed entries (from entry {first_keyed}): it was written or "
                        "rewritten by someone without the key.",
                    )
                )
            try:
                matches = entry.compute_hash(entry.previous_hash, keys) == entry.entry_hash
            except KeyError:
                result.problems.append(
                    ChainProblem(
                        entry.pk,
                        f"Entry {entry.pk} is signed with key id {entry.key_id!r}, which is "
                        "not configured (AUDIT_TRAIL_KEYS): it cannot be checked."
                        if entry.key_id
                        else f"Entry {entry.pk} is a signed entry with no key id: it was edited.",
                    )
                )
            else:
                if not matches:
                    result.problems.append(
                        ChainProblem(
                            entry.pk,
                            f"Entry {entry.pk} was edited after it was written"
                            + (
                                " (its signature does not match: whoever changed it did not "
                                "have the key, unless its key id now names another key)."
                                if version >= KEYED_CHAIN_VERSION
                                else "."
                            ),
                        )
                    )
            if entry.pk in anchored:
                seen[entry.pk] = (result.entries, entry.entry_hash)
            recorded_checkpoints += entry.action == Action.CHECKPOINT
            expected_previous = entry.entry_hash
            last_id = entry.pk
        start_after = batch[-1].pk
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != expected_previous:
        result.problems.append(
            ChainProblem(
                head.last_entry_id,
                f"The chain should end at entry {head.last_entry_id}, but the last entry is "
                f"{last_id}: entries were deleted from the end.",
            )
        )
    if loaded is not None:
        _check_against_checkpoints(result, loaded, seen, recorded_checkpoints)
    if dev_signed and not keys.is_development_key:
        result.notes.append(
            f"{dev_signed} entries are signed with the development key derived from "
            "SECRET_KEY (key id 'dev'), from before AUDIT_TRAIL_KEY was set."
        )
    return result


def _check_against_checkpoints(result, loaded, seen, recorded_checkpoints) -> None:
    if not loaded.checkpoints:
        if recorded_checkpoints:
            result.problems.append(
                ChainProblem(
                    None,
                    f"The trail records {recorded_checkpoints} checkpoint(s) but the checkpoint "
                    f"file {loaded.path} holds none: it was deleted or replaced.",
                )
            )
        elif result.entries:
            result.notes.append(
                f"No checkpoint in {loaded.path} yet: deleting the newest entries would not be "
                "detected until one is written (manage.py audit_checkpoint, or the daily sweep)."
            )
        return
    restores = [c for c in loaded.checkpoints if c.kind == checkpoints.RESTORE]
    for checkpoint in loaded.checkpoints:
        where = f"the checkpoint of {checkpoint.at:%Y-%m-%d %H:%M:%S %Z} (line {checkpoint.line})"
        superseded_by = next(
            (
                restore
                for restore in restores
                if restore.line > checkpoint.line
                and (restore.last_id or 0) < (checkpoint.last_id or 0)
            ),
            None,
        )
        if superseded_by is not None:
            result.notes.append(
                f"{where[0].upper()}{where[1:]} anchored entries up to {checkpoint.last_id}; the "
                f"restore of {superseded_by.at:%Y-%m-%d %H:%M} ({superseded_by.note or 'a backup'}) "
                f"went back to entry {superseded_by.last_id}, so the entries after it were "
                "lost then."
            )
            continue
        if checkpoint.last_id is None:
            result.checkpoints_matched += 1
            continue
        found = seen.get(checkpoint.last_id)
        if found is None:
            emptied = " The whole trail is empty." if not result.entries else ""
            result.problems.append(
                ChainProblem(
                    checkpoint.last_id,
                    f"Entry {checkpoint.last_id} is missing: {where} anchored "
                    f"{checkpoint.entries} entries ending there, so entries were deleted from "
                    f"the end and the chain head moved back.{emptied}",
                )
            )
        elif found[1] != checkpoint.last_hash:
            result.problems.append(
                ChainProblem(
                    checkpoint.last_id,
                    f"Entry {checkpoint.last_id} is not the entry {where} anchored (its hash "
                    "differs): the chain was rewritten.",
                )
            )
        elif found[0] != checkpoint.entries:
            result.problems.append(
                ChainProblem(
                    checkpoint.last_id,
                    f"{where[0].upper()}{where[1:]} counted {checkpoint.entries} entries up to "
                    f"entry {checkpoint.last_id}; there are now {found[0]}: entries were "
                    "deleted or inserted before it.",
                )
            )
        else:
            result.checkpoints_matched += 1
    written = sum(1 for c in loaded.checkpoints if c.kind == checkpoints.CHECKPOINT) + len(restores)
    if recorded_checkpoints > written:
        result.problems.append(
            ChainProblem(
                None,
                f"The trail records {recorded_checkpoints} checkpoints but {loaded.path} holds "
                f"{written}: lines were removed from the file (or a write to it failed).",
            )
        )
    result.latest_checkpoint = loaded.checkpoints[-1]
