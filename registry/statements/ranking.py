"""Choosing a quote's speaker among candidates with a small log-linear model.

For every quote the language module lists **options**: each candidate (speaker,
organisation) the article offers -- the subject of the governing cue resolved against
the discourse (a name, a surname, he/she, "the company", 该公司 ...), the previous
quote's speaker, people the previous paragraph introduced -- each paired with every
organisation that may be theirs (the one in the title phrase, the one "the company"
resolves to, the one remembered from the person's introduction, the article's main
organisations, none), plus **nobody**. Each option is described by binary features
(``"s:cue_post"``, ``"o:title"``, ...). The model scores an option as the sum of its
features' weights; the probabilities are the softmax over the quote's options
(a conditional logit). The option chosen is the most probable one, unless its
probability is below the model's ``threshold``: then the quote stays unattributed.
Nothing is guessed beyond what the options hold, and the options hold only what the
text offers.

The weights are learned from the development corpus (``registry.statements.training``,
one command) and stored as a small JSON file next to this module
(``models/attribution.json``, one model for both languages). Pure Python: no numerical library is needed to train
or to use it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from registry.statements.core import NOBODY, Speaker

__all__ = ["Chooser", "Model", "Option", "fit", "load_model", "model_chooser", "nobody_option"]

MODELS = Path(__file__).parent / "models"


@dataclass
class Option:
    """One candidate attribution of a quote: who and for which organisation."""

    speaker: Speaker
    features: dict[str, float] = field(default_factory=dict)

    @property
    def is_nobody(self) -> bool:
        return not self.speaker.known


def nobody_option(features: dict[str, float]) -> Option:
    return Option(NOBODY, {"n:bias": 1.0, **features})


@dataclass(frozen=True)
class Model:
    """Weights for the features of both steps: who spoke (``s:``/``n:`` features), then
    for which organisation (``o:`` features)."""

    weights: dict[str, float]
    threshold: float = 0.0

    def score(self, features: dict[str, float], prefixes: tuple[str, ...]) -> float:
        get = self.weights.get
        return sum(get(name, 0.0) * value for name, value in features.items() if name.startswith(prefixes))

    def speakers(self, options: Sequence[Option]) -> list[tuple[tuple, list[Option], float]]:
        """(speaker, its options, probability) for every speaker among ``options``."""
        grouped = group_by_speaker(options)
        scores = [self.score(speaker_features(group), _WHO) for group in grouped.values()]
        return [(who, group, p) for (who, group), p in zip(grouped.items(), _softmax(scores), strict=True)]

    def choose(self, options: Sequence[Option]) -> Option:
        """The most probable speaker (nobody when it is less probable than ``threshold``),
        then that speaker's most probable organisation. Ties go to the earlier option: the
        language modules list the grammar's own reading first."""
        ranked = self.speakers(options)
        _, group, probability = max(ranked, key=lambda item: item[2])
        if probability < self.threshold and not group[0].is_nobody:
            nobody = next((o for o in options if o.is_nobody), None)
            if nobody is not None:
                return nobody
        return max(group, key=lambda o: self.score(o.features, _ORG))


_WHO = ("s:", "n:")
_ORG = ("o:",)


def who_of(speaker: Speaker) -> tuple:
    """A speaker whatever the organisation: the person, the role, or the organisation itself."""
    if not speaker.known:
        return ("nobody",)
    if speaker.is_org:
        return ("org", speaker.org)
    return ("person", speaker.name) if speaker.name else ("role", speaker.role)


def group_by_speaker(options: Sequence[Option]) -> dict[tuple, list[Option]]:
    grouped: dict[tuple, list[Option]] = {}
    for option in options:
        grouped.setdefault(who_of(option.speaker), []).append(option)
    return grouped


def speaker_features(group: list[Option]) -> dict[str, float]:
    """The features of a speaker: those of its options that are not about the organisation."""
    features: dict[str, float] = {}
    for option in group:
        features.update({k: v for k, v in option.features.items() if k.startswith(_WHO)})
    return features


def training_groups(options: Sequence[Option], right: Sequence[bool]) -> list[Group]:
    """The two choices one quote teaches: among speakers (a speaker is right when one of its
    options is), and among the right speaker's organisations."""
    grouped = group_by_speaker(options)
    correct = {who_of(o.speaker) for o, r in zip(options, right, strict=True) if r}
    groups = [
        Group(
            tuple(speaker_features(group) for group in grouped.values()),
            tuple(who in correct for who in grouped),
        )
    ]
    for who in correct:
        group = grouped[who]
        labels = [r for o, r in zip(options, right, strict=True) if who_of(o.speaker) == who]
        if len(group) > 1:
            groups.append(
                Group(
                    tuple({k: v for k, v in o.features.items() if k.startswith(_ORG)} for o in group),
                    tuple(labels),
                )
            )
    return groups


def _softmax(scores: list[float]) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


MODEL_PATH = MODELS / "attribution.json"


@cache
def load_model() -> Model | None:
    """The trained model (one for both languages: its features mean the same in each), or
    None when none has been trained."""
    path = MODEL_PATH
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Model(weights=dict(data["weights"]), threshold=float(data.get("threshold", 0.0)))


# A quote's text and its options -> the option chosen.
Chooser = Callable[[str, list[Option]], Option]


def first_option(quote: str, options: list[Option]) -> Option:
    """The grammar's own reading (what the extractor says without a trained model)."""
    return options[0]


def model_chooser() -> Chooser:
    """Choose with the trained model; without one, the grammar's reading."""
    model = load_model()
    if model is None:
        return first_option
    return lambda quote, options: model.choose(options)


# --------------------------------------------------------------------------- training


@dataclass(frozen=True)
class Group:
    """One quote's options (feature dicts) and which of them are right."""

    options: tuple[dict[str, float], ...]
    right: tuple[bool, ...]


def fit(groups: Iterable[Group], *, l2: float = 0.1, iterations: int = 300, rate: float = 0.1) -> dict[str, float]:
    """Weights maximising the probability of the right options (summed over the right ones
    when several are right), with an L2 penalty; full-batch Adam from zero, deterministic.
    Groups without a right option teach nothing and are skipped."""
    groups = [g for g in groups if any(g.right) and len(g.options) > 1]
    names = sorted({name for g in groups for option in g.options for name in option})
    index = {name: i for i, name in enumerate(names)}
    compiled = [([[(index[n], v) for n, v in option.items()] for option in g.options], list(g.right)) for g in groups]
    weights = [0.0] * len(names)
    first = [0.0] * len(names)
    second = [0.0] * len(names)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    count = max(1, len(compiled))
    for step in range(1, iterations + 1):
        gradient = [l2 * w for w in weights]
        for options, right in compiled:
            scores = [sum(weights[i] * v for i, v in option) for option in options]
            probabilities = _softmax(scores)
            mass = sum(p for p, r in zip(probabilities, right, strict=True) if r)
            # d(-log sum_right p)/d score_k = p_k - [k right] * p_k / mass
            for option, p, r in zip(options, probabilities, right, strict=True):
                coefficient = (p - (p / mass if r else 0.0)) / count
                if coefficient:
                    for i, v in option:
                        gradient[i] += coefficient * v
        for i, g in enumerate(gradient):
            first[i] = beta1 * first[i] + (1 - beta1) * g
            second[i] = beta2 * second[i] + (1 - beta2) * g * g
            corrected_first = first[i] / (1 - beta1**step)
            corrected_second = second[i] / (1 - beta2**step)
            weights[i] -= rate * corrected_first / (math.sqrt(corrected_second) + eps)
    return {name: round(weights[i], 4) for i, name in enumerate(names) if abs(weights[i]) >= 1e-4}
