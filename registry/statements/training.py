"""Train the attribution model on the development corpus, and measure it by cross-validation.

    python -m registry.statements.training            # cross-validate, then train and write
    python -m registry.statements.training --cv-only  # cross-validate only
    make train-attribution                            # the first, from the Makefile

Only ``tests/statements_corpus/dev/`` is read: the test split is never opened here.

1. **Options with their labels.** Every dev article is run through the extractor with a
   recording chooser: for each quote found, its options (``en_options`` / ``zh_options``)
   are kept with, for each, whether it is right by the scorer's own rule (speaker and
   organisation, ``registry.statements.scoring``). The discourse is fed the right option
   (or the grammar's reading when none is right), as a reader who knows the answer would.
   Each quote teaches two choices (``ranking.training_groups``): among its speakers, and
   among the right speaker's organisations.
2. **Cross-validation.** The articles of each language are split into four folds by their
   position in name order (article *i* goes to fold *i* mod 4). For each fold, a model
   trained on the other three folds and on the whole of the other language extracts the
   fold's articles and is scored on them; the four folds' counts are added up. That
   figure, not the model's score on what it was trained on, estimates attribution on
   articles it has not seen.
3. **The model** is then trained on all of dev, both languages (the features mean the
   same in each), and written to ``registry/statements/models/attribution.json`` with
   its settings and the cross-validated figures.

Deterministic: the same corpus and code give the same weights.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from registry.statements.pipeline import extract
from registry.statements.ranking import MODEL_PATH, Group, Model, Option, fit, training_groups
from registry.statements.scoring import (
    Article,
    Score,
    corpus_articles,
    format_table,
    normalise_name,
    normalise_quote,
    org_right,
    score_articles,
)

__all__ = ["FOLDS", "LANGUAGES", "all_dev_groups", "collect_groups", "cross_validate", "folds_of", "train"]

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "statements_corpus"
LANGUAGES = ("en", "zh")
FOLDS = 4
L2 = 0.02
ITERATIONS = 500
# A speaker less probable than this (whatever the organisation) is not taken: the quote
# stays unattributed rather than go to one of three or more comparable readings.
THRESHOLD = 0.3


def folds_of(articles: list[Article], folds: int = FOLDS) -> list[list[Article]]:
    return [[a for i, a in enumerate(articles) if i % folds == k] for k in range(folds)]


@dataclass
class _Recorder:
    """A chooser that keeps each quote's options with their labels and follows the gold."""

    gold: list[dict]
    groups: list[Group]

    def __call__(self, quote: str, options: list[Option]) -> Option:
        key = normalise_quote(quote)
        item = next((g for g in self.gold if normalise_quote(g["quote"]) == key), None)
        if item is None:
            return options[0]
        self.gold.remove(item)
        right = tuple(
            normalise_name(o.speaker.name) == normalise_name(item.get("speaker")) and org_right(o.speaker.org, item)
            for o in options
        )
        self.groups += training_groups(options, right)
        return next((o for o, r in zip(options, right, strict=True) if r), options[0])


def collect_groups(article: Article, language: str) -> list[Group]:
    recorder = _Recorder([g for g in article.gold.get("quotes", []) if g.get("kind", "quote") == "quote"], [])
    extract(article.text, language=language, chooser=recorder)
    return recorder.groups


def train(groups: list[Group], *, threshold: float = THRESHOLD) -> Model:
    return Model(fit(groups, l2=L2, iterations=ITERATIONS), threshold)


def _score_with(model: Model, articles: list[Article], language: str) -> Score:
    return score_articles(
        articles, lambda text: extract(text, language=language, chooser=lambda quote, options: model.choose(options))
    )


def _dev_groups(language: str, root: Path) -> list[list[Group]]:
    """The groups of each dev fold of ``language``."""
    folds = folds_of(corpus_articles(root, "dev", language))
    return [[g for article in fold for g in collect_groups(article, language)] for fold in folds]


def cross_validate(language: str, *, threshold: float = THRESHOLD, root: Path = CORPUS) -> tuple[Score, list[Score]]:
    """(the four held-out folds of ``language`` added up, each fold's score)."""
    folds = folds_of(corpus_articles(root, "dev", language))
    groups = _dev_groups(language, root)
    other = [g for fold in _dev_groups("zh" if language == "en" else "en", root) for g in fold]
    scores = []
    for k, fold in enumerate(folds):
        training = [g for j, fold_groups in enumerate(groups) if j != k for g in fold_groups] + other
        scores.append(_score_with(train(training, threshold=threshold), fold, language))
    total = Score()
    for score in scores:
        total.add(score)
    return total, scores


def all_dev_groups(root: Path = CORPUS) -> list[Group]:
    """Every choice the dev corpus teaches, both languages, in a fixed order."""
    return [g for language in LANGUAGES for fold in _dev_groups(language, root) for g in fold]


def write_model(cross_validated: dict[str, Score], *, root: Path = CORPUS) -> Path:
    """Train on all of dev (both languages) and write the model with its figures."""
    groups = all_dev_groups(root)
    model = train(groups)
    articles = {language: len(corpus_articles(root, "dev", language)) for language in LANGUAGES}
    data = {
        "trained_on": "tests/statements_corpus/dev: "
        + ", ".join(f"{n} {language} articles" for language, n in articles.items()),
        "command": "python -m registry.statements.training",
        "choices": len(groups),
        "l2": L2,
        "iterations": ITERATIONS,
        "threshold": model.threshold,
        "cross_validated": {
            language: {
                "folds": FOLDS,
                "attribution_precision": round(score.attribution.precision, 3),
                "attribution_recall": round(score.attribution.recall, 3),
                "attribution_f1": round(score.attribution.f1, 3),
            }
            for language, score in cross_validated.items()
        },
        "weights": dict(sorted(model.weights.items())),
    }
    MODEL_PATH.parent.mkdir(exist_ok=True)
    MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return MODEL_PATH


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv-only", action="store_true", help="cross-validate without writing the model")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--misses", type=int, nargs="*", default=[], help="print these held-out folds' misses")
    args = parser.parse_args(argv)
    rows, totals = [], {}
    for language in LANGUAGES:
        total, scores = cross_validate(language, threshold=args.threshold)
        totals[language] = total
        rows.append((f"cv {language}", total))
        rows += [(f"  fold {k}", score) for k, score in enumerate(scores)]
        for k, score in enumerate(scores):
            if k in args.misses:
                for miss in score.misses:
                    print(language, k, *miss, sep=" | ")
    print("Attribution cross-validated on dev (each fold extracted by a model trained without it)")
    print(format_table(rows))
    if not args.cv_only:
        print(f"wrote {write_model(totals).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
