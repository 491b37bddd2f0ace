from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "partnership.plans"
    label = "plans"
    verbose_name = "Business plans"

    def ready(self):
        from partnership.web.jinja2 import NAV_LINKS

        link = ("plans.view_plan", "plans:plans", "Business plan", "/plans/")
        if link not in NAV_LINKS:
            NAV_LINKS.append(link)
