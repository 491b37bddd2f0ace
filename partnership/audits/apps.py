from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "partnership.audits"
    label = "audits"
    verbose_name = "Audits"

    def ready(self):
        from partnership.web.jinja2 import NAV_LINKS

        link = ("audits.access", "audits:home", "Audits", "/audits/")
        if link not in NAV_LINKS:
            NAV_LINKS.append(link)
