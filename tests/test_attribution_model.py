"""The attribution model: its choice rule, its training, its options, and the command that
scores any labelled folder.

The model file in the repository must be exactly what `python -m registry.statements.training`
writes from the dev corpus (reproducible with one command), and its cross-validated
figures must hold (each dev fold extracted by a model trained without it).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from registry.statements import extract
from registry.statements.core import NOBODY, Speaker
from registry.statements.ranking import MODEL_PATH, Group, Model, Option, fit, load_model, training_groups
from registry.statements.scoring import FolderError, score_folder
from registry.statements.training import ITERATIONS, L2, LANGUAGES, THRESHOLD, all_dev_groups, cross_validate, train

ROOT = Path(__file__).resolve().parent.parent

# Cross-validated attribution F1 on dev (docs/STATEMENTS.md), rounded down. Since round
# four dev holds the retired unseen articles of round three in both languages (harder
# articles: lower figures than before).
CROSS_VALIDATED_FLOORS = {"en": 0.91, "zh": 0.82}


def person(name, org=None):
    return Speaker(name, "spokesperson", org, False)


# --------------------------------------------------------------------------- the choice rule


def test_the_most_probable_speaker_is_chosen_then_its_most_probable_organisation():
    model = Model({"s:cue_post": 2.0, "o:title": 1.0, "o:none": -1.0})
    options = [
        Option(person("Li Wei", "Sinopec"), {"s:cue_post": 1.0, "o:title": 1.0}),
        Option(person("Li Wei"), {"s:cue_post": 1.0, "o:none": 1.0}),
        Option(person("Zhang Hua"), {"o:none": 1.0}),
        Option(NOBODY, {"n:bias": 1.0}),
    ]

    assert model.choose(options).speaker == person("Li Wei", "Sinopec")


def test_organisation_features_do_not_pull_a_speaker_up():
    """A person with a remembered organisation is not preferred for it: who spoke is decided
    on the speaker's own features, the organisation after."""
    model = Model({"s:recent0": 1.0, "o:memory": 5.0})
    options = [
        Option(person("Ren Jiajun"), {"s:recent0": 1.0, "o:none": 1.0}),
        Option(person("Gu Yifan", "ECNU"), {"o:memory": 1.0}),
        Option(person("Gu Yifan"), {"o:none": 1.0}),
        Option(NOBODY, {"n:bias": 1.0}),
    ]

    assert model.choose(options).speaker.name == "Ren Jiajun"


def test_below_the_threshold_nothing_is_guessed():
    options = [
        Option(person("A"), {"s:recent0": 1.0}),
        Option(person("B"), {"s:recent1": 1.0}),
        Option(person("C"), {"s:recent2": 1.0}),
        Option(NOBODY, {"n:bias": 1.0}),
    ]
    flat = {"s:recent0": 0.1, "s:recent1": 0.0, "s:recent2": 0.0, "n:bias": -0.5}

    assert Model(flat, threshold=0.0).choose(options).speaker.name == "A"
    assert Model(flat, threshold=0.3).choose(options).speaker == NOBODY


def test_ties_go_to_the_grammar_reading_listed_first():
    options = [Option(person("A"), {}), Option(person("B"), {}), Option(NOBODY, {"n:bias": 1.0})]

    assert Model({}).choose(options).speaker.name == "A"


def test_a_quote_teaches_who_spoke_and_for_which_organisation():
    options = [
        Option(person("Li Wei", "Sinopec"), {"s:cue_post": 1.0, "o:title": 1.0}),
        Option(person("Li Wei"), {"s:cue_post": 1.0, "o:none": 1.0}),
        Option(NOBODY, {"n:bias": 1.0}),
    ]
    speakers, organisations = training_groups(options, [True, False, False])

    assert speakers == Group(({"s:cue_post": 1.0}, {"n:bias": 1.0}), (True, False))
    assert organisations == Group(({"o:title": 1.0}, {"o:none": 1.0}), (True, False))


def test_fit_learns_what_separates_right_from_wrong_and_is_deterministic():
    groups = [Group(({"s:cue_post": 1.0}, {"s:recent1": 1.0}, {"n:bias": 1.0}), (True, False, False))] * 20
    groups += [Group(({"s:recent1": 1.0}, {"n:bias": 1.0}), (False, True))] * 5
    weights = fit(groups, l2=0.01, iterations=200)

    assert weights["s:cue_post"] > weights["n:bias"] > weights["s:recent1"]
    assert fit(groups, l2=0.01, iterations=200) == weights


# --------------------------------------------------------------------------- the trained model


def test_the_model_in_the_repository_is_what_training_writes_from_dev():
    stored = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    groups = all_dev_groups()
    retrained = train(groups)

    assert stored["threshold"] == THRESHOLD and stored["l2"] == L2 and stored["iterations"] == ITERATIONS
    assert stored["choices"] == len(groups)
    assert stored["weights"] == dict(sorted(retrained.weights.items()))
    assert load_model() == Model(stored["weights"], stored["threshold"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_cross_validated_attribution_on_dev(language):
    """Each dev fold is extracted by a model trained on the other folds (and the other
    language): the estimate of attribution on articles the model has not seen."""
    total, folds = cross_validate(language)
    stored = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["cross_validated"][language]

    assert len(folds) == 4
    assert total.attribution.f1 >= CROSS_VALIDATED_FLOORS[language]
    assert round(total.attribution.f1, 3) == stored["attribution_f1"]
    assert total.invented == []


# --------------------------------------------------------------------------- options


def test_a_quote_only_paragraph_may_be_the_person_the_previous_paragraph_introduces():
    text = (
        "Sinopec has opened 400 stores on Douyin.\n\n"
        "Wang Jun, who heads the group's livestream team, joined Sinopec in 2010 and now trains 40 hosts.\n\n"
        "“Most of our buyers are truck drivers who shop at night.”"
    )
    seen = []

    def record(quote, options):
        seen.append(options)
        return options[0]

    extract(text, chooser=record)

    assert any(o.is_nobody for o in seen[0])  # nobody is always an option
    assert "Wang Jun" in {o.speaker.name for o in seen[0]}
    assert {o.speaker.org for o in seen[0] if o.speaker.name == "Wang Jun"} >= {"Sinopec", None}


def test_a_cue_offers_only_readings_of_its_subject():
    text = (
        "Li Ming runs the account.\n\n"
        "“Scams are getting smarter,” said Chen Siyu, head of retail at Bank of Communications."
    )
    seen = []
    extract(text, chooser=lambda quote, options: seen.append(options) or options[0])

    assert {o.speaker.name for o in seen[0]} == {"Chen Siyu", None}


# --------------------------------------------------------------------------- scoring any folder


def _labelled_folder(root: Path) -> Path:
    (root / "en").mkdir(parents=True)
    (root / "en" / "a01_sample.txt").write_text(
        "“We will answer every complaint,” said Li Wei, a spokesperson for Sinopec.\n", encoding="utf-8"
    )
    gold = {
        "language": "en",
        "quotes": [
            {
                "quote": "We will answer every complaint,",
                "speaker": "Li Wei",
                "role": "spokesperson",
                "org": "Sinopec",
                "org_alternatives": [],
            }
        ],
        "non_speech": [],
        "figures": [],
    }
    (root / "en" / "a01_sample.json").write_text(json.dumps(gold), encoding="utf-8")
    return root


def test_score_folder_scores_each_language_it_holds(tmp_path):
    rows = score_folder(_labelled_folder(tmp_path / "fresh"))

    assert [label for label, _ in rows] == ["fresh en"]
    score = rows[0][1]
    assert (score.quotes.f1, score.attribution.f1, score.invented) == (1.0, 1.0, [])


def test_score_statements_command_prints_the_corpus_table(tmp_path, capsys):
    call_command("score_statements", str(_labelled_folder(tmp_path / "fresh")))
    out = capsys.readouterr().out

    assert "quote P" in out and "attr P" in out
    assert "fresh en" in out and "1.000" in out


def test_score_statements_module_runs_from_the_shell(tmp_path):
    folder = _labelled_folder(tmp_path / "fresh")
    done = subprocess.run(
        [sys.executable, "-m", "registry.statements.scoring", str(folder), "--misses"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "fresh en" in done.stdout


def test_score_statements_refuses_a_folder_without_a_corpus(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "orphan.txt").write_text("text", encoding="utf-8")

    with pytest.raises(CommandError, match="no gold file"):
        call_command("score_statements", str(tmp_path))
    with pytest.raises(FolderError, match="not a folder"):
        score_folder(tmp_path / "missing")
    with pytest.raises(FolderError, match="holds no en/ or zh/"):
        score_folder(tmp_path / "en")
