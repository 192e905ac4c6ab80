"""`manage.py generate_scale`: province-scale data for benchmarks (dashboard/scale.py)."""

from django.core.management.base import BaseCommand

from dashboard.scale import Progress, generate


class Command(BaseCommand):
    help = "Generates reproducible province-scale data (many colleges; the demo college gets the largest share)."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=150)
        parser.add_argument("--people", type=int, default=60000)
        parser.add_argument("--events", type=int, default=30000)
        parser.add_argument("--suggestions", type=int, default=200000)
        parser.add_argument("--items", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        result = generate(
            orgs=max(1, options["orgs"]),
            people=options["people"],
            events=options["events"],
            suggestions=options["suggestions"],
            items=options["items"],
            seed=options["seed"],
            progress=Progress(quiet=options["quiet"]),
        )
        self.stdout.write(f"{result['colleges']} colleges generated.")
