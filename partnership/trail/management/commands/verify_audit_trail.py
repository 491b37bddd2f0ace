from django.core.management.base import BaseCommand, CommandError

from partnership.trail.models import AuditEntry
from partnership.trail.services import audit_verify_chain


class Command(BaseCommand):
    help = "Check that no audit entry has been edited or deleted since it was written."

    def handle(self, *args, **options):
        problems = audit_verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(problem.message)
            raise CommandError(
                f"The audit trail has been tampered with: {len(problems)} problem(s)."
            )
        count = AuditEntry.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"The audit trail is intact: {count} entries checked.")
        )
