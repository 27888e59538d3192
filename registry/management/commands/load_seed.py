"""Load the seed: reference platforms, the China Top 500 cohort and the facts of
the bundled article. Safe to run any number of times."""

from django.core.management.base import BaseCommand

from registry.seed import load_seed, write_load_summary


class Command(BaseCommand):
    help = "Load or refresh the seed data (idempotent)."

    def handle(self, *args, **options):
        summary = load_seed()
        write_load_summary(self, summary, "Seed")
