"""Print the statements (quotes and paraphrases) found in a news article saved as text.

    python manage.py extract_statements article.txt [--format json|text] [--language en|zh]

The file may be in any common encoding (UTF-8 with or without a byte-order mark,
GBK/GB18030, Big5, UTF-16): it is detected, and the encoding used is reported on standard
error. If the first non-empty line is an http(s) URL, it is taken as the article's source
and the article starts on the next line. English and Chinese articles are recognised.
Nothing is read from or written to the database.
"""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.statements import Candidate, detect_language, extract
from registry.statements.figures import FigureCandidate, propose_figures
from registry.statements.reading import NotText, decode_article

_URL_LINE = re.compile(r"https?://\S+")
MAX_BYTES = 20_000_000


def read_article(path: str) -> tuple[str | None, str, str]:
    """Return (source URL or None, article text, encoding label) from a text file.

    Raises CommandError for a missing file, bytes that are not text, or a file without text.
    """
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No such file: {path}")
    if file.stat().st_size > MAX_BYTES:
        raise CommandError(f"{path} is larger than {MAX_BYTES:,} bytes: not an article.")
    try:
        decoded = decode_article(file.read_bytes())
    except NotText as exc:
        raise CommandError(f"{path}: {exc}") from exc
    text = decoded.text
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
    return url, text, decoded.label


class Command(BaseCommand):
    help = "Extract direct quotes and paraphrases, with speaker, role and organisation, from an article."

    # Pure text processing: no system checks or migrations needed, so no database access.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("path", help="Text file holding the article (optionally its URL first), any encoding.")
        parser.add_argument("--format", choices=("json", "text"), default="text", help="Output format.")
        parser.add_argument("--language", choices=("en", "zh"), help="The article's language (detected if not given).")

    def handle(self, *args, path: str, format: str, language: str | None = None, **options):
        url, article, encoding = read_article(path)
        self.stderr.write(f"Read {path} as {encoding}.")
        language = language or detect_language(article)
        candidates = extract(article, language=language)
        if format == "json":
            self.stdout.write(json.dumps([c.as_json() for c in candidates], ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_as_text(url, candidates, propose_figures(article, language=language)))


def _as_text(url: str | None, candidates: list[Candidate], figures: list[FigureCandidate]) -> str:
    lines = [f"Source: {url}", ""] if url else []
    quotes = sum(1 for c in candidates if c.kind == "quote")
    lines.append(f"{quotes} direct quote(s), {len(candidates) - quotes} paraphrase(s)")
    for number, candidate in enumerate(candidates, start=1):
        who = candidate.speaker or (candidate.org if candidate.speaker_is_org else None) or "(unattributed)"
        title = ", ".join(part for part in (candidate.role, candidate.org) if part and part != who)
        lines += [
            "",
            f"{number}. [{candidate.kind}] {who}" + (f" ({title})" if title else ""),
            f"   “{candidate.quote}”" if candidate.kind == "quote" else f"   {candidate.quote}",
        ]
    if figures:
        lines += ["", f"{len(figures)} published figure(s)"]
        for figure in figures:
            date = f", as of {figure.as_of}" if figure.as_of else ""
            lines.append(
                f"- {figure.text} ({figure.comparator}) — {figure.platform_name}; {figure.population or '?'}{date}"
            )
    return "\n".join(lines)
