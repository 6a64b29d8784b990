"""Sentiment of notes, tickets and survey comments with VADER (offline, lexicon-based)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

# VADER's own convention for its compound score: at or above 0.05 is positive, at or
# below -0.05 is negative, in between is neutral.
POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
# Recent items count more: an item's weight halves every this many days.
HALF_LIFE_DAYS = 30

_TRANSCRIPT_MARKS = re.compile(r"\{[a-z]+\}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Sentences read per text: enough for any note or ticket, and a bound on time for
# hour-long transcripts.
MAX_SENTENCES = 300


@lru_cache(maxsize=1)
def _analyzer():  # noqa: ANN202 - vaderSentiment has no type hints
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@dataclass(frozen=True)
class SentimentScore:
    compound: float
    positive: float
    neutral: float
    negative: float

    @property
    def label(self) -> str:
        return label_for(self.compound)


def label_for(compound: float) -> str:
    """Name the VADER compound score: positive, negative or neutral."""
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


def _sentences(text: str) -> list[str]:
    parts = _SENTENCE_END.split(text)
    return [part.strip() for part in parts if part.strip()][:MAX_SENTENCES]


def score_text(text: str) -> SentimentScore:
    """Score one text as the mean of its sentences' VADER scores.

    VADER sums word valences over its whole input, so a long transcript with a few dozen
    mildly positive words scores +1.0; averaging sentences keeps long texts comparable with
    short ones. Transcript marks such as `{vocalsound}` are removed first.
    """
    cleaned = _TRANSCRIPT_MARKS.sub(" ", text or "")
    sentences = _sentences(cleaned) or [""]
    scores = [_analyzer().polarity_scores(sentence) for sentence in sentences]
    count = len(scores)
    return SentimentScore(
        compound=sum(score["compound"] for score in scores) / count,
        positive=sum(score["pos"] for score in scores) / count,
        neutral=sum(score["neu"] for score in scores) / count,
        negative=sum(score["neg"] for score in scores) / count,
    )


@dataclass(frozen=True)
class ScoredItem:
    """One note, ticket or survey comment with its sentiment and citation."""

    source_id: str
    kind: str
    item_date: date
    title: str
    score: SentimentScore


@dataclass(frozen=True)
class RolledUpSentiment:
    """Recency-weighted sentiment of an account's recent items."""

    compound: float
    items: list[ScoredItem]

    @property
    def label(self) -> str:
        return label_for(self.compound)

    def most_negative(self) -> ScoredItem | None:
        return min(self.items, key=lambda item: item.score.compound, default=None)

    def most_positive(self) -> ScoredItem | None:
        return max(self.items, key=lambda item: item.score.compound, default=None)


def roll_up(items: list[ScoredItem], as_of: date) -> RolledUpSentiment | None:
    """Average the items' compound scores, each weighted by 2^(-age / HALF_LIFE_DAYS)."""
    if not items:
        return None
    total = 0.0
    weights = 0.0
    for item in items:
        age = max((as_of - item.item_date).days, 0)
        weight = math.pow(2.0, -age / HALF_LIFE_DAYS)
        total += weight * item.score.compound
        weights += weight
    ordered = sorted(items, key=lambda item: item.item_date, reverse=True)
    return RolledUpSentiment(compound=total / weights, items=ordered)
