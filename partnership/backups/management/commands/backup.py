from pathlib import Path

from django.core.management.base import BaseCommand

from partnership.backups.services import backup_create
from partnership.trail.actors import Actor


class Command(BaseCommand):
    help = (
        "Write one archive of the whole database and the uploads, with a manifest (row counts, "
        "the audit trail's head, checksums), into DIRECTORY. See docs/guide/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, **options):
        result = backup_create(actor=Actor.system("backup command"), directory=options["directory"])
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.archive} ({sum(manifest['tables'].values())} rows in "
                f"{len(manifest['tables'])} tables, {len(manifest['files']) - 1} uploads, "
                f"{manifest['audit']['entries']} audit entries ending at entry "
                f"{manifest['audit']['last_id']}); its checksum is in {result.archive}.sha256."
            )
        )
