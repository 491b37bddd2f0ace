"""Backup and restore: the database and the uploads together, in one archive with a manifest.

An archive (`partnership-backup-<UTC time>.tar.gz`) holds:
- `data.json`: every row, as `dumpdata` writes it (natural keys for content types and
  permissions, which `migrate` recreates with ids of its own; primary keys kept, so the audit
  chain, which covers the ids it names, verifies after a restore);
- `uploads/...`: every file in the default storage (MEDIA_ROOT);
- `manifest.json`: when and by whom, the migrations the data is for, the row count of every
  table, the audit trail's head, and the SHA-256 of every other member.
Next to it, `<archive>.sha256` (the archive's own checksum, for `sha256sum -c`).

A restore goes into a freshly migrated, empty database at the same migrations, with empty
storage: it checks every checksum first, loads everything in one transaction, compares every
table's count with the manifest and verifies the audit chain before it commits, then records
the restore on the trail with a signed checkpoint (docs/guide/backup.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.timezone import is_aware

from partnership.trail import checkpoints
from partnership.trail.actors import Actor
from partnership.trail.models import Action, AuditChainHead, AuditEntry
from partnership.trail.services import audit_checkpoint_write, audit_record, audit_verify

FORMAT = 1
MANIFEST = "manifest.json"
DATA = "data.json"
UPLOADS = "uploads/"
# Recreated by `migrate` (content types, permissions) or not worth keeping (sessions: everyone
# signs in again after a restore).
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
AUDIT_TABLES = ("audit_auditentry", "audit_auditchainhead")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, and nothing changed."""


@dataclass
class BackupResult:
    archive: Path
    manifest: dict


@dataclass
class RestoreResult:
    manifest: dict
    tables: int
    rows: int
    files: int


def _models():
    """The models a backup holds, auto-created many-to-many tables included (for the counts)."""
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in excluded_apps:
            continue
        if meta.label_lower in excluded_models:
            continue
        if meta.auto_created and meta.auto_created._meta.label_lower in excluded_models:
            continue
        yield model


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times to the microsecond: Django's encoder keeps milliseconds, and the audit chain's
    hashes cover each entry's time to the microsecond."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            if isinstance(o, dt.time) and is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            value = o.isoformat()
            return value[:-6] + "Z" if value.endswith("+00:00") else value
        return super().default(o)


def _dump(path: Path, using: str) -> None:
    """Every row of every backed-up model, in dependency order, as `dumpdata` would write it
    (natural keys for the content types and permissions `migrate` recreates), to the
    microsecond."""
    included = set(_models())
    ordered = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )

    def rows():
        for model in ordered:
            if model in included:
                yield from model._base_manager.using(using).order_by("pk").iterator()

    with path.open("w") as stream:
        serializers.serialize(
            "json", rows(), stream=stream, use_natural_foreign_keys=True, cls=ExactJSONEncoder
        )


def _counts(using: str) -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in sorted(_models(), key=lambda m: m._meta.label_lower)
    }


def _migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    recorder = MigrationRecorder(connections[using])
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _storage_files(storage, directory: str = "") -> list[str]:
    directories, files = storage.listdir(directory)
    names = [f"{directory}{name}" for name in files]
    for sub in directories:
        names.extend(_storage_files(storage, f"{directory}{sub}/"))
    return sorted(names)


def _audit_head(using: str) -> dict:
    head = AuditChainHead.objects.using(using).filter(id=1).first()
    return {
        "entries": AuditEntry.objects.using(using).count(),
        "last_id": head.last_entry_id if head else None,
        "last_hash": head.last_hash if head else None,
    }


def backup_create(
    *, actor: Actor, directory: Path, storage=None, using: str = DEFAULT_DB_ALIAS
) -> BackupResult:
    """Write one archive of the whole database and every upload into `directory`."""
    storage = storage or default_storage
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"partnership-backup-{stamp}.tar.gz"
    # The backup is on the trail, and in the backup: a copy of everything is an export.
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        summary="Backup of the whole database and the uploads",
        object_type="backups.backup",
        object_label=name,
    )
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="partnership-backup-") as work:
        work_dir = Path(work)
        data_path = work_dir / DATA
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if outermost and connection.vendor == "postgresql":
                # Every table as of one moment (SQLite's IMMEDIATE transaction holds the lock).
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            _dump(data_path, using)
            counts = _counts(using)
            head = _audit_head(using)
            migrations = _migrations(using)
        files = {DATA: {"sha256": _sha256_file(data_path), "bytes": data_path.stat().st_size}}
        partial = directory / f".{name}.partial"
        moment = int(timezone.now().timestamp())
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(data_path, arcname=DATA, recursive=False)
            for upload in _storage_files(storage):
                info = tarfile.TarInfo(f"{UPLOADS}{upload}")
                info.size = storage.size(upload)
                info.mtime = moment
                with storage.open(upload, "rb") as handle:
                    # Hashed as it is archived, so the checksum is of what the archive holds.
                    reader = _HashingReader(handle)
                    archive.addfile(info, reader)
                files[info.name] = {"sha256": reader.digest.hexdigest(), "bytes": info.size}
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "created_by": actor.label,
                "database": connection.vendor,
                "migrations": migrations,
                "tables": counts,
                "audit": head,
                "files": files,
            }
            manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(manifest_bytes)
            info.mtime = moment
            archive.addfile(info, io.BytesIO(manifest_bytes))
        target = directory / name
        partial.rename(target)
    Path(f"{target}.sha256").write_text(f"{_sha256_file(target)}  {name}\n")
    return BackupResult(archive=target, manifest=manifest)


class _HashingReader:
    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _read_archive(archive_path: Path, work_dir: Path) -> dict:
    """Check the archive against its manifest and unpack it into `work_dir`; the manifest."""
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive_path} is not a backup archive: {error}") from error
    with archive:
        try:
            manifest = json.load(archive.extractfile(MANIFEST))
        except (KeyError, ValueError, TypeError) as error:
            raise BackupError(f"{archive_path} has no readable {MANIFEST}.") from error
        if manifest.get("format") != FORMAT:
            raise BackupError(
                f"{archive_path} is a backup of format {manifest.get('format')!r}; this version "
                f"restores format {FORMAT}."
            )
        expected = manifest["files"]
        seen = set()
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe_member(member.name):
                raise BackupError(f"{archive_path} holds {member.name!r}, which no backup holds.")
            if member.name not in expected:
                raise BackupError(f"{member.name} is in the archive but not in its manifest.")
            target = work_dir / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.extractfile(member) as source, target.open("wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != expected[member.name]["sha256"]:
                raise BackupError(
                    f"{member.name} does not match its checksum in the manifest: the archive is "
                    "damaged or was altered. Nothing was restored."
                )
            seen.add(member.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(f"The archive lacks {', '.join(missing)}, which its manifest lists.")
    return manifest


def backup_restore(
    *, actor: Actor, archive: Path, storage=None, using: str = DEFAULT_DB_ALIAS
) -> RestoreResult:
    """Restore one archive into an empty database and empty storage, or change nothing."""
    storage = storage or default_storage
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="partnership-restore-") as work:
        work_dir = Path(work)
        manifest = _read_archive(archive, work_dir)
        _check_target(manifest, storage, using)
        uploads = sorted(name for name in manifest["files"] if name.startswith(UPLOADS))
        written: list[str] = []
        try:
            for member in uploads:
                name = member[len(UPLOADS) :]
                with (work_dir / member).open("rb") as handle:
                    saved = storage.save(name, File(handle, name=name))
                written.append(saved)
                if saved != name:
                    raise BackupError(f"The storage saved {name} as {saved}.")
            with transaction.atomic(using=using):
                _empty_seeded_tables(using)
                call_command("loaddata", str(work_dir / DATA), database=using, verbosity=0)
                _check_counts(manifest, using)
                _check_audit(manifest, using)
        except BaseException:
            for name in written:
                storage.delete(name)
            raise
    # On the trail, signed: from here the chain carries on from the backup's head.
    audit_checkpoint_write(actor=actor, kind=checkpoints.RESTORE, note=archive.name)
    counts = manifest["tables"]
    return RestoreResult(
        manifest=manifest,
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(uploads),
    )


def _check_target(manifest: dict, storage, using: str) -> None:
    applied = _migrations(using)
    if applied != manifest["migrations"]:
        ours = {(app, name) for app, names in applied.items() for name in names}
        theirs = {(app, name) for app, names in manifest["migrations"].items() for name in names}
        differences = sorted(f"{a}.{n}" for a, n in ours ^ theirs)
        raise BackupError(
            "The database is not at the migrations the backup was made at (differs in "
            f"{', '.join(differences[:5])}{'…' if len(differences) > 5 else ''}): install the "
            "version the backup came from, migrate an empty database, restore, then upgrade."
        )
    entries = AuditEntry.objects.using(using).count()
    users = apps.get_model("accounts", "User")._base_manager.using(using).count()
    if entries or users:
        raise BackupError(
            f"The database already holds {entries} audit entries and {users} accounts: restore "
            "only into a freshly migrated, empty database. Nothing was restored."
        )
    clashes = [
        name[len(UPLOADS) :]
        for name in manifest["files"]
        if name.startswith(UPLOADS) and storage.exists(name[len(UPLOADS) :])
    ]
    if clashes:
        raise BackupError(
            f"The uploads storage already holds {clashes[0]}"
            f"{f' and {len(clashes) - 1} more' if len(clashes) > 1 else ''}: restore into "
            "empty storage. Nothing was restored."
        )


def _empty_seeded_tables(using: str) -> None:
    """A freshly migrated database holds what data migrations seeded (controlled lists): the
    backup has those rows as they were, so empty every table it fills first (all at once, as
    PostgreSQL's TRUNCATE wants for tables that refer to each other). The audit tables are
    empty already (checked), and refuse emptying anyway."""
    connection = connections[using]
    tables = sorted(
        {model._meta.db_table for model in _models() if model._meta.db_table not in AUDIT_TABLES}
    )
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, allow_cascade=False)
    )


def _check_counts(manifest: dict, using: str) -> None:
    counts = _counts(using)
    wrong = {
        label: (expected, counts.get(label))
        for label, expected in manifest["tables"].items()
        if counts.get(label) != expected
    }
    if wrong:
        described = "; ".join(
            f"{label}: {found} rows, the backup had {expected}"
            for label, (expected, found) in sorted(wrong.items())
        )
        raise BackupError(f"The restored tables do not match the manifest ({described}).")


def _check_audit(manifest: dict, using: str) -> None:
    if _audit_head(using) != manifest["audit"]:
        raise BackupError(
            "The restored audit trail's head is not the one the manifest records. Nothing was "
            "restored."
        )
    problems = audit_verify(use_checkpoints=False).problems
    if problems:
        raise BackupError(
            "The restored audit trail does not verify: "
            + " ".join(problem.message for problem in problems[:3])
            + " Nothing was restored."
        )
