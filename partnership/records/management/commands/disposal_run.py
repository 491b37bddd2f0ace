from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partnership.records import services
from partnership.records.models import DisposalRun, ItemStatus, RunStatus
from partnership.records.tasks import MONTHLY_JOB, monthly_disposal
from partnership.trail.actors import Actor


class Command(BaseCommand):
    help = (
        "The monthly disposal run: draw up the list of records past their retention period "
        "(for the business unit to approve in the records area), and carry out runs already "
        "approved. The daily sweep does this on the first of each month; run it by hand with "
        "--propose to draw up a run now."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--propose", action="store_true", help="Draw up a run now, whatever the day."
        )

    def handle(self, *args, **options):
        if options["propose"]:
            try:
                run = services.disposal_run_propose(actor=Actor.system(MONTHLY_JOB))
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            due = run.items.filter(status=ItemStatus.PROPOSED).count()
            self.stdout.write(f"Disposal run {run.pk}: {due} records due, waiting for approval.")
            return
        counts = monthly_disposal()
        self.stdout.write(
            f"Runs drawn up: {counts['runs_proposed']}; approved runs carried out: "
            f"{counts['runs_carried_out']}."
        )
        waiting = DisposalRun.objects.filter(status=RunStatus.PROPOSED).first()
        if waiting is not None:
            self.stdout.write(f"Disposal run {waiting.pk} is waiting for approval.")
