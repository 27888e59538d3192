"""Load the seed: reference platforms, the China Top 500 cohort and the facts of
the bundled article. Safe to run any number of times."""

from django.core.management.base import BaseCommand

from registry.seed import load_seed


class Command(BaseCommand):
    help = "Load or refresh the seed data (idempotent)."

    def handle(self, *args, **options):
        summary = load_seed()
        created = sum(counts["created"] for counts in summary.values())
        changed = sum(counts["updated"] + counts["relations updated"] for counts in summary.values())
        for model, counts in summary.items():
            parts = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
            self.stdout.write(f"  {model}: {parts}")
        style = self.style.SUCCESS if created or changed else self.style.NOTICE
        self.stdout.write(style(f"Seed loaded: {created} created, {changed} updated."))
