from django.apps import AppConfig


class AuditTrailConfig(AppConfig):
    """The audit trail (who did what to which record). The package is `trail` so that it is
    never mistaken for the multi-agency audits module (`partnership.audits`); the app label
    stays "audit" so the tables, migrations and URLs are unchanged (docs/adr/0009)."""

    name = "partnership.trail"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from . import checks  # noqa: F401 (registers the key checks)
