from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "partnership.work"
    label = "work"
    verbose_name = "Your work"
