"""Chain version 3: entries signed with a key kept outside the database (docs/adr/0012)."""

import hashlib
import hmac
import json

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError

from partnership.trail.actors import Actor
from partnership.trail.models import GENESIS_HASH, AuditChainHead, AuditEntry
from partnership.trail.services import audit_record, audit_verify_chain
from partnership.trail.tests.tamper import raw_sql

pytestmark = pytest.mark.django_db

KEY_A = "a-long-random-key-for-the-tests-0123456789-AAAA"
KEY_B = "another-long-random-key-for-the-tests-987654-BBBB"


@pytest.fixture
def key_a(settings):
    settings.AUDIT_TRAIL_KEY = KEY_A
    settings.AUDIT_TRAIL_KEY_ID = "2026-a"
    settings.AUDIT_TRAIL_KEYS = ""
    return settings


def write(count, job="test writer"):
    return [
        audit_record(
            actor=Actor.system(job),
            action="update",
            summary=f"Change number {number}",
            object_type="test.thing",
            object_id=str(number),
        )
        for number in range(count)
    ]


def sha256_link(previous_hash, content):
    """How versions 1 and 2 hashed, and how someone without the key would recompute the chain."""
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


def test_a_new_entry_is_an_hmac_under_the_configured_key(key_a):
    entry = write(1)[0]
    # The content and the HMAC are written out here by hand, not taken from the model.
    content = {
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": None,
        "actor_label": "System: test writer",
        "ip_address": None,
        "action": "update",
        "object_type": "test.thing",
        "object_id": "0",
        "object_label": "",
        "summary": "Change number 0",
        "changes": {},
        "chain_version": 3,
        "actor_kind": "system",
        "actor_token": None,
        "actor_organisation": None,
        "actor_job": "test writer",
        "key_id": "2026-a",
    }
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"))
    expected = hmac.new(
        KEY_A.encode(), f"{GENESIS_HASH}|{payload}".encode(), hashlib.sha256
    ).hexdigest()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.chain_version, stored.key_id) == (3, "2026-a")
    assert stored.entry_hash == expected
    # Without the key, the same content hashes to something else.
    assert sha256_link(GENESIS_HASH, content) != expected


def test_the_same_entry_under_another_key_does_not_verify(key_a, settings):
    write(2)
    settings.AUDIT_TRAIL_KEY = KEY_B  # the same id, another key: as a forger guessing would
    problems = audit_verify_chain()
    assert len(problems) == 2
    assert all("signature does not match" in problem.message for problem in problems)


def test_after_a_rotation_old_entries_verify_with_the_old_key_kept_by_id(key_a, settings):
    old = write(2)
    settings.AUDIT_TRAIL_KEY = KEY_B
    settings.AUDIT_TRAIL_KEY_ID = "2026-b"
    settings.AUDIT_TRAIL_KEYS = f"2026-a:{KEY_A}"
    new = write(2)
    assert [entry.key_id for entry in old + new] == ["2026-a", "2026-a", "2026-b", "2026-b"]
    assert audit_verify_chain() == []
    # Forget the old key and its entries cannot be checked, and the trail says which.
    settings.AUDIT_TRAIL_KEYS = ""
    problems = audit_verify_chain()
    assert [problem.entry_id for problem in problems] == [old[0].pk, old[1].pk]
    assert "key id '2026-a', which is not configured" in problems[0].message


def test_without_a_key_the_development_key_is_derived_from_secret_key(settings):
    settings.AUDIT_TRAIL_KEY = ""
    entry = write(1)[0]
    assert entry.key_id == "dev"
    assert audit_verify_chain() == []
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789abcdef"
    assert [problem.entry_id for problem in audit_verify_chain()] == [entry.pk]


def test_dev_alone_in_old_keys_keeps_development_entries_verifying(settings):
    settings.AUDIT_TRAIL_KEY = ""
    write(1)
    settings.AUDIT_TRAIL_KEY = KEY_A
    settings.AUDIT_TRAIL_KEY_ID = "2026-a"
    settings.AUDIT_TRAIL_KEYS = "dev"
    write(1)
    assert audit_verify_chain() == []


def write_version_2_entry(previous_hash, summary):
    """An entry as chain version 2 wrote it (the code of the time, copied): SHA-256, no key."""
    entry = AuditEntry(
        chain_version=2,
        actor_label="System: daily deadline sweep",
        actor_kind="system",
        actor_job="daily deadline sweep",
        action="update",
        object_type="reviews.review",
        object_id="7",
        object_label="Child W",
        summary=summary,
        previous_hash=previous_hash,
    )
    content = {
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor": None,
        "actor_label": entry.actor_label,
        "ip_address": None,
        "action": "update",
        "object_type": "reviews.review",
        "object_id": "7",
        "object_label": "Child W",
        "summary": summary,
        "changes": {},
        "chain_version": 2,
        "actor_kind": "system",
        "actor_token": None,
        "actor_organisation": None,
        "actor_job": "daily deadline sweep",
    }
    entry.entry_hash = sha256_link(previous_hash, content)
    entry.save()
    AuditChainHead.objects.update_or_create(
        id=1, defaults={"last_hash": entry.entry_hash, "last_entry_id": entry.pk}
    )
    return entry


def test_a_trail_written_as_version_2_still_verifies_and_carries_on_signed(key_a, capsys):
    first = write_version_2_entry(GENESIS_HASH, "Chased the overdue review")
    second = write_version_2_entry(first.entry_hash, "Chased it again")
    call_command("verify_audit_trail")
    assert "intact: 2 entries checked (2 of chain version 2)" in capsys.readouterr().out
    signed = write(1)[0]
    assert signed.previous_hash == second.entry_hash and signed.chain_version == 3
    call_command("verify_audit_trail")
    out = capsys.readouterr().out
    assert "intact: 3 entries checked (2 of chain version 2, 1 of chain version 3)" in out


def test_a_forgery_rehashed_without_the_key_is_detected(key_a, capsys):
    """The attacker edits entry 2 and recomputes the chain from there, as the unkeyed chain
    allowed: SHA-256 over the same content, each entry linked to the one before."""
    entries = write(4)
    previous = entries[0].entry_hash
    for entry in entries[1:]:
        stored = AuditEntry.objects.get(pk=entry.pk)
        if stored.pk == entries[1].pk:
            stored.summary = "Nothing changed"
        content = stored.content()
        forged = sha256_link(previous, content)
        raw_sql(
            "UPDATE audit_auditentry SET summary = %s, previous_hash = %s, entry_hash = %s "
            "WHERE id = %s",
            [stored.summary, previous, forged, stored.pk],
        )
        previous = forged
    raw_sql("UPDATE audit_auditchainhead SET last_hash = %s", [previous])
    problems = audit_verify_chain()
    # Every link holds, but none of the three rewritten entries carries a valid signature.
    assert [problem.entry_id for problem in problems] == [e.pk for e in entries[1:]]
    assert "signature does not match" in problems[0].message
    with pytest.raises(CommandError, match="tampered with: 3 problem"):
        call_command("verify_audit_trail")
    assert f"Entry {entries[1].pk} was edited" in capsys.readouterr().err


def test_a_forgery_written_as_an_old_unsigned_version_is_detected(key_a):
    """The attacker rewrites entry 2 as chain version 2, which needs no key."""
    entries = write(3)
    stored = AuditEntry.objects.get(pk=entries[1].pk)
    stored.chain_version = 2
    stored.key_id = None
    stored.summary = "Nothing changed"
    forged = sha256_link(stored.previous_hash, stored.content())
    raw_sql(
        "UPDATE audit_auditentry SET chain_version = 2, key_id = NULL, summary = %s, "
        "entry_hash = %s WHERE id = %s",
        [stored.summary, forged, stored.pk],
    )
    raw_sql("UPDATE audit_auditentry SET previous_hash = %s WHERE id = %s", [forged, entries[2].pk])
    problems = audit_verify_chain()
    messages = {problem.entry_id: problem.message for problem in problems}
    assert "unsigned (chain version 2) but comes after signed entries" in messages[entries[1].pk]
    # And the entry after it, whose signature covered the old link, no longer verifies.
    assert "was edited" in messages[entries[2].pk]


def deploy_check_ids():
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_deploy_checks_warn_when_production_runs_without_a_trail_key(settings):
    settings.AUDIT_TRAIL_KEY = ""
    assert "audit.W001" in deploy_check_ids()
    settings.AUDIT_TRAIL_KEY = "short"
    assert "audit.W002" in deploy_check_ids()
    settings.AUDIT_TRAIL_KEY = KEY_A
    assert not {"audit.W001", "audit.W002"} & deploy_check_ids()


@pytest.mark.parametrize(
    "old_keys",
    ["no-colon-here", "bad id!:secret", "2026-a:one,2026-a:two", f"1:{KEY_B}"],
    ids=["no separator", "bad id", "an id twice", "the current id with another key"],
)
def test_badly_written_old_keys_are_an_error_at_start_up(settings, old_keys):
    settings.AUDIT_TRAIL_KEY = KEY_A
    settings.AUDIT_TRAIL_KEY_ID = "1"
    settings.AUDIT_TRAIL_KEYS = old_keys
    errors = [message for message in run_checks() if message.id == "audit.E001"]
    assert len(errors) == 1
    # The message never repeats a whole key.
    assert "secret" not in errors[0].msg and KEY_B not in errors[0].msg
