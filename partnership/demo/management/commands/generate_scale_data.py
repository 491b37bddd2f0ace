import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnership.demo import scale


class Command(BaseCommand):
    help = (
        "Make N times a realistic year of a large partnership (scale 1: about 200 "
        "organisations, 5,000 users, 20,000 audit entries), for benchmarks. Refuses to run "
        "with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="How many times a large partnership's year to make; may be fractional (0.05).",
        )
        parser.add_argument("--seed", type=int, default=2019, help="Seed for repeatable data.")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing (and succeed) if scale data is already here.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never on a live partnership's database).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this looks like production: scale data has a known password "
                "and must not get in. Use --force only on a database you can throw away."
            )
        if options["scale"] <= 0:
            raise CommandError("--scale must be more than 0.")
        started = time.monotonic()
        if scale.exists():
            if options["if_missing"]:
                self.stdout.write("Scale data is already here: nothing to do.")
                return
            raise CommandError(
                'Scale data is already here (emails and slugs starting "scale-"): make it in '
                "a fresh database (audit entries about it cannot be deleted)."
            )
        counts = scale.generate(options["scale"], random.Random(options["seed"]))
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Made scale data at scale {options['scale']:g}:"))
        for kind, count in counts.items():
            self.stdout.write(f"  {kind:<28} {count:>7,}")
        self.stdout.write(f"Took {elapsed:.1f} s.")
