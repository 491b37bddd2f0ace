from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "partnership.training"
    label = "training"
    verbose_name = "Training and learning"

    def ready(self):
        from partnership.web.jinja2 import NAV_LINKS

        for link in (
            ("training.manage", "training:manage", "Training", "/training/manage/"),
            (
                "training.view_own_bookings",
                "training:my-bookings",
                "Your training",
                "/training/my-",
            ),
        ):
            if link not in NAV_LINKS:
                NAV_LINKS.append(link)
