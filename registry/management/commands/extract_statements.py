"""Print the statements (quotes and paraphrases) found in a news article saved as text.

    python manage.py extract_statements article.txt [--format json|text]

If the first non-empty line of the file is an http(s) URL, it is taken as the article's
source and the article starts on the next line. Nothing is read from or written to the
database.
"""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.statements import Candidate, extract

_URL_LINE = re.compile(r"https?://\S+")
_JSON_KEYS = ("quote", "speaker", "role", "org", "kind")


def read_article(path: str) -> tuple[str | None, str]:
    """Return (source URL or None, article text) from a UTF-8 text file.

    Raises CommandError for a missing file, a file that is not UTF-8, or one without text.
    """
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No such file: {path}")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not UTF-8 text (byte {exc.start}: {exc.reason}).") from exc
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise CommandError(f"{path} is empty.")
    url = None
    if _URL_LINE.fullmatch(lines[first].strip()):
        url = lines[first].strip()
        text = "\n".join(lines[first + 1 :])
        if not text.strip():
            raise CommandError(f"{path} holds a source URL but no article text.")
    return url, text


class Command(BaseCommand):
    help = "Extract direct quotes and paraphrases, with speaker, role and organisation, from an article."

    # Pure text processing: no system checks or migrations needed, so no database access.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 text file holding the article (optionally its URL first).")
        parser.add_argument("--format", choices=("json", "text"), default="text", help="Output format.")

    def handle(self, *args, path: str, format: str, **options):
        url, article = read_article(path)
        candidates = extract(article)
        if format == "json":
            rows = [{key: getattr(candidate, key) for key in _JSON_KEYS} for candidate in candidates]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_as_text(url, candidates))


def _as_text(url: str | None, candidates: list[Candidate]) -> str:
    lines = [f"Source: {url}", ""] if url else []
    quotes = sum(1 for c in candidates if c.kind == "quote")
    lines.append(f"{quotes} direct quote(s), {len(candidates) - quotes} paraphrase(s)")
    for number, candidate in enumerate(candidates, start=1):
        who = candidate.speaker or "(unattributed)"
        title = ", ".join(part for part in (candidate.role, candidate.org) if part and part != candidate.speaker)
        lines += [
            "",
            f"{number}. [{candidate.kind}] {who}" + (f" ({title})" if title else ""),
            f"   “{candidate.quote}”" if candidate.kind == "quote" else f"   {candidate.quote}",
        ]
    return "\n".join(lines)
