"""Load the reference lists shipped with the code: the central SOEs supervised
by SASAC. Safe to run any number of times; a second run changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from registry.reference.central_soes import ReferenceListError, load_central_soes


class Command(BaseCommand):
    help = "Load or refresh the reference cohorts (idempotent)."

    def handle(self, *args, **options):
        try:
            summary = load_central_soes()
        except ReferenceListError as error:
            raise CommandError(str(error)) from error
        created = sum(counts["created"] for counts in summary.values())
        changed = sum(counts["updated"] + counts["relations updated"] for counts in summary.values())
        for model, counts in summary.items():
            parts = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
            self.stdout.write(f"  {model}: {parts}")
        style = self.style.SUCCESS if created or changed else self.style.NOTICE
        self.stdout.write(style(f"Reference lists loaded: {created} created, {changed} updated."))
