from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "partnership.performance"
    label = "performance"
    verbose_name = "Performance framework"
