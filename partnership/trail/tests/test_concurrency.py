import threading

import pytest
from django.db import connection, connections

from partnership.trail.actors import Actor
from partnership.trail.models import Action, AuditEntry
from partnership.trail.services import audit_record, audit_verify_chain


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_wait_their_turn_and_the_chain_stays_whole():
    """Eight requests writing at once: none fails, none is lost, the chain has no fork."""
    writers, per_writer = 8, 10
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(number):
        try:
            start.wait()
            for step in range(per_writer):
                audit_record(
                    actor=Actor.system(f"writer {number}"),
                    action=Action.UPDATE,
                    summary=f"writer {number} step {step}",
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.count() == writers * per_writer
    assert audit_verify_chain() == []


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return  # PostgreSQL has row locks and MVCC: nothing to configure.
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.transaction_mode == "IMMEDIATE"
