from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "partnership.directory"
    label = "directory"
