"""The keys the audit trail is signed with, kept outside the database (docs/adr/0012).

`AUDIT_TRAIL_KEY` is the key new entries and checkpoints are signed with, under the name
`AUDIT_TRAIL_KEY_ID`; `AUDIT_TRAIL_KEYS` holds the keys used before a rotation
(`id:key,id:key`), so entries signed with them still verify. Without `AUDIT_TRAIL_KEY` (a
laptop running `make run`, the tests) the key is derived from SECRET_KEY under the id "dev":
not for production, and `manage.py check --deploy` says so. `dev` alone in AUDIT_TRAIL_KEYS
keeps entries signed with that derived key verifying after a real key is set.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEV_KEY_ID = "dev"
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
MINIMUM_KEY_LENGTH = 32
_DERIVATION_LABEL = b"partnership audit trail key: derived from SECRET_KEY, NOT FOR PRODUCTION"


def derived_key() -> bytes:
    """The development key: HMAC of a fixed label under SECRET_KEY (never stored anywhere)."""
    return hmac.new(settings.SECRET_KEY.encode(), _DERIVATION_LABEL, hashlib.sha256).digest()


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]

    @property
    def current(self) -> bytes:
        return self.keys[self.current_id]

    @property
    def is_development_key(self) -> bool:
        return self.current_id == DEV_KEY_ID

    def sign(self, message: str, key_id: str | None = None) -> str:
        """HMAC-SHA256 of `message` (hex), under `key_id` (the current key by default).
        KeyError if that key is not configured."""
        key = self.keys[key_id or self.current_id]
        return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def parse_old_keys(value: str) -> dict[str, bytes]:
    """`AUDIT_TRAIL_KEYS`: `id:key` pairs separated by commas; `dev` alone is the derived key."""
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        if item == DEV_KEY_ID:
            keys[DEV_KEY_ID] = derived_key()
            continue
        key_id, separator, secret = item.partition(":")
        key_id = key_id.strip()
        if not separator or not secret.strip() or not KEY_ID_PATTERN.match(key_id):
            raise ImproperlyConfigured(
                "AUDIT_TRAIL_KEYS must be id:key pairs separated by commas (ids of letters, "
                f"digits, dots, dashes or underscores); one entry starting {item[:3]!r}… is not."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"AUDIT_TRAIL_KEYS names key id {key_id!r} twice.")
        keys[key_id] = secret.strip().encode()
    return keys


def keyring() -> Keyring:
    """The configured keys, read from settings each time (cheap, and tests can override)."""
    secret = getattr(settings, "AUDIT_TRAIL_KEY", "") or ""
    keys = parse_old_keys(getattr(settings, "AUDIT_TRAIL_KEYS", "") or "")
    if not secret:
        current_id = DEV_KEY_ID
        current = derived_key()
    else:
        current_id = getattr(settings, "AUDIT_TRAIL_KEY_ID", "") or "1"
        if current_id == DEV_KEY_ID or not KEY_ID_PATTERN.match(current_id):
            raise ImproperlyConfigured(
                f"AUDIT_TRAIL_KEY_ID {current_id!r} is not allowed: use letters, digits, dots, "
                f"dashes or underscores, and not {DEV_KEY_ID!r} (the derived development key)."
            )
        current = secret.encode()
    if current_id in keys and keys[current_id] != current:
        raise ImproperlyConfigured(
            f"Key id {current_id!r} is both AUDIT_TRAIL_KEY_ID and, with a different key, in "
            "AUDIT_TRAIL_KEYS: give a new key a new id."
        )
    keys[current_id] = current
    return Keyring(current_id=current_id, keys=keys)
