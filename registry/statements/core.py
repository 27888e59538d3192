"""What every language's extractor returns: candidates with their speakers.

Output conventions (the same for every language, the command's JSON and the review
screen): ``speaker`` is a person's name or ``None``; an organisation speaking as itself
has ``speaker=None``, ``org`` set and ``speaker_is_org``; ``role`` is the title only; a
quote whose speaker the text does not name has speaker, role and org all ``None``; and the
text of a quote is always what stands between its marks.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Candidate", "Speaker"]


@dataclass(frozen=True)
class Speaker:
    """Who a statement is attributed to, after resolution against the article."""

    name: str | None = None  # a person's name; None for an organisation or an unnamed person
    role: str | None = None
    org: str | None = None
    is_org: bool = False  # the organisation speaks as itself

    @property
    def known(self) -> bool:
        return bool(self.name or self.org or self.role)


NOBODY = Speaker()


@dataclass(frozen=True)
class Candidate:
    """One statement found in an article. ``start``/``end`` point into the cleaned text."""

    quote: str
    speaker: str | None
    role: str | None
    org: str | None
    kind: str  # "quote" or "paraphrase"
    speaker_is_org: bool
    start: int
    end: int
    platforms: tuple[str, ...]

    def as_json(self) -> dict:
        """The command's JSON object for this candidate."""
        return {"quote": self.quote, "speaker": self.speaker, "role": self.role, "org": self.org, "kind": self.kind}
