from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every email the platform sends: queued by the module that writes it, delivered by the
    tasks worker, and listed for the business unit (docs/guide/email.md)."""

    name = "partnership.outbox"
    label = "outbox"
    verbose_name = "Sent email"

    def ready(self):
        from partnership.web.jinja2 import NAV_LINKS

        link = ("outbox.view_email", "outbox:emails", "Sent email", "/email/")
        if link not in NAV_LINKS:
            NAV_LINKS.append(link)
