from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "partnership.audits"
    label = "audits"
    verbose_name = "Audits"
