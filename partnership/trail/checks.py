"""System checks for the trail's keys (`manage.py check`, and `check --deploy` in production)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from .keys import MINIMUM_KEY_LENGTH, keyring


@register()
def audit_trail_keys_parse(app_configs, **kwargs):
    try:
        keyring()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="audit.E001")]
    return []


@register(Tags.security, deploy=True)
def audit_trail_key_set(app_configs, **kwargs):
    if not settings.AUDIT_TRAIL_KEY:
        return [
            Warning(
                "AUDIT_TRAIL_KEY is not set: the audit trail is signed with a key derived from "
                "SECRET_KEY, meant for development only.",
                hint="Set AUDIT_TRAIL_KEY to a long random value kept outside the database "
                "(for example `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
                "and AUDIT_TRAIL_KEY_ID to a name for it; see docs/guide/audit.md.",
                id="audit.W001",
            )
        ]
    if len(settings.AUDIT_TRAIL_KEY) < MINIMUM_KEY_LENGTH:
        return [
            Warning(
                f"AUDIT_TRAIL_KEY is shorter than {MINIMUM_KEY_LENGTH} characters.",
                hint="Use a long random value; rotate to it as docs/guide/audit.md describes.",
                id="audit.W002",
            )
        ]
    return []
