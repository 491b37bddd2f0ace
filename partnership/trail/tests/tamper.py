"""Tampering with the trail as someone with the database's owner rights could: the triggers
lifted (PostgreSQL: disabled; SQLite: dropped and put back), then raw SQL."""

from contextlib import contextmanager

from django.db import connection

TABLES = ("audit_auditentry", "audit_auditchainhead")


@contextmanager
def triggers_lifted():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            try:
                yield cursor
            finally:
                for table in TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s)",
            TABLES,
        )
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield cursor
        finally:
            for _, sql in triggers:
                cursor.execute(sql)


def raw_sql(sql, params=()):
    with triggers_lifted() as cursor:
        cursor.execute(sql, params)
