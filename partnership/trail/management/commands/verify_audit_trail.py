from django.core.management.base import BaseCommand, CommandError

from partnership.trail.services import audit_verify

# A rewritten table could give a problem per entry: the first ones say where it starts.
SHOWN = 100


class Command(BaseCommand):
    help = (
        "Check that no audit entry has been edited, forged or deleted since it was written: "
        "walks the chain and checks it against the signed checkpoints (AUDIT_CHECKPOINT_FILE)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint-file", help="Check against this file instead of AUDIT_CHECKPOINT_FILE."
        )

    def handle(self, *args, **options):
        result = audit_verify(checkpoint_file=options["checkpoint_file"])
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
        if result.problems:
            for problem in result.problems[:SHOWN]:
                self.stderr.write(problem.message)
            if len(result.problems) > SHOWN:
                self.stderr.write(f"… and {len(result.problems) - SHOWN} more.")
            raise CommandError(
                f"The audit trail has been tampered with: {len(result.problems)} problem(s)."
            )
        versions = ", ".join(
            f"{count} of chain version {version}"
            for version, count in sorted(result.versions.items())
        )
        latest = result.latest_checkpoint
        anchored = (
            f" {result.checkpoints_matched} checkpoint(s) match, the latest of "
            f"{latest.at:%Y-%m-%d %H:%M:%S %Z} at entry {latest.last_id}."
            if latest
            else ""
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit trail is intact: {result.entries} entries checked"
                f"{f' ({versions})' if versions else ''}.{anchored}"
            )
        )
