from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnership.backups.services import BackupError, backup_restore
from partnership.trail.actors import Actor
from partnership.trail.services import audit_verify


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into a freshly migrated, empty database and empty "
        "uploads storage; checks every checksum, row count and the audit chain, or changes "
        "nothing. See docs/guide/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, **options):
        try:
            result = backup_restore(
                actor=Actor.system("restore command"), archive=options["archive"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {result.rows} rows in {result.tables} tables and {result.files} uploads "
                f"from {options['archive'].name} (made {result.manifest['created_at']}); the "
                "counts match the manifest and the audit chain verifies."
            )
        )
        verification = audit_verify()
        for note in verification.notes:
            self.stdout.write(f"Note: {note}")
        for problem in verification.problems:
            self.stderr.write(problem.message)
