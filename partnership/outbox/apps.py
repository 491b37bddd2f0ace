from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every email the platform sends: queued by the module that writes it, delivered by the
    tasks worker, and listed for the business unit (docs/guide/email.md)."""

    name = "partnership.outbox"
    label = "outbox"
    verbose_name = "Sent email"
