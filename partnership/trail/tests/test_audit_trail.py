import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone

from partnership.directory.models import Organisation
from partnership.trail.actors import Actor
from partnership.trail.models import (
    GENESIS_HASH,
    Action,
    AppendOnlyError,
    AuditChainHead,
    AuditEntry,
)
from partnership.trail.services import audit_record, audit_verify_chain
from partnership.trail.tests.tamper import raw_sql

pytestmark = pytest.mark.django_db


def write_entries(count=5, actor=None):
    actor = actor or Actor.system("test writer")
    return [
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            summary=f"Change number {number}",
            object_type="test.thing",
            object_id=str(number),
            object_label=f"Thing {number}",
        )
        for number in range(count)
    ]


def test_each_entry_carries_the_hash_of_the_one_before():
    entries = write_entries(3)
    assert entries[0].previous_hash == "0" * 64
    assert entries[1].previous_hash == entries[0].entry_hash
    assert entries[2].previous_hash == entries[1].entry_hash
    assert AuditChainHead.objects.get().last_hash == entries[2].entry_hash


def test_verify_command_passes_on_an_untouched_trail(capsys):
    write_entries(4)
    call_command("verify_audit_trail")
    assert "intact: 4 entries" in capsys.readouterr().out


def test_an_edited_entry_is_detected():
    entries = write_entries(5)
    raw_sql(
        "UPDATE audit_auditentry SET summary = %s WHERE id = %s",
        ["Nothing happened", entries[2].pk],
    )
    problems = audit_verify_chain()
    assert [problem.entry_id for problem in problems] == [entries[2].pk]
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit_trail")


def test_a_deleted_entry_is_detected():
    entries = write_entries(5)
    raw_sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    problems = audit_verify_chain()
    assert entries[2].pk in [problem.entry_id for problem in problems]


def test_deleting_the_latest_entries_is_detected():
    entries = write_entries(5)
    raw_sql("DELETE FROM audit_auditentry WHERE id >= %s", [entries[3].pk])
    problems = audit_verify_chain()
    assert problems
    assert "deleted from the end" in problems[-1].message


def test_a_forged_entry_with_a_recomputed_hash_still_breaks_the_chain():
    entries = write_entries(3)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.summary = "Forged"
    new_hash = forged.compute_hash(forged.previous_hash)
    raw_sql(
        "UPDATE audit_auditentry SET summary = %s, entry_hash = %s WHERE id = %s",
        ["Forged", new_hash, forged.pk],
    )
    problems = audit_verify_chain()
    assert [problem.entry_id for problem in problems] == [entries[2].pk]


def test_entries_cannot_be_changed_or_deleted_through_the_application():
    entry = write_entries(1)[0]
    entry.summary = "Changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_the_database_refuses_updates_and_deletes_on_both_databases():
    entry = write_entries(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(summary="Changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary == "Change number 0"
    assert audit_verify_chain() == []


def test_a_change_and_its_audit_entry_stand_or_fall_together(personas):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        organisation = Organisation.objects.create(
            name="Rolled back", slug="rolled-back", kind="other"
        )
        audit_record(
            actor=Actor.for_user(personas["business_unit"]), action=Action.CREATE, obj=organisation
        )
        raise RuntimeError("something failed after the write")
    assert AuditEntry.objects.count() == before
    assert not Organisation.objects.filter(slug="rolled-back").exists()
    assert audit_verify_chain() == []


def test_changes_record_who_what_when_and_where(client_as, personas):
    client = client_as("business_unit")
    police = Organisation.objects.get(slug="merseyside-police")
    response = client.post(
        f"/directory/{police.slug}/edit/",
        {
            "name": police.name,
            "short_name": "MerPol",
            "kind": police.kind,
            "parent": "",
            "description": "",
            "website": "",
        },
        REMOTE_ADDR="192.0.2.44",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(
        object_type="directory.organisation", object_id=str(police.pk)
    ).first()
    assert entry.action == Action.UPDATE
    assert entry.actor == personas["business_unit"]
    assert entry.ip_address == "192.0.2.44"
    assert entry.changes == {"short_name": ["Police", "MerPol"]}


def test_trail_page_filters_by_action_and_person(client_as, personas):
    audit_record(
        actor=Actor.for_user(personas["partner_lead"]),
        action=Action.EXPORT,
        summary="Exported a list",
    )
    audit_record(
        actor=Actor.for_user(personas["group_member"]),
        action=Action.VIEW,
        summary="Looked at a record",
    )
    client = client_as("business_unit")
    page = client.get("/audit/", {"action": "export"}).content.decode()
    assert "Exported a list" in page
    assert "Looked at a record" not in page
    page = client.get("/audit/", {"actor": "gareth"}).content.decode()
    assert "Looked at a record" in page
    assert "Exported a list" not in page


def test_trail_page_rejects_a_backwards_date_range_clearly(client_as):
    response = client_as("business_unit").get(
        "/audit/",
        {
            "since_day": "10",
            "since_month": "12",
            "since_year": "2026",
            "until_day": "1",
            "until_month": "12",
            "until_year": "2026",
        },
    )
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_trail_page_query_count_does_not_grow_with_the_trail(
    client_as, django_assert_max_num_queries
):
    client = client_as("business_unit")
    write_entries(5)
    with django_assert_max_num_queries(12) as small:
        client.get("/audit/")
    write_entries(120)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/audit/")


def test_entries_written_before_chain_version_2_still_verify(db):
    """An entry as written before the Actor contract (no chain version, hashed over the old
    fields by the code of the time, copied here) verifies, and so does a new one after it."""

    at = timezone.now()
    old_content = {
        "at": at.isoformat(timespec="microseconds"),
        "actor": None,
        "actor_label": "Anonymous",
        "ip_address": None,
        "action": "view",
        "object_type": "reviews.review",
        "object_id": "7",
        "object_label": "Child W",
        "summary": "Viewed",
        "changes": {},
    }
    payload = json.dumps(old_content, sort_keys=True, separators=(",", ":"), default=str)
    old_hash = hashlib.sha256(f"{GENESIS_HASH}|{payload}".encode()).hexdigest()
    old = AuditEntry(
        at=at,
        actor_label="Anonymous",
        action="view",
        object_type="reviews.review",
        object_id="7",
        object_label="Child W",
        summary="Viewed",
        previous_hash=GENESIS_HASH,
        entry_hash=old_hash,
    )
    old.save()
    AuditChainHead.objects.update_or_create(
        id=1, defaults={"last_hash": old_hash, "last_entry_id": old.pk}
    )
    new = audit_record(actor=Actor.system("daily deadline sweep"), action="view", summary="x")
    assert new.chain_version == 3
    assert new.previous_hash == old_hash
    assert audit_verify_chain() == []


@pytest.mark.parametrize("actor", [None, "", "someone"], ids=["none", "empty", "a string"])
def test_audit_record_without_an_actor_raises_and_writes_nothing(actor):
    with pytest.raises(TypeError, match="needs an Actor"):
        audit_record(actor=actor, action=Action.VIEW, summary="Looked")
    assert AuditEntry.objects.count() == 0


def test_audit_record_refuses_a_bare_user(personas):
    with pytest.raises(TypeError, match="needs an Actor"):
        audit_record(actor=personas["business_unit"], action=Action.VIEW, summary="Looked")
    assert AuditEntry.objects.count() == 0


def test_an_empty_actor_cannot_be_made():
    with pytest.raises(ValueError):
        Actor.system("  ")
    with pytest.raises(ValueError):
        Actor.for_token(None)


def test_the_trail_page_shows_and_filters_the_kind_of_actor(client_as, personas):
    from partnership.directory.models import AgencyToken

    housing = Organisation.objects.create(
        name="Halewood Housing Association", slug="halewood-housing", kind="other"
    )
    token, _ = AgencyToken.issue(organisation=housing, name="Housing data feed")
    audit_record(actor=Actor.for_token(token), action=Action.CREATE, summary="Sent a return")
    audit_record(actor=Actor.system("daily deadline sweep"), action=Action.UPDATE, summary="Chased")
    client = client_as("business_unit")
    page = client.get("/audit/", {"actor_kind": "token"}).content.decode()
    assert "API token Housing data feed" in page and "Halewood Housing Association" in page
    assert "Agency API token" in page
    assert "Chased" not in page
    page = client.get("/audit/", {"actor_kind": "system"}).content.decode()
    assert "System: daily deadline sweep" in page and "Sent a return" not in page
    page = client.get("/audit/", {"organisation": "halewood"}).content.decode()
    assert "Sent a return" in page and "Chased" not in page
