from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "partnership.demo"
    label = "demo"
