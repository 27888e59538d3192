"""The shared pipeline: clean the paste, choose the language, run its extractor.

``extract(raw)`` is what the command and the review screen call. Each language module
reads the cleaned text (``text.clean_text``) and returns ``Candidate``s in document order.
"""

from __future__ import annotations

from registry.statements.core import Candidate
from registry.statements.text import cjk_share, clean_text

__all__ = ["detect_language", "extract"]

LANGUAGES = ("en", "zh")


def detect_language(text: str) -> str:
    """ "zh" when Chinese characters make up a fifth or more of the letters, else "en"."""
    return "zh" if cjk_share(text) >= 0.2 else "en"


def extract(raw: str, *, language: str | None = None) -> list[Candidate]:
    """Statements of ``raw`` article text, in document order; offsets point into
    ``clean_text(raw)``. ``language`` ("en" or "zh") is detected when not given."""
    cleaned = clean_text(raw)
    language = language if language in LANGUAGES else detect_language(cleaned)
    if language == "zh":
        from registry.statements.zh import extract_zh

        return extract_zh(cleaned)
    from registry.statements.en import extract_en

    return extract_en(cleaned)
