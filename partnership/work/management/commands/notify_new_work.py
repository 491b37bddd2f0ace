from django.core.management.base import BaseCommand

from partnership.work.tasks import notify_new_work


class Command(BaseCommand):
    help = (
        "Email people what is newly asked of them (an action, a sign-off, a summary of their "
        "agency), or keep it for their daily digest. Schedule it every few minutes."
    )

    def handle(self, *args, **options):
        counts = notify_new_work.call()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
