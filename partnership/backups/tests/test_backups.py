"""What a backup holds, and the restores that are refused (changing nothing)."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from partnership.backups.services import BackupError, backup_create, backup_restore
from partnership.trail.actors import Actor
from partnership.trail.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("backup test")


@pytest.fixture
def uploads(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    default_storage.save("papers/2026/minutes.pdf", ContentFile(b"%PDF-1.7 minutes\n"))
    return tmp_path / "uploads"


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar.getmembers()}


def test_a_backup_holds_the_data_the_uploads_and_a_manifest_that_checks_them(
    personas, uploads, tmp_path
):
    result = backup_create(actor=ACTOR, directory=tmp_path / "backups")
    contents = members(result.archive)
    assert set(contents) == {"manifest.json", "data.json", "uploads/papers/2026/minutes.pdf"}
    manifest = json.loads(contents["manifest.json"])
    # Checksums worked out here, from the archive's own bytes.
    for name in ("data.json", "uploads/papers/2026/minutes.pdf"):
        assert manifest["files"][name]["sha256"] == hashlib.sha256(contents[name]).hexdigest()
    assert contents["uploads/papers/2026/minutes.pdf"] == b"%PDF-1.7 minutes\n"
    # The eight personas and the two further partner leads build_personas adds.
    assert manifest["tables"]["accounts.user"] == 10
    # The audit head: the backup's own entry, which the backup includes.
    head = AuditChainHead.objects.get()
    assert manifest["audit"] == {
        "entries": AuditEntry.objects.count(),
        "last_id": head.last_entry_id,
        "last_hash": head.last_hash,
    }
    assert AuditEntry.objects.get(pk=head.last_entry_id).summary == (
        "Backup of the whole database and the uploads"
    )
    # Sessions and the rows `migrate` makes again are left out.
    assert "sessions.session" not in manifest["tables"]
    assert "auth.permission" not in manifest["tables"]
    sidecar = Path(f"{result.archive}.sha256").read_text()
    assert sidecar == (
        f"{hashlib.sha256(result.archive.read_bytes()).hexdigest()}  {result.archive.name}\n"
    )


def test_a_restore_into_a_database_that_holds_data_is_refused(personas, uploads, tmp_path):
    result = backup_create(actor=ACTOR, directory=tmp_path / "backups")
    before = AuditEntry.objects.count()
    with pytest.raises(BackupError, match="restore only into a freshly migrated, empty database"):
        backup_restore(actor=ACTOR, archive=result.archive)
    assert AuditEntry.objects.count() == before


def test_a_damaged_archive_is_refused_before_anything_changes(personas, uploads, tmp_path):
    result = backup_create(actor=ACTOR, directory=tmp_path / "backups")
    contents = members(result.archive)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for name, data in contents.items():
            if name == "uploads/papers/2026/minutes.pdf":
                data = b"%PDF-1.7 someone else's minutes\n"
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="does not match its checksum"):
        backup_restore(actor=ACTOR, archive=damaged)


def test_an_archive_reaching_outside_the_storage_is_refused(tmp_path):
    evil = tmp_path / "evil.tar.gz"
    manifest = json.dumps({"format": 1, "files": {}}).encode()
    with tarfile.open(evil, "w:gz") as tar:
        for name, data in [("manifest.json", manifest), ("../outside.txt", b"x")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="which no backup holds"):
        backup_restore(actor=ACTOR, archive=evil)
    assert not (tmp_path.parent / "outside.txt").exists()


def test_something_that_is_not_an_archive_is_refused(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    with pytest.raises(BackupError, match="is not a backup archive"):
        backup_restore(actor=ACTOR, archive=notes)
