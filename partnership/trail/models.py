"""The audit trail: an append-only, hash-chained record of who did what to which record.

Each entry's hash covers its own content and the hash of the entry before it, so editing or
deleting any entry breaks the chain from that point on; `manage.py verify_audit_trail`
walks the chain and reports the first break. Database triggers (see the migration) refuse
UPDATE and DELETE as a first line of defence; the chain catches whoever gets past them.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from .actors import ActorKind

GENESIS_HASH = "0" * 64

# Version 1 entries (before the Actor contract) hash the fields they had; version 2 entries
# also hash what kind of actor acted and, for the API, its token and organisation, and for a
# job, its name. Old entries keep verifying as they were written (docs/adr/0009).
CHAIN_VERSION = 2


class Action(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    VIEW = "view", "Viewed"
    DOWNLOAD = "download", "Downloaded"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    TWO_FACTOR = "two_factor", "Two-factor change"
    GRANT = "grant", "Access granted"
    REVOKE = "revoke", "Access revoked"
    EXPORT = "export", "Exported"


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
        return content

    def compute_hash(self, previous_hash: str) -> str:
        payload = json.dumps(self.content(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


class AuditChainHead(models.Model):
    """One row holding the latest hash; locking it serialises writers to the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_entry_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return self.last_hash
