"""Score the statement extractor on a labelled folder of articles.

    python manage.py score_statements DIR [--misses]

``DIR`` holds ``en/<id>.txt`` and ``zh/<id>.txt``, each with its gold ``<id>.json`` beside it
(the format of ``tests/statements_corpus/README.md``). Prints quote precision, recall and
F1, attribution (speaker and organisation) precision, recall and F1, invented quotes and
published figures per language: the table of ``tests/test_statements_corpus.py``.
Nothing is read from or written to the database.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.statements.scoring import FolderError, report


class Command(BaseCommand):
    help = "Score statement extraction on a labelled folder DIR/{en,zh}/<id>.txt + <id>.json."

    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--misses", action="store_true", help="also list every miss, one per line")

    def handle(self, *args, **options):
        try:
            self.stdout.write(report(options["folder"], misses=options["misses"]))
        except FolderError as exc:
            raise CommandError(str(exc)) from exc
