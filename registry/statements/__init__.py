"""Statements: extraction from pasted articles (English and Chinese), review, search.

- ``pipeline``: the shared pipeline, ``extract(raw, language=None)``;
  ``text``: cleaning, paragraphs, quote spans; ``core``: ``Candidate``;
- ``en`` / ``en_mentions`` / ``en_lexicon``: English attribution;
  ``zh`` / ``zh_lexicon``: Chinese attribution;
- ``reading``: bytes to text in any common encoding;
- ``figures``: published-figure candidates read from the text;
- ``platforms``: platform names in either language;
- ``service``: matching names to the registry, duplicates, saving what staff accepted;
- ``search``: full-text search over statements and sources;
- ``scoring``: precision, recall and F1 against a labelled corpus.

The extraction modules are pure Python (no database); ``service`` and ``search`` use the
ORM. Import them by module; this package's namespace only re-exports the pure pieces.
"""

from registry.statements.core import Candidate
from registry.statements.pipeline import detect_language, extract
from registry.statements.platforms import detect_platforms
from registry.statements.text import clean_text

__all__ = ["Candidate", "clean_text", "detect_language", "detect_platforms", "extract"]
