from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "partnership.governance"
    label = "governance"

    def ready(self):
        from partnership.web.jinja2 import NAV_LINKS

        for link in [
            ("governance.view_meeting", "governance:meetings", "Meetings", "/groups/meetings/"),
            ("governance.view_actions", "governance:actions", "Actions", "/groups/actions/"),
        ]:
            if link not in NAV_LINKS:
                NAV_LINKS.append(link)
