"""Health models for tests: the built-in measures with one profile of chosen weights."""

from __future__ import annotations

import tomllib
from pathlib import Path

from agent.insights.health_model import BUILT_IN_PATH, HealthModel, validate_model

# The weights of the seven measures the model had before feature breadth and last touch.
SEVEN_MEASURES = {
    "usage_trend": 0.25,
    "seat_use": 0.15,
    "feature_breadth": 0.0,
    "support": 0.15,
    "sentiment": 0.10,
    "surveys": 0.15,
    "renewal": 0.10,
    "stakeholders": 0.10,
    "last_touch": 0.0,
}


def built_in_document() -> dict:
    """Return the built-in model file as the table TOML reads it."""
    return tomllib.loads(BUILT_IN_PATH.read_text(encoding="utf-8"))


def one_profile_model(weights: dict[str, float], **cut_points: list) -> HealthModel:
    """Build a model with the built-in measures and one profile that fits every account."""
    document = built_in_document()
    profile = {"stage": "any", "weights": weights}
    if cut_points:
        profile["cut_points"] = cut_points
    document["profiles"] = {"only": profile}
    return validate_model(document, Path("test_model.toml"))
