from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Records management: the retention schedule, legal holds, disposal runs, subject access
    and erasure (UK GDPR). Not the audit trail (`partnership.trail`), which it writes to."""

    name = "partnership.records"
    label = "records"
    verbose_name = "Records management"

    def ready(self):
        from partnership.web.jinja2 import NAV_LINKS

        link = ("records.manage", "records:home", "Records", "/records/")
        if link not in NAV_LINKS:
            NAV_LINKS.append(link)
