"""The audit trail: an append-only, hash-chained record of who did what to which record.

Each entry's hash covers its own content and the hash of the entry before it, so editing or
deleting any entry breaks the chain from that point on; `manage.py verify_audit_trail`
walks the chain and reports every break. Since chain version 3 the hash is an HMAC under a
key kept outside the database (`keys.py`), so someone who can write to the database cannot
recompute the chain after editing it; signed checkpoints in a file outside the database
(`checkpoints.py`) catch the newest entries being deleted. Database triggers (see the
migrations) refuse UPDATE, DELETE and TRUNCATE as a first line of defence; the chain catches
whoever gets past them (docs/adr/0003, docs/adr/0012).
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from .actors import ActorKind
from .keys import Keyring, keyring

GENESIS_HASH = "0" * 64

# Version 1 entries (before the Actor contract) hash the fields they had; version 2 entries
# also hash what kind of actor acted and, for the API, its token and organisation, and for a
# job, its name. Version 3 entries are signed: the hash is an HMAC-SHA256 under the key named
# by the entry's key id, which the content also covers. Old entries keep verifying as they
# were written (docs/adr/0009, docs/adr/0012).
CHAIN_VERSION = 3
KEYED_CHAIN_VERSION = 3


class Action(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    VIEW = "view", "Viewed"
    REFUSED = "refused", "Refused access"
    DOWNLOAD = "download", "Downloaded"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    TWO_FACTOR = "two_factor", "Two-factor change"
    GRANT = "grant", "Access granted"
    REVOKE = "revoke", "Access revoked"
    EXPORT = "export", "Exported"
    CHECKPOINT = "checkpoint", "Trail checkpoint"
    RESTORE = "restore", "Restored from a backup"


class AppendOnlyError(Exception):
    pass


class AuditEntry(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    # A copy of who the actor was, kept even if their account changes later.
    actor_label = models.CharField(max_length=300, blank=True)
    # Null on version 1 entries, written before these fields existed.
    chain_version = models.PositiveSmallIntegerField(null=True, blank=True)
    actor_kind = models.CharField(
        max_length=10, choices=ActorKind.choices, null=True, blank=True, db_index=True
    )
    actor_token = models.ForeignKey(
        "directory.AgencyToken",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_job = models.CharField(max_length=100, null=True, blank=True)
    # Which key signed a version 3 entry (AUDIT_TRAIL_KEY_ID when it was written).
    key_id = models.CharField(max_length=40, null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["object_type", "object_id", "-id"]),
            models.Index(fields=["actor", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are never deleted.")

    def content(self) -> dict:
        """The fields the hash covers, in a canonical form (by the entry's chain version)."""
        content = {
            "at": self.at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "ip_address": self.ip_address,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_label": self.object_label,
            "summary": self.summary,
            "changes": self.changes,
        }
        if self.chain_version and self.chain_version >= 2:
            content.update(
                {
                    "chain_version": self.chain_version,
                    "actor_kind": self.actor_kind,
                    "actor_token": self.actor_token_id,
                    "actor_organisation": self.actor_organisation_id,
                    "actor_job": self.actor_job,
                }
            )
        if self.chain_version and self.chain_version >= KEYED_CHAIN_VERSION:
            content["key_id"] = self.key_id
        return content

    def compute_hash(self, previous_hash: str, keys: Keyring | None = None) -> str:
        """The entry's hash: SHA-256 for versions 1 and 2, HMAC-SHA256 under its key from 3.

        An entry not yet written takes the current key. KeyError if a written entry's key is
        not configured (see `keys.py`)."""
        keyed = bool(self.chain_version and self.chain_version >= KEYED_CHAIN_VERSION)
        if keyed:
            keys = keys or keyring()
        if keyed and self.pk is None and not self.key_id:
            self.key_id = keys.current_id
        payload = json.dumps(self.content(), sort_keys=True, separators=(",", ":"), default=str)
        message = f"{previous_hash}|{payload}".encode()
        if not keyed:
            return hashlib.sha256(message).hexdigest()
        key = keys.keys[self.key_id]
        return hmac.new(key, message, hashlib.sha256).hexdigest()


class AuditChainHead(models.Model):
    """One row holding the latest hash; locking it serialises writers to the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_entry_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return self.last_hash
