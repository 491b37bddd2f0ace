from django.core.management.base import BaseCommand

from partnership.trail.actors import Actor
from partnership.trail.checkpoints import checkpoint_path
from partnership.trail.services import audit_checkpoint_write


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of the audit trail's head (entry count, last entry, its "
        "hash) to AUDIT_CHECKPOINT_FILE, so deleting the newest entries is detected. The daily "
        "sweep writes one too."
    )

    def handle(self, *args, **options):
        checkpoint = audit_checkpoint_write(actor=Actor.system("audit_checkpoint command"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint written to {checkpoint_path()}: {checkpoint.entries} entries, "
                f"ending at entry {checkpoint.last_id} ({checkpoint.last_hash[:16]}…), signed "
                f"with key {checkpoint.key_id!r}."
            )
        )
