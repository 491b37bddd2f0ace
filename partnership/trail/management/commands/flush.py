"""`flush`, refused while the audit trail's triggers stand, except in the tests.

The trail's tables refuse TRUNCATE (PostgreSQL) and DELETE (both databases), so Django's
`flush` fails on them, as it should in production. Transactional tests empty the database
between tests with `flush`: with AUDIT_TRAIL_ALLOW_FLUSH on (the tests' environment only,
see partnership/testenv.py) the triggers are lifted for the flush and put back after it.
"""

from django.conf import settings
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

TABLES = ("audit_auditentry", "audit_auditchainhead")


class Command(FlushCommand):
    def handle(self, **options):
        if not settings.AUDIT_TRAIL_ALLOW_FLUSH:
            return super().handle(**options)
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in TABLES:
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                try:
                    return super().handle(**options)
                finally:
                    with connection.cursor() as after:
                        for table in TABLES:
                            after.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            placeholders = ", ".join("%s" for _ in TABLES)
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "  # noqa: S608
                f"WHERE type = 'trigger' AND tbl_name IN ({placeholders})",
                TABLES,
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as after:
                for _, sql in triggers:
                    after.execute(sql)
