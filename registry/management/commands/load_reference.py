"""Load the reference lists shipped with the code: the central SOEs supervised
by SASAC. Safe to run any number of times; a second run changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from registry.reference.central_soes import ReferenceListError, load_central_soes
from registry.seed import write_load_summary


class Command(BaseCommand):
    help = "Load or refresh the reference cohorts (idempotent)."

    def handle(self, *args, **options):
        try:
            summary = load_central_soes()
        except ReferenceListError as error:
            raise CommandError(str(error)) from error
        write_load_summary(self, summary, "Reference lists")
