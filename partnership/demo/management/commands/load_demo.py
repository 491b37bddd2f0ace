from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnership.audits import demo as audits_demo
from partnership.demo import knowsley
from partnership.demo.personas import DEMO_PASSWORD, PERSONAS, build_personas
from partnership.directory import demo as directory_demo
from partnership.governance import demo as governance_demo
from partnership.performance import demo as performance_demo
from partnership.plans import demo as plans_demo
from partnership.records import demo as records_demo
from partnership.reviews import demo as reviews_demo
from partnership.trail.actors import Actor
from partnership.trail.services import audit_checkpoint_write
from partnership.training import demo as training_demo
from partnership.work import demo as work_demo


class Command(BaseCommand):
    help = "Load the Knowsley demo partnership (idempotent). Refuses to run with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off (never on a live partnership's database).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this looks like production: the demo's known passwords "
                "must not get in. Use --force only on a database you can throw away."
            )
        organisations = knowsley.build_directory()
        knowsley.build_groups(organisations)
        users = build_personas(organisations)
        # Each module's demo, in the order the data flows: governance, reviews, training,
        # performance, then the business plan, which links to all of them.
        directory_demo.build(organisations, users)
        governance_demo.build(organisations, users)
        reviews_demo.build(organisations, users)
        training_demo.build(organisations, users)
        performance_demo.build(organisations, users)
        plans_demo.build(organisations, users)
        audits_demo.build(organisations, users)
        work_demo.build(organisations, users)
        records_demo.build(users)
        # The demo wrote its history to the trail: a checkpoint of its head, as the daily sweep
        # would write, so `verify_audit_trail` checks the demo's trail end to end.
        audit_checkpoint_write(actor=Actor.system("load_demo command"))
        self.stdout.write(self.style.SUCCESS("Loaded the Knowsley demo partnership."))
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (every password: {DEMO_PASSWORD!r}):")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.email:<42} {persona.description}")
        self.stdout.write("")
        self.stdout.write(
            "Accounts with a role need a two-factor code: run `make demo-codes` for the "
            "current codes, or add the secrets it prints to an authenticator app."
        )
