from django.core.management.base import BaseCommand

from partnership.trail import checkpoints
from partnership.trail.actors import Actor
from partnership.trail.checkpoints import checkpoint_path
from partnership.trail.services import audit_checkpoint_write


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of the audit trail's head (entry count, last entry, its "
        "hash) to AUDIT_CHECKPOINT_FILE, so deleting the newest entries is detected. The daily "
        "sweep writes one too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--restored-from",
            metavar="WHAT",
            help="After restoring the database by other means (pg_restore): say from what. The "
            "checkpoint then marks a restore, so entries lost in it are not read as tampering.",
        )

    def handle(self, *args, **options):
        restored_from = (options["restored_from"] or "").strip()
        checkpoint = audit_checkpoint_write(
            actor=Actor.system("audit_checkpoint command"),
            kind=checkpoints.RESTORE if restored_from else checkpoints.CHECKPOINT,
            note=restored_from,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint written to {checkpoint_path()}: {checkpoint.entries} entries, "
                f"ending at entry {checkpoint.last_id} ({checkpoint.last_hash[:16]}…), signed "
                f"with key {checkpoint.key_id!r}."
            )
        )
