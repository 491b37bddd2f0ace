"""Signed checkpoints of the chain's head, appended to a file outside the database.

The chain shows an entry edited or removed from the middle, but someone who deletes the newest
entries and moves the chain head back leaves a shorter chain that is whole. A checkpoint says,
signed with the trail's key: at this time there were N entries, the last was entry X and its
hash was H. `verify` checks every checkpoint against the chain, so entries deleted after a
checkpoint, or the whole table emptied, are found. The file is only ever appended to: keep it
where the database's users cannot write (docs/guide/audit.md), and ship a copy off the host.

One JSON object per line: kind ("checkpoint", or "restore" when a restore from a backup starts
the chain again from the backup's head), at, entries, last_id, last_hash, note, key_id, mac.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .keys import Keyring, keyring

CHECKPOINT = "checkpoint"
RESTORE = "restore"
KINDS = (CHECKPOINT, RESTORE)


def checkpoint_path(path: str | os.PathLike | None = None) -> Path:
    return Path(path or settings.AUDIT_CHECKPOINT_FILE)


@dataclass(frozen=True)
class Checkpoint:
    kind: str
    at: dt.datetime
    entries: int
    last_id: int | None
    last_hash: str
    note: str
    key_id: str
    mac: str
    line: int = 0

    def signed_fields(self) -> dict:
        return {
            "kind": self.kind,
            "at": self.at.isoformat(timespec="microseconds"),
            "entries": self.entries,
            "last_id": self.last_id,
            "last_hash": self.last_hash,
            "note": self.note,
            "key_id": self.key_id,
        }

    @staticmethod
    def message(fields: dict) -> str:
        return json.dumps(fields, sort_keys=True, separators=(",", ":"))

    @classmethod
    def sign(cls, *, kind, at, entries, last_id, last_hash, note="", keys: Keyring) -> Checkpoint:
        unsigned = cls(kind, at, entries, last_id, last_hash, note, keys.current_id, mac="")
        mac = keys.sign(cls.message(unsigned.signed_fields()))
        return cls(kind, at, entries, last_id, last_hash, note, keys.current_id, mac=mac)

    def to_line(self) -> str:
        return json.dumps({**self.signed_fields(), "mac": self.mac}, sort_keys=True) + "\n"


def append(checkpoint: Checkpoint, path: str | os.PathLike | None = None) -> Path:
    """Append one checkpoint and wait until it is on disk."""
    target = checkpoint_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: one small write per line, so concurrent writers never interleave.
    descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, checkpoint.to_line().encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return target


@dataclass
class Loaded:
    path: Path
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def load(path: str | os.PathLike | None = None, keys: Keyring | None = None) -> Loaded:
    """Every checkpoint in the file whose signature holds; a problem for each line that is
    not a checkpoint, is signed with an unknown key, or whose signature does not match."""
    keys = keys or keyring()
    loaded = Loaded(path=checkpoint_path(path))
    try:
        text = loaded.path.read_text()
    except FileNotFoundError:
        return loaded
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"Line {number} of the checkpoint file {loaded.path}"
        try:
            data = json.loads(raw)
            fields = {
                "kind": data["kind"],
                "at": data["at"],
                "entries": data["entries"],
                "last_id": data["last_id"],
                "last_hash": data["last_hash"],
                "note": data["note"],
                "key_id": data["key_id"],
            }
            mac = data["mac"]
            if fields["kind"] not in KINDS:
                raise ValueError(fields["kind"])
            checkpoint = Checkpoint(
                kind=fields["kind"],
                at=dt.datetime.fromisoformat(fields["at"]),
                entries=int(fields["entries"]),
                last_id=None if fields["last_id"] is None else int(fields["last_id"]),
                last_hash=str(fields["last_hash"]),
                note=str(fields["note"]),
                key_id=str(fields["key_id"]),
                mac=str(mac),
                line=number,
            )
        except (ValueError, KeyError, TypeError):
            loaded.problems.append(f"{where} is not a checkpoint: the file was altered.")
            continue
        try:
            expected = keys.sign(Checkpoint.message(checkpoint.signed_fields()), checkpoint.key_id)
        except KeyError:
            loaded.problems.append(
                f"{where} is signed with key id {checkpoint.key_id!r}, which is not configured "
                "(AUDIT_TRAIL_KEYS): it cannot be checked."
            )
            continue
        if not hmac.compare_digest(expected, checkpoint.mac):
            loaded.problems.append(
                f"{where} does not match its signature: it was altered or forged."
            )
            continue
        loaded.checkpoints.append(checkpoint)
    return loaded
