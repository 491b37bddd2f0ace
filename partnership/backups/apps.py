from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backup and restore of the database and the uploads together (docs/guide/backup.md)."""

    name = "partnership.backups"
    verbose_name = "Backups"
