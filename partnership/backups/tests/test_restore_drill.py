"""The restore drill: back up a small populated database, restore it into an empty one in a
new process (as an operator would, with `manage.py`), and check what a user would miss."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from partnership.accounts.models import User
from partnership.governance.models import Paper
from partnership.governance.tests.matrix import a_restricted_paper
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry
from partnership.trail.services import audit_record

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
KEY = "the-drill's-long-random-audit-trail-key-0123456789"


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture
def empty_database_url(tmp_path):
    """A database no test has touched: a new SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"restore_drill_{uuid.uuid4().hex[:12]}"
    server = {
        "host": params["HOST"] or "localhost",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    yield f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_with_its_files_and_its_trail(
    personas, settings, tmp_path, empty_database_url
):
    settings.AUDIT_TRAIL_KEY = KEY
    settings.AUDIT_TRAIL_KEY_ID = "drill"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads-before")},
        },
    }
    paper = Paper.objects.get(pk=a_restricted_paper(personas)["pk"])
    audit_record(
        actor=Actor.for_user(personas["business_unit"]),
        action="view",
        obj=paper,
        summary="Looked at the case summary",
    )
    users, entries = User.objects.count(), AuditEntry.objects.count()
    call_command("backup", str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("partnership-backup-*.tar.gz")

    env = {
        **os.environ,
        "DATABASE_URL": empty_database_url,
        "MEDIA_ROOT": str(tmp_path / "uploads-after"),
        "AUDIT_CHECKPOINT_FILE": str(tmp_path / "restored-host-checkpoints.jsonl"),
        "AUDIT_TRAIL_KEY": KEY,
        "AUDIT_TRAIL_KEY_ID": "drill",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    migrated = manage("migrate", "--no-input", "-v0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    restored = manage("restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr
    assert "the counts match the manifest and the audit chain verifies" in restored.stdout
    # In the restored installation: the trail verifies, and the rows and the file are there.
    looked = manage(
        "shell",
        "-c",
        "import json; from django.core.management import call_command; "
        "from partnership.accounts.models import User; "
        "from partnership.governance.models import Paper; "
        "from partnership.trail.models import AuditEntry; "
        "call_command('verify_audit_trail'); "
        f"paper = Paper.objects.get(pk={paper.pk}); "
        "print(json.dumps({'users': User.objects.count(), 'paper': paper.title, "
        "'file': paper.file.read().decode(), "
        "'viewed': AuditEntry.objects.filter(summary='Looked at the case summary').count()}))",
        env=env,
    )
    assert looked.returncode == 0, looked.stderr
    # The backup's own entry, then the restore's: two more than before the backup.
    assert f"intact: {entries + 2} entries checked" in looked.stdout
    assert json.loads(looked.stdout.strip().splitlines()[-1]) == {
        "users": users,
        "paper": "Case summary",
        "file": "%PDF-1.4\n",  # as a_restricted_paper wrote it
        "viewed": 1,
    }
