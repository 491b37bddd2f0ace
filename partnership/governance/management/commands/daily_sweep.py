from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

from partnership.web.uploads import temp_uploads_clean


def sweep_tasks():
    """Every app's `tasks.daily_sweep`, in app order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("partnership."):
            continue
        try:
            module = import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tasks":
                raise
            continue
        if hasattr(module, "daily_sweep"):
            yield config.label, module.daily_sweep


class Command(BaseCommand):
    help = (
        "Queue each module's daily sweep (reminders, escalations, cadence checks) for the "
        "background worker. Schedule it once a day, e.g. from cron at 06:00."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run the sweeps here and now instead of queueing."
        )

    def handle(self, *args, **options):
        for label, sweep in sweep_tasks():
            if options["now"]:
                sweep.call()
                self.stdout.write(f"Ran the {label} sweep.")
            else:
                result = sweep.enqueue()
                self.stdout.write(f"Queued the {label} sweep ({result.id}).")
        # Here, not queued: the files are on this machine (run the command on each one).
        removed = temp_uploads_clean()
        self.stdout.write(f"Removed {removed} temporary upload files older than a day.")
