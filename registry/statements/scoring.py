"""Score the extractor against a labelled corpus: quotes, attribution, invented quotes, figures.

A corpus article is ``NAME.txt`` with its gold ``NAME.json`` (see
``tests/statements_corpus/README.md``). Matching rules:

- **Quote text**: compared after normalisation (NFKC, so full-width punctuation equals its
  ASCII form; case-folded; whitespace collapsed; quote marks, spaces and punctuation at
  either end dropped). Gold and predicted quotes are matched one to one, in document order.
  A predicted quote that equals two or more consecutive gold quotes joined (a split quote
  or a quote over several paragraphs predicted as one) matches all of them: each of those
  gold quotes counts as found and the prediction as correct.
- **Attribution** is right when a matched quote has the right speaker (normalised; both
  ``null`` counts) and the right organisation: the predicted org equals, after
  normalisation (also a leading "the" dropped), the gold ``org`` or one of its
  ``org_alternatives``, or both are ``null`` (names compared case-folded, without a
  leading "the", full stops, commas, apostrophes or brackets; for organisations also
  without the legal form at the end: "Group", "Co Ltd", 集团, 有限公司). Precision divides by predicted quotes,
  recall by gold quotes, so a quote not found is an attribution missed.
- **Invented quotes**: predicted quotes that do not stand right after a quote mark in the
  article, or that the gold lists as ``non_speech``.
- **Figures**: a predicted figure matches a gold one with the same platform and value
  (one to one). How many matched figures also have the right comparator and year is
  reported beside (``figure_fields_right``).

Pure Python: usable from tests, scripts and the shell.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Counts", "Score", "load_article", "score_articles", "score_corpus", "format_table"]

_MARKS = "\"'“”‘’「」『』„«»＂"
_EDGE = re.compile(rf"^[\s{_MARKS}.,;:!?…，。；：！？、—–-]+|[\s{_MARKS}.,;:!?…，。；：！？、—–-]+$")


def normalise_quote(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = " ".join(text.split())
    return _EDGE.sub("", text)


_LEGAL_FORM = re.compile(
    r"(?:\s+(?:group|co|ltd|limited|corp|corporation|inc|holdings|plc|company))+$"
    r"|(?:集团)?(?:股份有限公司|有限责任公司|有限公司|公司)$|集团$|(?:集團)?(?:股份有限公司|有限公司|公司)$|集團$"
)


def normalise_name(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[\s.,'’()（）]+", " ", text).strip()
    return text


def normalise_org(text: str | None) -> str:
    """An organisation's name without its legal form ("Group", "Co Ltd", 集团, 有限公司)."""
    name = normalise_name(text)
    stripped = _LEGAL_FORM.sub("", name).strip()
    return stripped or name


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched_gold += other.matched_gold
        self.matched_predicted += other.matched_predicted

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    articles: int = 0
    quotes: Counts = field(default_factory=Counts)
    attribution: Counts = field(default_factory=Counts)
    figures: Counts = field(default_factory=Counts)
    figure_fields_right: int = 0  # matched figures whose population and date are also right
    invented: list[tuple[str, str]] = field(default_factory=list)  # (article, quote)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (article, kind, detail)

    def add(self, other: Score) -> None:
        self.articles += other.articles
        self.quotes.add(other.quotes)
        self.attribution.add(other.attribution)
        self.figures.add(other.figures)
        self.figure_fields_right += other.figure_fields_right
        self.invented += other.invented
        self.misses += other.misses


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    gold: dict


def load_article(path: Path) -> Article:
    """The article ``path`` (a .txt) and its gold (the .json beside it)."""
    return Article(
        path.stem,
        path.read_text(encoding="utf-8"),
        json.loads(path.with_suffix(".json").read_text(encoding="utf-8")),
    )


def _between_marks(text: str, quote: str) -> bool:
    """``quote`` stands in ``text`` right after a quote mark (spaces allowed between)."""
    if not quote:
        return False
    squashed = " ".join(text.split())
    pattern = rf"[{_MARKS}]\s*" + re.escape(" ".join(quote.split()))
    return re.search(pattern, squashed) is not None


def _org_right(predicted: str | None, gold: dict) -> bool:
    allowed = {normalise_org(gold.get("org"))} | {normalise_org(a) for a in gold.get("org_alternatives") or []}
    if not gold.get("org"):
        allowed = {""}
    return normalise_org(predicted) in allowed


def _match_quotes(gold: list[dict], predicted: list) -> list[tuple[list[int], int]]:
    """One-to-one matches (gold indexes, predicted index), in document order."""
    keys = [normalise_quote(g["quote"]) for g in gold]
    used_gold: set[int] = set()
    pairs = []
    for p_index, candidate in enumerate(predicted):
        key = normalise_quote(candidate.quote)
        if not key:
            continue
        hit = next((i for i, k in enumerate(keys) if i not in used_gold and k == key), None)
        if hit is not None:
            used_gold.add(hit)
            pairs.append(([hit], p_index))
            continue
        # a prediction that joins consecutive gold quotes
        run = _joined_run(key, keys, used_gold)
        if run:
            used_gold.update(run)
            pairs.append((run, p_index))
    return pairs


def _split_matches(gold: list[dict], predicted: list, pairs: list) -> list[tuple[int, list[int]]]:
    """(gold index, predicted indexes): gold quotes labelled joined (a corpus whose
    conventions join split and multi-paragraph quotes) that consecutive predictions make up."""
    used_gold = {g for run, _ in pairs for g in run}
    used_pred = {p for _, p in pairs}
    keys = [normalise_quote(c.quote) for c in predicted]
    found = []
    for g_index, item in enumerate(gold):
        if g_index in used_gold:
            continue
        run = _joined_run(normalise_quote(item["quote"]), keys, used_pred)
        if run:
            used_pred.update(run)
            found.append((g_index, run))
    return found


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def _joined_run(key: str, keys: list[str], used: set[int]) -> list[int]:
    """Indexes of consecutive quotes whose texts, joined, are ``key`` (spaces and
    punctuation ignored)."""
    target = _letters(key)
    for start in range(len(keys)):
        if start in used or not keys[start] or not target.startswith(_letters(keys[start])):
            continue
        joined, run = "", []
        for index in range(start, len(keys)):
            if index in used:
                break
            joined += _letters(keys[index])
            run.append(index)
            if len(run) > 1 and joined == target:
                return run
            if not target.startswith(joined):
                break
    return []


def _figure_key(figure: dict) -> tuple:
    return ((figure.get("platform") or "").casefold(), figure.get("value"))


def score_articles(
    articles: Iterable[Article],
    extract: Callable[[str], list],
    propose_figures: Callable[[str], list[dict]] | None = None,
    *,
    split_gold: bool = False,
) -> Score:
    """Score ``extract`` (text -> candidates with .quote .speaker .org .kind) and, when
    given, ``propose_figures`` (text -> figure dicts as in the gold) on ``articles``.
    ``split_gold``: the gold joins quotes split by their attribution or running over
    paragraphs (the first corpus's convention); consecutive predictions may make one up."""
    total = Score()
    for article in articles:
        score = Score(articles=1)
        gold = [g for g in article.gold.get("quotes", []) if g.get("kind", "quote") == "quote"]
        predicted = [c for c in extract(article.text) if getattr(c, "kind", "quote") == "quote"]
        pairs = _match_quotes(gold, predicted)
        splits = _split_matches(gold, predicted, pairs) if split_gold else []
        score.quotes = Counts(
            len(gold),
            len(predicted),
            sum(len(g) for g, _ in pairs) + len(splits),
            len(pairs) + sum(len(run) for _, run in splits),
        )
        right_gold = right_pred = 0
        found_gold = {g for g, _ in splits}
        for g_index, run in splits:
            rights = [
                normalise_name(predicted[p].speaker) == normalise_name(gold[g_index].get("speaker"))
                and _org_right(predicted[p].org, gold[g_index])
                for p in run
            ]
            right_gold += all(rights)
            right_pred += sum(rights)
        for gold_indexes, p_index in pairs:
            candidate = predicted[p_index]
            found_gold.update(gold_indexes)
            rights = [
                normalise_name(candidate.speaker) == normalise_name(gold[g].get("speaker"))
                and _org_right(candidate.org, gold[g])
                for g in gold_indexes
            ]
            right_gold += sum(rights)
            right_pred += all(rights)
            for g, right in zip(gold_indexes, rights, strict=True):
                if not right:
                    score.misses.append(
                        (
                            article.name,
                            "attribution",
                            f"{gold[g]['quote'][:50]!r}: got ({candidate.speaker}, {candidate.org}), "
                            f"want ({gold[g].get('speaker')}, {gold[g].get('org')})",
                        )
                    )
        score.attribution = Counts(len(gold), len(predicted), right_gold, right_pred)
        matched_pred = {p for _, p in pairs} | {p for _, run in splits for p in run}
        non_speech = {normalise_quote(n) for n in article.gold.get("non_speech", [])}
        for index, candidate in enumerate(predicted):
            if index in matched_pred:
                continue
            invented = normalise_quote(candidate.quote) in non_speech or not _between_marks(
                article.text, candidate.quote
            )
            if invented:
                score.invented.append((article.name, candidate.quote))
            score.misses.append((article.name, "extra" + (" (invented)" if invented else ""), candidate.quote[:80]))
        for index, item in enumerate(gold):
            if index not in found_gold:
                score.misses.append((article.name, "missed", item["quote"][:80]))
        if propose_figures is not None:
            gold_figures = list(article.gold.get("figures", []))
            proposed = propose_figures(article.text)
            remaining = list(gold_figures)
            matched = fields = 0
            for figure in proposed:
                hit = next((g for g in remaining if _figure_key(g) == _figure_key(figure)), None)
                if hit is None:
                    score.misses.append((article.name, "extra figure", str(_figure_key(figure))))
                    continue
                remaining.remove(hit)
                matched += 1
                same_year = str(figure.get("as_of") or "")[:4] == str(hit.get("as_of") or "")[:4]
                fields += figure.get("comparator") == hit.get("comparator") and same_year
            for g in remaining:
                score.misses.append((article.name, "missed figure", str(_figure_key(g))))
            score.figures = Counts(len(gold_figures), len(proposed), matched, matched)
            score.figure_fields_right = fields
        total.add(score)
    return total


def corpus_articles(root: Path, split: str, language: str) -> list[Article]:
    folder = root / split / language
    return [load_article(path) for path in sorted(folder.glob("*.txt"))] if folder.is_dir() else []


def score_corpus(root: Path, split: str, language: str, extract, propose_figures=None) -> Score:
    return score_articles(corpus_articles(root, split, language), extract, propose_figures)


def format_table(rows: list[tuple[str, Score]]) -> str:
    """A plain-text table, one line per (label, score)."""
    header = (
        f"{'':<14}{'art':>4}{'gold':>6}{'found':>6}  {'quote P':>7}{'R':>6}{'F1':>6}  "
        f"{'attr P':>6}{'R':>6}{'F1':>6}  {'invented':>8}  {'fig gold':>8}{'P':>6}{'R':>6}"
    )
    lines = [header]
    for label, s in rows:
        lines.append(
            f"{label:<14}{s.articles:>4}{s.quotes.gold:>6}{s.quotes.predicted:>6}  "
            f"{s.quotes.precision:>7.3f}{s.quotes.recall:>6.3f}{s.quotes.f1:>6.3f}  "
            f"{s.attribution.precision:>6.3f}{s.attribution.recall:>6.3f}{s.attribution.f1:>6.3f}  "
            f"{len(s.invented):>8}  {s.figures.gold:>8}{s.figures.precision:>6.3f}{s.figures.recall:>6.3f}"
        )
    return "\n".join(lines)
