"""Accuracy on the labelled statements corpus (tests/statements_corpus/), per language and split.

`pytest tests/test_statements_corpus.py -s` prints the table that docs/STATEMENTS.md
reports. The rules were designed and the attribution model trained on `dev/` only (its
cross-validated figures are tested in tests/test_attribution_model.py); `test/` is scored
once at the end of a round of work, and its floors are what was measured then, so a
regression fails. The same table for any labelled folder: `python -m
registry.statements.scoring DIR`. Matching rules: `registry.statements.scoring`.
"""

import json
import re
from pathlib import Path

import pytest

from registry.statements import extract
from registry.statements.figures import propose_figures
from registry.statements.scoring import corpus_articles, format_table, score_articles

CORPUS = Path(__file__).parent / "statements_corpus"
QUOTE_KEYS = {"quote", "speaker", "role", "org", "org_alternatives"}
COMPARATORS = {"exactly", "more_than", "at_least", "about", "fewer_than", "some"}

# Floors: what was measured (docs/STATEMENTS.md), rounded down. Dev is what the rules
# were designed on and the model trained on; test is what the untouched split gave when it
# was scored, once, after the work ended -- reported as it is.
FLOORS = {
    ("dev", "en"): {"quote_f1": 0.98, "attribution_f1": 0.91, "figure_f1": 0.77},
    ("dev", "zh"): {"quote_f1": 0.98, "attribution_f1": 0.82, "figure_f1": 0.85},
    ("test", "en"): {"quote_f1": 0.98, "attribution_f1": 0.73, "figure_f1": 0.55},
    ("test", "zh"): {"quote_f1": 0.95, "attribution_f1": 0.67, "figure_f1": 0.95},
}
# unseen/: news nobody tuned on. The split of the third round (hx.., hz..) was opened in
# round four and moved into dev as tuning data; unseen/ now holds articles written and
# labelled during round four by annotators who had read only the guide, and scored once
# after that round's work was merged (statements_corpus/README.md). Its misses are part of
# the record (docs/STATEMENTS.md): the floors are what was measured, so a regression fails.
UNSEEN_FLOORS = {
    "en": {"quote_f1": 0.97, "attribution_f1": 0.70, "figure_f1": 0.74, "invented_at_most": 0},
    "zh": {"quote_f1": 0.91, "attribution_f1": 0.50, "figure_f1": 0.89, "invented_at_most": 1},
}
# Writer prefixes of articles that joined dev after they had been scored as unseen: they
# keep their numbers, so the number rule of the split does not apply to them.
RETIRED_UNSEEN = ("hx", "hz")
# Writer prefixes of the current unseen split.
UNSEEN_PREFIXES = {"en": "ia", "zh": "iz"}


def _figures(text: str) -> list[dict]:
    return [figure.as_json() for figure in propose_figures(text)]


@pytest.fixture(scope="module")
def scores():
    return {
        (split, language): score_articles(corpus_articles(CORPUS, split, language), extract, _figures)
        for split in ("dev", "test")
        for language in ("en", "zh")
    }


def test_corpus_files_come_in_pairs_and_follow_the_split_rule():
    for split in ("dev", "test"):
        for language in ("en", "zh"):
            folder = CORPUS / split / language
            texts = sorted(p.stem for p in folder.glob("*.txt"))
            assert texts == sorted(p.stem for p in folder.glob("*.json")), folder
            for name in texts:
                prefix, number = re.match(r"([a-z]+)(\d+)_", name).groups()
                if prefix in RETIRED_UNSEEN:
                    assert split == "dev", name
                    continue
                assert (int(number) % 3 == 0) == (split == "test"), name


def test_corpus_size_meets_the_brief():
    def count(language, key):
        return sum(
            len(json.loads(p.read_text(encoding="utf-8"))[key])
            for split in ("dev", "test")
            for p in (CORPUS / split / language).glob("*.json")
        )

    assert len(list(CORPUS.glob("*/en/*.txt"))) >= 60 and len(list(CORPUS.glob("*/zh/*.txt"))) >= 30
    assert count("en", "quotes") >= 300 and count("zh", "quotes") >= 120
    # round four: the third round's unseen articles joined dev (24 English, 14 Chinese)
    assert len(list(CORPUS.glob("dev/en/*.txt"))) == 72 and len(list(CORPUS.glob("dev/zh/*.txt"))) == 38
    assert count("en", "quotes") == 464 + 164 and count("zh", "quotes") == 199 + 86


def test_the_unseen_split_is_only_articles_written_after_round_three():
    for language, prefix in UNSEEN_PREFIXES.items():
        names = sorted(p.stem for p in (CORPUS / "unseen" / language).glob("*.txt"))
        assert names and all(name.startswith(prefix) for name in names), names
        assert names == sorted(p.stem for p in (CORPUS / "unseen" / language).glob("*.json"))


def test_dev_gold_is_well_formed():
    """Only dev is opened here: the gold of the test split is read by the scorer alone."""
    for path in sorted(CORPUS.glob("dev/*/*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = path.with_suffix(".txt").read_text(encoding="utf-8")
        assert gold["language"] == path.parent.name, path
        for quote in gold["quotes"]:
            assert QUOTE_KEYS <= set(quote), (path, quote)
            assert " ".join(quote["quote"].split()) in " ".join(text.split()), (path, quote["quote"])
        for figure in gold["figures"]:
            assert figure["comparator"] in COMPARATORS, (path, figure)


def test_accuracy_per_language_and_split(scores):
    print("\nStatements corpus (tests/statements_corpus): dev tuned on, test held apart")
    print(format_table([(f"{split} {language}", score) for (split, language), score in scores.items()]))
    for (split, language), score in scores.items():
        floor = FLOORS[(split, language)]
        assert score.quotes.f1 >= floor["quote_f1"], (split, language)
        assert score.attribution.f1 >= floor["attribution_f1"], (split, language)
        assert score.figures.f1 >= floor["figure_f1"], (split, language)


def test_no_invented_quotes(scores):
    """Nothing that is not between quote marks, and none of the terms the gold lists as not speech."""
    for key in scores:
        invented = scores[key].invented
        assert invented == [], invented


def test_accuracy_on_the_unseen_split():
    rows = []
    for language, floor in UNSEEN_FLOORS.items():
        score = score_articles(corpus_articles(CORPUS, "unseen", language), extract, _figures)
        rows.append((f"unseen {language}", score))
        assert score.quotes.f1 >= floor["quote_f1"], language
        assert score.attribution.f1 >= floor["attribution_f1"], language
        assert score.figures.f1 >= floor["figure_f1"], language
        assert len(score.invented) <= floor["invented_at_most"], (language, score.invented)
    print("\nUnseen split (tests/statements_corpus/unseen), scored once after the fourth round")
    print(format_table(rows))
