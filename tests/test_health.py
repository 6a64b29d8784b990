"""Health scoring on hand-built accounts and on the sample business's stories."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from agent.insights.health import band_for, health_for, rank_book
from agent.store import Account, Contact, Store, Subscription, Ticket, UsageRecord

AS_OF = date(2026, 6, 30)


def _usage(account_id: str, start: date, days: int, count: int, users: int | None) -> list:
    return [
        UsageRecord(
            id=f"{account_id}-u{start + timedelta(days=offset)}",
            account_id=account_id,
            usage_date=start + timedelta(days=offset),
            feature="text_to_3d",
            usage_count=count,
            active_users=users,
        )
        for offset in range(days)
    ]


@pytest.fixture
def store() -> Store:
    return Store("sqlite://")


def _add(store: Store, *rows) -> None:  # noqa: ANN002 - table rows
    with store.session() as session:
        session.add_all(rows)


def test_band_cut_points():
    assert band_for(0) == "red"
    assert band_for(50) == "red"
    assert band_for(51) == "yellow"
    assert band_for(75) == "yellow"
    assert band_for(76) == "green"
    assert band_for(100) == "green"


def test_health_missing_inputs_are_dropped_not_zero(store: Store):
    _add(store, Account(id="A1", name="Quiet Co"))
    _add(store, *_usage("A1", AS_OF - timedelta(days=59), 60, count=10, users=None))

    report = health_for(store, "A1", AS_OF)

    present = [c for c in report.components if c.score is not None]
    assert [c.name for c in present] == ["usage_trend"]
    assert present[0].weight == pytest.approx(1.0)
    assert report.score == 70
    assert "Seat use" in report.missing
    assert "NPS and CSAT" in report.missing
    assert "Support load" in report.missing


def test_health_usage_halving_scores_zero_and_drives(store: Store):
    _add(store, Account(id="A2", name="Falling Co", seats=10, signup_date=date(2025, 1, 1)))
    _add(store, *_usage("A2", AS_OF - timedelta(days=89), 60, count=20, users=8))
    _add(store, *_usage("A2", AS_OF - timedelta(days=29), 30, count=10, users=2))

    report = health_for(store, "A2", AS_OF)
    usage = next(c for c in report.components if c.name == "usage_trend")

    assert usage.score == 0
    assert usage.facts["change"] == pytest.approx(-0.5)
    assert report.drivers[0].startswith("Usage trend")
    assert any(signal.name == "usage_drop" for signal in report.signals)


def test_health_escalation_and_champion_signals(store: Store):
    _add(store, Account(id="A3", name="Troubled Co", seats=5))
    _add(
        store,
        Contact(
            id="c1",
            account_id="A3",
            name="Ana Ruiz",
            role="champion",
            is_active=False,
            left_on=AS_OF - timedelta(days=20),
        ),
        Contact(id="c2", account_id="A3", name="Bo Lind", role="sponsor", is_active=True),
        Ticket(
            id="T-9",
            account_id="A3",
            submitted_at=datetime(2026, 6, 1),
            status="open",
            priority="urgent",
            escalated=True,
            subject="Exports fail",
        ),
        Subscription(
            id="S1",
            account_id="A3",
            start_date=date(2025, 7, 20),
            renewal_date=date(2026, 7, 20),
            seats=5,
            arr=12000.0,
        ),
    )

    report = health_for(store, "A3", AS_OF)
    names = {signal.name for signal in report.signals}

    assert {"champion_left", "open_escalation", "renewal_soon"} <= names
    support = next(c for c in report.components if c.name == "support")
    assert support.sources == ["ticket T-9"]
    assert report.renewal_date == date(2026, 7, 20)
    assert report.band == "red"


def _stories(settings) -> dict:  # noqa: ANN001 - Settings
    return json.loads((settings.home / "sample" / "stories.json").read_text())


def test_sample_stories_raise_their_signals(demo_settings, demo_store):
    stories = _stories(demo_settings)
    expected = {
        "usage_declining": "usage_drop",
        "champion_left": "champion_left",
        "open_escalation": "open_escalation",
        "free_power_user": "upgrade_candidate",
    }
    for story, signal in expected.items():
        accounts = [a for a, s in stories.items() if s["story"] == story]
        flagged = [
            a for a in accounts if signal in {s.name for s in health_for(demo_store, a).signals}
        ]
        assert len(flagged) == len(accounts), f"{story}: {signal} on {flagged} of {accounts}"


def test_sample_ranking_puts_troubled_accounts_first(demo_settings, demo_store):
    stories = _stories(demo_settings)
    ranked = [r.account_id for r in rank_book(demo_store) if not r.churned]
    position = {account_id: rank for rank, account_id in enumerate(ranked)}

    def mean_rank(story: str) -> float:
        ranks = [position[a] for a, s in stories.items() if s["story"] == story and a in position]
        return sum(ranks) / len(ranks)

    healthy = mean_rank("healthy_growing")
    for story in ("usage_declining", "open_escalation", "champion_left"):
        assert mean_rank(story) < healthy, story


def test_health_ignores_departure_after_as_of(store: Store):
    _add(store, Account(id="A4", name="Later Co"))
    _add(
        store,
        Contact(
            id="c4",
            account_id="A4",
            name="Kai Moe",
            role="champion",
            is_active=False,
            left_on=AS_OF + timedelta(days=10),
        ),
        Contact(id="c5", account_id="A4", name="Ida Berg", role="sponsor", is_active=True),
    )

    report = health_for(store, "A4", AS_OF)
    stakeholders = next(c for c in report.components if c.name == "stakeholders")

    assert stakeholders.score == 100
    assert "champion Kai Moe" in stakeholders.detail
    assert "champion_left" not in {signal.name for signal in report.signals}


def test_health_old_ticket_open_on_as_of_counts(store: Store):
    _add(store, Account(id="A5", name="Backlog Co"))
    _add(
        store,
        Ticket(
            id="T-old",
            account_id="A5",
            submitted_at=datetime(2025, 10, 1),
            closed_at=datetime(2026, 8, 1),
            status="closed",
            priority="normal",
            escalated=False,
            subject="Old export bug",
        ),
    )

    report = health_for(store, "A5", AS_OF)
    support = next(c for c in report.components if c.name == "support")

    assert support.facts["open"] == 1
    assert support.facts["stale"] == 1


def test_default_as_of_follows_usage_not_notes(store: Store):
    from agent.insights.book import default_as_of
    from agent.store import Note

    _add(store, Account(id="A6", name="Old Co"))
    _add(store, *_usage("A6", date(2024, 12, 1), 31, count=5, users=None))
    _add(store, Note(id="n1", account_id="A6", note_date=date.today(), body="Imported today."))

    with store.session() as session:
        assert default_as_of(session) == date(2024, 12, 31)
