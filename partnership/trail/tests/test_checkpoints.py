"""Signed checkpoints of the chain's head, in a file outside the database."""

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from partnership.trail import checkpoints
from partnership.trail.actors import Actor
from partnership.trail.models import GENESIS_HASH, Action, AuditEntry
from partnership.trail.services import audit_checkpoint_write, audit_record, audit_verify_chain
from partnership.trail.tasks import daily_sweep
from partnership.trail.tests.tamper import raw_sql

pytestmark = pytest.mark.django_db

KEY = "a-long-random-key-for-the-checkpoint-tests-0123456789"


@pytest.fixture(autouse=True)
def key(settings):
    settings.AUDIT_TRAIL_KEY = KEY
    settings.AUDIT_TRAIL_KEY_ID = "2026-c"
    settings.AUDIT_TRAIL_KEYS = ""


@pytest.fixture
def checkpoint_file(settings):
    return Path(settings.AUDIT_CHECKPOINT_FILE)


@pytest.fixture
def checkpoint(django_capture_on_commit_callbacks):
    """Write a checkpoint as the command does, once its transaction commits."""

    def write(kind=checkpoints.CHECKPOINT, note=""):
        with django_capture_on_commit_callbacks(execute=True):
            return audit_checkpoint_write(actor=Actor.system("test"), kind=kind, note=note)

    return write


def write(count):
    return [
        audit_record(actor=Actor.system("test writer"), action="update", summary=f"Change {n}")
        for n in range(count)
    ]


def test_the_command_appends_a_signed_checkpoint_of_the_head(
    checkpoint_file, django_capture_on_commit_callbacks, capsys
):
    write(3)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit_checkpoint")
    assert "Checkpoint written" in capsys.readouterr().out
    lines = checkpoint_file.read_text().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    # Three entries, then the checkpoint's own entry on the trail: four, ending at the latter.
    recorded = AuditEntry.objects.get(action=Action.CHECKPOINT)
    assert recorded.actor_label == "System: audit_checkpoint command"
    assert (line["kind"], line["entries"], line["last_id"]) == ("checkpoint", 4, recorded.pk)
    assert line["last_hash"] == recorded.entry_hash
    assert line["key_id"] == "2026-c"
    # The signature, worked out here: HMAC-SHA256 of the other fields, as sorted JSON.
    fields = {name: value for name, value in line.items() if name != "mac"}
    message = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    assert line["mac"] == hmac.new(KEY.encode(), message, hashlib.sha256).hexdigest()


def test_the_daily_sweep_writes_a_checkpoint(checkpoint_file, django_capture_on_commit_callbacks):
    write(2)
    with django_capture_on_commit_callbacks(execute=True):
        daily_sweep.call()
    line = json.loads(checkpoint_file.read_text())
    assert line["entries"] == 3
    assert AuditEntry.objects.get(pk=line["last_id"]).actor_job == "daily audit trail checkpoint"


def test_a_rolled_back_checkpoint_never_reaches_the_file(
    checkpoint_file, django_capture_on_commit_callbacks
):
    write(1)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        audit_checkpoint_write(actor=Actor.system("test"))
        raise RuntimeError("the transaction fails after the checkpoint")
    assert callbacks == []
    assert not checkpoint_file.exists()
    assert audit_verify_chain() == []


def test_verification_checks_the_chain_against_every_checkpoint(checkpoint, capsys):
    write(2)
    checkpoint()
    write(2)
    checkpoint()
    call_command("verify_audit_trail")
    out = capsys.readouterr().out
    assert "intact: 6 entries checked" in out
    assert "2 checkpoint(s) match" in out


def test_deleting_the_newest_entries_and_moving_the_head_back_is_detected(checkpoint, capsys):
    """Without the checkpoint this would pass: the shorter chain is whole and the head agrees."""
    entries = write(3)
    anchored = checkpoint()
    raw_sql("DELETE FROM audit_auditentry WHERE id > %s", [entries[0].pk])
    raw_sql(
        "UPDATE audit_auditchainhead SET last_hash = %s, last_entry_id = %s",
        [entries[0].entry_hash, entries[0].pk],
    )
    problems = audit_verify_chain()
    assert len(problems) == 1
    assert problems[0].entry_id == anchored.last_id
    assert f"Entry {anchored.last_id} is missing" in problems[0].message
    assert "anchored 4 entries ending there" in problems[0].message
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit_trail")
    assert "line 1" in capsys.readouterr().err


def test_emptying_the_whole_trail_and_resetting_the_head_is_detected(checkpoint, capsys):
    write(3)
    anchored = checkpoint()
    # TRUNCATE on PostgreSQL (its triggers disabled, as the table's owner could); on SQLite
    # an unqualified DELETE is its TRUNCATE.
    raw_sql(
        "TRUNCATE audit_auditentry"
        if connection.vendor == "postgresql"
        else "DELETE FROM audit_auditentry"
    )
    raw_sql("UPDATE audit_auditchainhead SET last_hash = %s, last_entry_id = NULL", [GENESIS_HASH])
    problems = audit_verify_chain()
    assert len(problems) == 1
    assert "The whole trail is empty" in problems[0].message
    with pytest.raises(CommandError, match="tampered with: 1 problem"):
        call_command("verify_audit_trail")
    assert capsys.readouterr().err.strip() == (
        f"Entry {anchored.last_id} is missing: the checkpoint of "
        f"{anchored.at:%Y-%m-%d %H:%M:%S} UTC (line 1) anchored 4 entries ending there, so "
        "entries were deleted from the end and the chain head moved back. The whole trail is "
        "empty."
    )


def test_deleting_an_entry_before_a_checkpoint_and_relinking_is_detected(checkpoint):
    """Someone without the key cannot re-sign the entry after the gap; the count also differs."""
    entries = write(4)
    checkpoint()
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    raw_sql(
        "UPDATE audit_auditentry SET previous_hash = %s WHERE id = %s",
        [entries[0].entry_hash, entries[2].pk],
    )
    messages = [problem.message for problem in audit_verify_chain()]
    assert any(f"Entry {entries[2].pk} was edited" in message for message in messages)
    assert any(
        "counted 5 entries" in message and "there are now 4" in message for message in messages
    )


def test_an_altered_checkpoint_line_is_detected(checkpoint, checkpoint_file):
    write(2)
    checkpoint()
    line = json.loads(checkpoint_file.read_text())
    line["entries"] = 1
    checkpoint_file.write_text(json.dumps(line) + "\n")
    messages = [problem.message for problem in audit_verify_chain()]
    assert any("Line 1 of the checkpoint file" in m and "altered or forged" in m for m in messages)


def test_a_deleted_checkpoint_file_is_detected_when_the_trail_records_checkpoints(
    checkpoint, checkpoint_file
):
    write(1)
    checkpoint()
    checkpoint_file.unlink()
    messages = [problem.message for problem in audit_verify_chain()]
    assert messages == [
        f"The trail records 1 checkpoint(s) but the checkpoint file {checkpoint_file} holds "
        "none: it was deleted or replaced."
    ]


def test_a_trail_with_no_checkpoint_yet_passes_with_a_note(capsys):
    write(1)
    call_command("verify_audit_trail")
    assert "Note: No checkpoint" in capsys.readouterr().out


def test_a_restore_checkpoint_accounts_for_entries_lost_in_a_restore(checkpoint, capsys):
    """A restore from last night's backup loses today's entries: the restore says so, signed,
    and the checkpoints from before it are read as history, not as tampering."""
    entries = write(2)
    checkpoint()  # entries 1-3 anchored
    # The database is replaced by a backup taken after the first entry.
    raw_sql("DELETE FROM audit_auditentry WHERE id > %s", [entries[0].pk])
    raw_sql(
        "UPDATE audit_auditchainhead SET last_hash = %s, last_entry_id = %s",
        [entries[0].entry_hash, entries[0].pk],
    )
    assert audit_verify_chain()  # tampering, until the restore is recorded
    checkpoint(kind=checkpoints.RESTORE, note="backup-20261203T020000Z.tar.gz")
    write(1)
    call_command("verify_audit_trail")
    out = capsys.readouterr().out
    assert "the entries after it were lost then" in out
    assert "backup-20261203T020000Z.tar.gz" in out


def test_the_command_marks_a_restore_made_by_other_means(
    checkpoint, checkpoint_file, django_capture_on_commit_callbacks
):
    entries = write(2)
    checkpoint()
    raw_sql("DELETE FROM audit_auditentry WHERE id > %s", [entries[0].pk])
    raw_sql(
        "UPDATE audit_auditchainhead SET last_hash = %s, last_entry_id = %s",
        [entries[0].entry_hash, entries[0].pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("audit_checkpoint", "--restored-from", "pg_dump of 3 December")
    line = json.loads(checkpoint_file.read_text().splitlines()[-1])
    assert (line["kind"], line["note"], line["last_id"]) == (
        "restore",
        "pg_dump of 3 December",
        entries[0].pk,
    )
    assert audit_verify_chain() == []


def test_the_checkpoint_is_found_by_the_daily_sweep_command():
    from partnership.governance.management.commands.daily_sweep import sweep_tasks

    assert "audit" in dict(sweep_tasks())
