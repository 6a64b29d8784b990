"""Score the sentiment classifier against sentences labelled positive (1) or negative (0)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from agent.errors import InputError
from agent.insights.sentiment import score_text

LABELS = ("negative", "positive")


@dataclass
class ClassScores:
    precision: float
    recall: float
    support: int


@dataclass
class SentimentEvaluation:
    """Accuracy and per-class precision and recall of one classifier on one labelled set."""

    classifier: str
    sentences: int
    accuracy: float
    # Sentences scored neutral; counted as wrong, since the set has no neutral label.
    neutral: int
    classes: dict[str, ClassScores] = field(default_factory=dict)
    # Sentences a model left unreadable twice, so VADER labelled them.
    fallbacks: int = 0


def load_labelled(path: Path) -> list[tuple[str, str]]:
    """Read a tab-separated file with `sentence` and `label` (1 positive, 0 negative)."""
    if not path.is_file():
        raise InputError(f"{path} not found. Pass --file with a labelled TSV file.")
    rows: list[tuple[str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames is None or not {"sentence", "label"} <= set(reader.fieldnames):
            raise InputError(f"{path}: the header must name the columns sentence and label.")
        for number, row in enumerate(reader, start=2):
            label = (row.get("label") or "").strip()
            if label not in ("0", "1"):
                raise InputError(f"{path}:{number}: label {label!r} is not 0 or 1.")
            rows.append((row["sentence"], LABELS[int(label)]))
    return rows


def evaluate(
    rows: list[tuple[str, str]], predict: Callable[[str], str], classifier: str
) -> SentimentEvaluation:
    """Label each sentence with `predict` and compare with its label."""
    predicted = [predict(sentence) for sentence, _label in rows]
    truth = [label for _sentence, label in rows]
    correct = sum(p == t for p, t in zip(predicted, truth, strict=True))
    classes = {}
    for label in LABELS:
        true_positive = sum(p == t == label for p, t in zip(predicted, truth, strict=True))
        predicted_count = predicted.count(label)
        support = truth.count(label)
        classes[label] = ClassScores(
            precision=true_positive / predicted_count if predicted_count else 0.0,
            recall=true_positive / support if support else 0.0,
            support=support,
        )
    return SentimentEvaluation(
        classifier=classifier,
        sentences=len(rows),
        accuracy=correct / len(rows) if rows else 0.0,
        neutral=predicted.count("neutral"),
        classes=classes,
    )


def evaluate_vader(rows: list[tuple[str, str]]) -> SentimentEvaluation:
    """Classify each sentence with VADER's compound thresholds and compare with its label."""
    return evaluate(
        rows,
        lambda sentence: score_text(sentence).label,
        "VADER (vaderSentiment 3.3.2), compound >= 0.05 positive, <= -0.05 negative",
    )


def evaluate_model(rows: list[tuple[str, str]], model, name: str) -> SentimentEvaluation:  # noqa: ANN001
    """Classify each sentence with the chat model (one request each) and compare."""
    from agent.insights.model_sentiment import classify

    fallbacks = 0

    def predict(sentence: str) -> str:
        nonlocal fallbacks
        result = classify(model, sentence)
        fallbacks += result.by != "model"
        return result.label

    evaluation = evaluate(rows, predict, f"model {name}")
    evaluation.fallbacks = fallbacks
    return evaluation
