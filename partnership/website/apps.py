from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "partnership.website"
    label = "website"
