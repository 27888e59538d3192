"""Train the attribution model on the development corpus, and measure it by cross-validation.

    python -m registry.statements.training            # cross-validate, then train and write
    python -m registry.statements.training --cv-only  # cross-validate only
    make train-attribution                            # the same as the first

Only ``tests/statements_corpus/dev/`` is read: the test split is never opened here.

1. **Options with their labels.** Every dev article is run through the extractor with a
   recording chooser: for each quote found, its options (``en_options`` / ``zh_options``)
   are kept with, for each, whether it is right by the scorer's own rule (speaker and
   organisation, ``registry.statements.scoring``). The discourse is fed the right option
   (or the grammar's reading when none is right), as a reader who knows the answer would.
2. **Cross-validation.** The articles of each language are split into four folds by
   their position in name order (article *i* goes to fold *i* mod 4). For each fold, a
   model trained on the other three extracts the fold's articles and is scored on them;
   the four folds' counts are added up. That figure, not the model's score on what it
   was trained on, is the estimate of attribution on articles it has not seen.
3. **The model** is then trained on all of dev and written to
   ``registry/statements/models/attribution-<language>.json`` with its settings and its
   cross-validated figures.

Deterministic: the same corpus and code give the same weights.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from registry.statements.pipeline import extract
from registry.statements.ranking import MODELS, Group, Model, Option, fit, training_groups
from registry.statements.scoring import (
    Article,
    Score,
    _org_right,
    corpus_articles,
    format_table,
    normalise_name,
    normalise_quote,
    score_articles,
)

__all__ = ["FOLDS", "collect_groups", "cross_validate", "folds_of", "train"]

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "statements_corpus"
FOLDS = 4
L2 = 0.05
ITERATIONS = 300
# Below this probability the most likely option is not taken and the quote stays
# unattributed: the model must prefer one reading over all the others together.
THRESHOLD = 0.5
# Both languages' quotes teach both models: the features mean the same in each.
JOINT = True


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
            normalise_name(o.speaker.name) == normalise_name(item.get("speaker")) and _org_right(o.speaker.org, item)
            for o in options
        )
        self.groups += training_groups(options, right)
        return next((o for o, r in zip(options, right, strict=True) if r), options[0])


def collect_groups(article: Article, language: str) -> list[Group]:
    recorder = _Recorder([g for g in article.gold.get("quotes", []) if g.get("kind", "quote") == "quote"], [])
    extract(article.text, language=language, chooser=recorder)
    return recorder.groups


def _score_with(model: Model, articles: list[Article], language: str) -> Score:
    return score_articles(
        articles, lambda text: extract(text, language=language, chooser=lambda quote, options: model.choose(options))
    )


def train(groups: list[Group], *, threshold: float = THRESHOLD) -> Model:
    return Model(fit(groups, l2=L2, iterations=ITERATIONS), threshold)


def cross_validate(language: str, *, threshold: float = THRESHOLD, root: Path = DEV) -> tuple[Score, list[Score]]:
    """(the four held-out folds added up, each fold's score). Each fold's model is trained
    on the other three folds of ``language`` and on the whole of the other language."""
    folds = folds_of(corpus_articles(root, "dev", language))
    groups = [[g for article in fold for g in collect_groups(article, language)] for fold in folds]
    other = _other_language_groups(language, root)
    scores = []
    for k, fold in enumerate(folds):
        training = [g for j, fold_groups in enumerate(groups) if j != k for g in fold_groups] + other
        scores.append(_score_with(train(training, threshold=threshold), fold, language))
    total = Score()
    for score in scores:
        total.add(score)
    return total, scores


def _other_language_groups(language: str, root: Path) -> list[Group]:
    if not JOINT:
        return []
    other = "zh" if language == "en" else "en"
    return [g for article in corpus_articles(root, "dev", other) for g in collect_groups(article, other)]


def write_model(language: str, cv: Score, *, root: Path = DEV) -> Path:
    articles = corpus_articles(root, "dev", language)
    groups = [g for article in articles for g in collect_groups(article, language)]
    model = train(groups + _other_language_groups(language, root))
    MODELS.mkdir(exist_ok=True)
    path = MODELS / f"attribution-{language}.json"
    data = {
        "language": language,
        "trained_on": f"tests/statements_corpus/dev/{language} ({len(articles)} articles, {len(groups)} quotes)",
        "command": "python -m registry.statements.training",
        "l2": L2,
        "iterations": ITERATIONS,
        "threshold": model.threshold,
        "cross_validated": {
            "folds": FOLDS,
            "attribution_precision": round(cv.attribution.precision, 3),
            "attribution_recall": round(cv.attribution.recall, 3),
            "attribution_f1": round(cv.attribution.f1, 3),
        },
        "weights": dict(sorted(model.weights.items())),
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv-only", action="store_true", help="cross-validate without writing the models")
    parser.add_argument("--language", choices=("en", "zh"), action="append", help="one language (default: both)")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--misses", type=int, nargs="*", default=[], help="print these held-out folds' misses")
    args = parser.parse_args(argv)
    rows = []
    for language in args.language or ["en", "zh"]:
        total, scores = cross_validate(language, threshold=args.threshold)
        rows.append((f"cv {language}", total))
        rows += [(f"  fold {k}", score) for k, score in enumerate(scores)]
        for k, score in enumerate(scores):
            if k in args.misses:
                for miss in score.misses:
                    print(language, k, *miss, sep=" | ")
        if not args.cv_only:
            print(f"wrote {write_model(language, total).relative_to(ROOT)}")
    print(format_table(rows))


if __name__ == "__main__":
    main()
