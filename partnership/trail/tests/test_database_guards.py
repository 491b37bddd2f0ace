"""The database itself refuses to change or empty the trail (docs/guide/audit.md)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from partnership.trail.actors import Actor
from partnership.trail.models import AuditChainHead, AuditEntry
from partnership.trail.services import audit_record, audit_verify_chain

pytestmark = pytest.mark.django_db


def write(count):
    return [
        audit_record(actor=Actor.system("test writer"), action="view", summary=f"Looked {n}")
        for n in range(count)
    ]


def refused(sql, params=()):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_the_triggers_are_in_place_after_all_migrations():
    """A later migration that rebuilds the table on SQLite would drop them: this says so."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'O' "
                "AND tgrelid IN ('audit_auditentry'::regclass, 'audit_auditchainhead'::regclass)"
            )
            expected = {
                "audit_entry_append_only",
                "audit_entry_no_truncate",
                "audit_chain_head_no_delete",
                "audit_chain_head_no_truncate",
            }
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('audit_auditentry', 'audit_auditchainhead')"
            )
            expected = {
                "audit_entry_no_update",
                "audit_entry_no_delete",
                "audit_chain_head_no_delete",
            }
        assert {row[0] for row in cursor.fetchall()} == expected


def test_emptying_the_trail_is_refused():
    write(3)
    if connection.vendor == "postgresql":
        refused("TRUNCATE audit_auditentry")
        refused("TRUNCATE audit_auditchainhead")
    refused("DELETE FROM audit_auditentry")  # SQLite's TRUNCATE
    refused("DELETE FROM audit_auditchainhead")
    refused("UPDATE audit_auditentry SET summary = 'Nothing'")
    assert AuditEntry.objects.count() == 3
    assert AuditChainHead.objects.count() == 1
    assert audit_verify_chain() == []


def test_manage_py_flush_is_refused_outside_the_tests(settings):
    write(1)
    settings.AUDIT_TRAIL_ALLOW_FLUSH = False
    with pytest.raises(CommandError, match="couldn't be flushed"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no roles: a file's owner can do anything"
)
def test_an_application_role_without_ownership_can_only_read_and_append():
    """The set-up in docs/guide/audit.md: the migration role owns the tables; the application's
    role may SELECT and INSERT entries, and SELECT and UPDATE the chain head, nothing else."""
    write(1)
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE partnership_app_test NOLOGIN")
        cursor.execute("GRANT SELECT, INSERT ON audit_auditentry TO partnership_app_test")
        cursor.execute("GRANT USAGE ON SEQUENCE audit_auditentry_id_seq TO partnership_app_test")
        cursor.execute("GRANT SELECT, UPDATE ON audit_auditchainhead TO partnership_app_test")
        cursor.execute("SET ROLE partnership_app_test")
    try:
        entry = audit_record(actor=Actor.system("as the app role"), action="view")
        assert entry.pk is not None
        for statement in [
            "UPDATE audit_auditentry SET summary = 'Nothing'",
            "DELETE FROM audit_auditentry",
            "TRUNCATE audit_auditentry",
            "ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
            "DROP TRIGGER audit_entry_append_only ON audit_auditentry",
            "TRUNCATE audit_auditchainhead",
        ]:
            with (
                pytest.raises(DatabaseError, match="permission denied|must be owner"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEntry.objects.count() == 2
    assert audit_verify_chain() == []
