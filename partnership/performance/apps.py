from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "partnership.performance"
    label = "performance"
    verbose_name = "Performance framework"

    def ready(self):
        from partnership.web.jinja2 import NAV_LINKS

        link = ("performance.view_library", "performance:index", "Performance", "/performance/")
        if link not in NAV_LINKS:
            NAV_LINKS.append(link)
