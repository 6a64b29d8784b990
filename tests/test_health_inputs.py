"""Feature breadth and days since the last touch, worked by hand on small books."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from agent.insights.health import health_for
from agent.store import Account, Note, Store, Subscription, UsageRecord

AS_OF = date(2026, 6, 30)


@pytest.fixture
def store() -> Store:
    result = Store("sqlite://")
    with result.session() as session:
        # A customer since 2025, so the steady profile and its cut-points apply.
        session.add_all(
            [
                Account(id="A", name="A Co"),
                Subscription(id="S", account_id="A", start_date=date(2025, 1, 1)),
            ]
        )
    return result


def _add(store: Store, *rows) -> None:  # noqa: ANN002 - table rows
    with store.session() as session:
        session.add_all(rows)


def _use(feature: str, days_before: int) -> UsageRecord:
    day = AS_OF - timedelta(days=days_before)
    return UsageRecord(
        id=f"{feature}-{day}", account_id="A", usage_date=day, feature=feature, usage_count=1
    )


def _component(store: Store, name: str):  # noqa: ANN202 - ScoredComponent
    report = health_for(store, "A", AS_OF)
    return next(c for c in report.components if c.name == name)


def test_breadth_half_of_features_scores_40(store: Store):
    _add(store, *(_use(f, 100) for f in "ABCD"), _use("A", 3), _use("B", 10))

    breadth = _component(store, "feature_breadth")

    assert breadth.facts["ratio"] == 0.5
    assert breadth.facts["recent_features"] == 2
    assert breadth.facts["history_features"] == 4
    assert breadth.facts["dropped"] == ["C", "D"]
    assert breadth.score == 40
    assert "2 of the 4 features used in the last 180 days" in breadth.detail
    assert "not used lately: C, D" in breadth.detail


def test_breadth_interpolates_between_cut_points(store: Store):
    # 5 of 8 is 0.625, halfway from 0.5 (40) to 0.75 (75): 57.5.
    _add(store, *(_use(f, 120) for f in "ABCDEFGH"), *(_use(f, 1) for f in "ABCDE"))

    assert _component(store, "feature_breadth").score == 57.5


def test_breadth_all_features_still_used_scores_100(store: Store):
    _add(store, *(_use(f, 150) for f in "ABC"), *(_use(f, 5) for f in "ABC"))

    breadth = _component(store, "feature_breadth")

    assert breadth.score == 100
    assert breadth.facts["dropped"] == []


def test_breadth_nothing_used_lately_scores_0(store: Store):
    _add(store, *(_use(f, 90) for f in "ABC"))

    breadth = _component(store, "feature_breadth")

    assert breadth.facts["ratio"] == 0
    assert breadth.score == 0


def test_breadth_recent_window_is_last_30_days(store: Store):
    # Used 29 days before the scoring date counts as recent; 30 days before does not.
    _add(store, _use("A", 100), _use("A", 29), _use("B", 100), _use("B", 30))

    breadth = _component(store, "feature_breadth")

    assert breadth.facts["dropped"] == ["B"]
    assert breadth.facts["ratio"] == 0.5


def test_breadth_history_is_last_180_days(store: Store):
    # C was last used 180 days before the scoring date, outside the window (as_of - 180, as_of].
    _add(store, _use("A", 100), _use("A", 2), _use("B", 179), _use("C", 180))

    breadth = _component(store, "feature_breadth")

    assert breadth.facts["history_features"] == 2
    assert breadth.facts["dropped"] == ["B"]


def test_breadth_ignores_usage_after_scoring_date(store: Store):
    _add(store, _use("A", 100), _use("B", 100), _use("A", 1), _use("B", -3))

    assert _component(store, "feature_breadth").facts["dropped"] == ["B"]


@pytest.mark.parametrize(("first_use", "present"), [(59, False), (60, True)])
def test_breadth_needs_60_days_of_history(store: Store, first_use: int, present: bool):
    _add(store, _use("A", first_use), _use("A", 1))

    breadth = _component(store, "feature_breadth")

    assert (breadth.score is not None) is present
    if not present:
        assert "breadth needs 60 days of history" in breadth.detail


def test_breadth_missing_without_recent_usage(store: Store):
    _add(store, _use("A", 200))

    breadth = _component(store, "feature_breadth")

    assert breadth.score is None
    assert breadth.detail == "no usage in the last 180 days"


def _note(note_id: str, days_before: int, kind: str = "call", title: str | None = None) -> Note:
    return Note(
        id=note_id,
        account_id="A",
        note_date=AS_OF - timedelta(days=days_before),
        kind=kind,
        title=title,
        body="Spoke about the roadmap.",
    )


# Days since the last touch and the steady profile's score: cut-points at 14: 100,
# 30: 80, 60: 50, 90: 20, 120: 0, linear between them and flat beyond.
LAST_TOUCH_CASES = [(0, 100), (14, 100), (22, 90), (30, 80), (45, 65), (90, 20), (120, 0), (400, 0)]


@pytest.mark.parametrize(("days", "expected"), LAST_TOUCH_CASES)
def test_last_touch_curve(store: Store, days: int, expected: float):
    _add(store, _note("N1", days))

    touch = _component(store, "last_touch")

    assert touch.facts["days"] == days
    assert touch.score == expected


def test_last_touch_takes_newest_note(store: Store):
    _add(
        store,
        _note("N-old", 50, kind="meeting"),
        _note("N-new", 9, kind="email", title="Renewal terms"),
        _note("N-later", -2),
    )

    touch = _component(store, "last_touch")

    assert touch.facts == {"days": 9, "kind": "email", "date": "2026-06-21"}
    assert touch.sources == ["note N-new"]
    assert touch.detail == '9 days since the last email "Renewal terms" on 2026-06-21'


def test_last_touch_same_day_picks_first_id(store: Store):
    _add(store, _note("N-b", 4, kind="email"), _note("N-a", 4, kind="call"))

    assert _component(store, "last_touch").sources == ["note N-a"]


def test_last_touch_missing_without_notes(store: Store):
    touch = _component(store, "last_touch")

    assert touch.score is None
    assert touch.detail == "no call, meeting, email or transcript recorded"
    assert "Last touch" in health_for(store, "A", AS_OF).missing


def test_last_touch_skips_internal_notes(store: Store):
    _add(store, _note("N-call", 40), _note("N-internal", 2, kind="note", title="Churn risk"))

    touch = _component(store, "last_touch")

    assert touch.facts["days"] == 40
    assert touch.sources == ["note N-call"]


def test_last_touch_only_internal_notes_is_missing(store: Store):
    _add(store, _note("N-internal", 2, kind="note"))

    touch = _component(store, "last_touch")

    assert touch.score is None
    assert touch.detail.endswith("recorded (notes of kind note do not count)")


def test_last_touch_counts_note_without_kind(store: Store):
    _add(store, _note("N-call", 40), _note("N-plain", 6, kind=None))

    touch = _component(store, "last_touch")

    assert touch.facts == {"days": 6, "kind": None, "date": "2026-06-24"}
    assert touch.detail == "6 days since the last note of no stated kind on 2026-06-24"


def test_last_touch_kinds_come_from_model(store: Store):
    from pathlib import Path

    from agent.insights.health_model import validate_model
    from tests.health_models import built_in_document

    document = built_in_document()
    document["measures"]["last_touch"]["kinds"] = ["call", "note"]
    model = validate_model(document, Path("kinds.toml"))
    _add(store, _note("N-mail", 1, kind="email"), _note("N-internal", 3, kind="note"))

    report = health_for(store, "A", AS_OF, model)
    touch = next(c for c in report.components if c.name == "last_touch")

    assert touch.sources == ["note N-internal"]
    assert touch.facts["days"] == 3
