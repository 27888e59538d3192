"""Generate reproducible synthetic demo data (companies, list memberships,
accounts and metrics), replacing any earlier demo rows."""

from django.core.management.base import BaseCommand, CommandError

from registry.demo import MAX_COMPANIES, DemoDataInUse, clear_demo, demo_exists, generate_demo


class Command(BaseCommand):
    help = "Replace the synthetic demo data: N made-up companies in the Top 500 list, their accounts and metrics."

    def add_arguments(self, parser):
        parser.add_argument("--companies", type=int, default=500, help="Companies in the 2020 list (default 500).")
        parser.add_argument("--seed", type=int, default=2021, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--clear", action="store_true", help="Only delete the demo data.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if demo companies already exist.")

    def handle(self, *args, companies, seed, clear, if_empty, **options):
        if not 1 <= companies <= MAX_COMPANIES:
            raise CommandError(f"--companies must be between 1 and {MAX_COMPANIES}.")
        try:
            if clear:
                removed = clear_demo()
                self.stdout.write(self.style.SUCCESS(f"Deleted the demo data ({removed} companies)."))
                return
            if if_empty and demo_exists():
                self.stdout.write("Demo data already exists; left unchanged.")
                return
            summary = generate_demo(companies=companies, seed=seed)
        except DemoDataInUse as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"Generated demo data for {companies} companies (seed {seed})."))
