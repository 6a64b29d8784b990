"""Profile selection by lifecycle stage and tier, and weights spread over present inputs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from typer.testing import CliRunner

from agent.cli.main import app
from agent.insights.health import health_for
from agent.store import Account, Note, Store, Subscription, Ticket, UsageRecord, open_store
from tests.health_models import SEVEN_MEASURES, built_in_document

AS_OF = date(2026, 6, 30)
runner = CliRunner()


@pytest.fixture
def store() -> Store:
    return Store("sqlite://")


def _add(store: Store, *rows) -> None:  # noqa: ANN002 - table rows
    with store.session() as session:
        session.add_all(rows)


def _subscription(account_id: str, start: date, tier: str | None = "Studio") -> Subscription:
    return Subscription(
        id=f"S-{account_id}-{start}", account_id=account_id, start_date=start, plan_tier=tier
    )


def _profile(store: Store, account_id: str) -> tuple[str, str]:
    report = health_for(store, account_id, AS_OF)
    return report.profile.name, report.profile.stage


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [(0, "onboarding"), (89, "onboarding"), (90, "steady"), (400, "steady")],
)
def test_stage_from_first_subscription(store: Store, days_before: int, expected: str):
    _add(store, Account(id="A", name="A Co"))
    _add(store, _subscription("A", AS_OF - timedelta(days=days_before)))

    name, stage = _profile(store, "A")

    assert stage == expected
    assert name == expected


def test_stage_uses_earliest_subscription(store: Store):
    _add(store, Account(id="A", name="A Co"))
    _add(
        store,
        _subscription("A", AS_OF - timedelta(days=10), tier="Enterprise"),
        _subscription("A", AS_OF - timedelta(days=300)),
    )

    report = health_for(store, "A", AS_OF)

    assert report.profile.stage == "steady"
    assert report.profile.name == "enterprise"
    assert "300 days after the first subscription start" in report.profile.reason


def test_stage_falls_back_to_signup(store: Store):
    _add(store, Account(id="A", name="A Co", signup_date=AS_OF - timedelta(days=30)))

    report = health_for(store, "A", AS_OF)

    assert report.profile.stage == "onboarding"
    assert "30 days after the sign-up date" in report.profile.reason


def test_stage_falls_back_to_first_use(store: Store):
    _add(store, Account(id="A", name="A Co"))
    _add(
        store,
        UsageRecord(
            id="u1",
            account_id="A",
            usage_date=AS_OF - timedelta(days=120),
            feature="export_glb",
            usage_count=3,
        ),
    )

    report = health_for(store, "A", AS_OF)

    assert report.profile.stage == "steady"
    assert "120 days after the first use" in report.profile.reason


def test_stage_without_dates_is_steady(store: Store):
    _add(store, Account(id="A", name="A Co"))

    report = health_for(store, "A", AS_OF)

    assert report.profile.stage == "steady"
    assert "no subscription start, sign-up or usage date" in report.profile.reason


def test_stage_before_first_start_is_onboarding(store: Store):
    _add(store, Account(id="A", name="A Co"))
    _add(store, _subscription("A", AS_OF + timedelta(days=5)))

    report = health_for(store, "A", AS_OF)

    assert report.profile.stage == "onboarding"
    assert "5 days ahead" in report.profile.reason


@pytest.mark.parametrize(
    ("tier", "expected"),
    [
        ("Free", "free"),
        ("free", "free"),
        ("Enterprise", "enterprise"),
        ("Studio", "steady"),
        (None, "steady"),
    ],
)
def test_profile_by_tier_in_steady_state(store: Store, tier: str | None, expected: str):
    _add(store, Account(id="A", name="A Co"))
    _add(store, _subscription("A", date(2025, 1, 1), tier=tier))

    assert _profile(store, "A") == (expected, "steady")


def test_account_tier_used_without_subscription_tier(store: Store):
    _add(store, Account(id="A", name="A Co", plan_tier="Enterprise"))
    _add(store, _subscription("A", date(2025, 1, 1), tier=None))

    report = health_for(store, "A", AS_OF)

    assert report.profile.name == "enterprise"
    assert report.profile.tier == "Enterprise"


def test_onboarding_wins_over_tier(store: Store):
    _add(store, Account(id="A", name="A Co"))
    _add(store, _subscription("A", AS_OF - timedelta(days=20), tier="Free"))

    assert _profile(store, "A") == ("onboarding", "onboarding")


def test_custom_model_profile_by_tier_any_stage(store: Store):
    document = built_in_document()
    weights = dict(SEVEN_MEASURES)
    document["profiles"] = {
        "pro": {"stage": "any", "tiers": ["Pro"], "weights": weights},
        **document["profiles"],
    }
    from pathlib import Path

    from agent.insights.health_model import validate_model

    model = validate_model(document, Path("pro.toml"))
    _add(store, Account(id="A", name="A Co"))
    _add(store, _subscription("A", AS_OF - timedelta(days=20), tier="PRO"))

    report = health_for(store, "A", AS_OF, model)

    assert report.profile.name == "pro"
    assert report.profile.stage == "onboarding"
    assert report.profile.model_source == "pro.toml"


def _open_tickets(account_id: str, count: int) -> list[Ticket]:
    return [
        Ticket(
            id=f"T-{account_id}-{n}",
            account_id=account_id,
            submitted_at=datetime(2026, 6, 25),
            status="open",
            priority="normal",
            escalated=False,
        )
        for n in range(count)
    ]


def _touch(account_id: str, days_before: int) -> Note:
    return Note(
        id=f"N-{account_id}-{days_before}",
        account_id=account_id,
        note_date=AS_OF - timedelta(days=days_before),
        kind="call",
        body="Check-in call.",
    )


def test_weights_spread_over_present_inputs(store: Store):
    # Support: 100 - 8 * 5 = 60. Last touch: 40 days, a third of the way from 80 at 30 days
    # to 50 at 60: 70. The note's neutral text (VADER compound 0) gives sentiment 50.
    _add(store, Account(id="A", name="A Co"))
    _add(store, _subscription("A", date(2025, 1, 1)), *_open_tickets("A", 5), _touch("A", 40))

    report = health_for(store, "A", AS_OF)
    by_name = {c.name: c for c in report.components}

    # The steady profile weighs support 0.15, sentiment 0.10 and last touch 0.05, so over
    # the three present inputs they weigh 1/2, 1/3 and 1/6: 30 + 16.7 + 11.7 = 58.3.
    assert by_name["support"].score == 60
    assert by_name["sentiment"].score == 50
    assert by_name["last_touch"].score == 70
    assert by_name["support"].weight == pytest.approx(1 / 2)
    assert by_name["sentiment"].weight == pytest.approx(1 / 3)
    assert by_name["last_touch"].weight == pytest.approx(1 / 6)
    assert report.score == 58
    assert by_name["usage_trend"].weight is None
    assert "Usage trend" in report.missing
    assert "Feature breadth" in report.missing
    assert "Support load" not in report.missing


def test_zero_weight_input_is_not_missing(store: Store):
    # The free profile gives renewal and last touch no weight.
    _add(store, Account(id="A", name="A Co"))
    _add(store, _subscription("A", date(2025, 1, 1), tier="Free"), *_open_tickets("A", 5))

    report = health_for(store, "A", AS_OF)
    by_name = {c.name: c for c in report.components}

    assert report.profile.name == "free"
    assert "Last touch" not in report.missing
    assert "Renewal proximity" not in report.missing
    assert by_name["support"].weight == pytest.approx(1.0)
    assert report.score == 60


def test_zero_weight_input_present_adds_nothing(store: Store):
    _add(store, Account(id="A", name="A Co"))
    _add(
        store,
        _subscription("A", date(2025, 1, 1), tier="Free"),
        *_open_tickets("A", 5),
        _touch("A", 2),
    )

    report = health_for(store, "A", AS_OF)
    touch = next(c for c in report.components if c.name == "last_touch")

    assert touch.score == 100
    assert touch.weight == 0
    assert touch.contribution == 0
    # Support 60 and the note's neutral sentiment 50, weighed 0.10 each in the free profile.
    assert report.score == 55
    assert not any(driver.startswith("Last touch") for driver in report.drivers)


def test_every_input_missing_has_no_score(store: Store):
    _add(store, Account(id="A", name="A Co"))

    report = health_for(store, "A", AS_OF)

    assert report.score is None
    assert report.band == "unknown"
    assert len(report.missing) == 9


def test_profile_cut_points_replace_measure_ones(store: Store):
    # Onboarding reads last touch with its own cut-points: 20 days lies between 14 (75)
    # and 30 (40), so 75 - 35 * 6 / 16 = 61.875. Steady state would give 100 at 14 and
    # 80 at 30: 92.5.
    _add(store, Account(id="A", name="A Co"))
    _add(store, _subscription("A", AS_OF - timedelta(days=40)), _touch("A", 20))
    _add(store, Account(id="B", name="B Co"))
    _add(store, _subscription("B", date(2025, 1, 1)), _touch("B", 20))

    onboarding = health_for(store, "A", AS_OF)
    steady = health_for(store, "B", AS_OF)

    assert onboarding.profile.name == "onboarding"
    assert next(c for c in onboarding.components if c.name == "last_touch").score == 61.9
    assert next(c for c in steady.components if c.name == "last_touch").score == 92.5


def test_report_names_profile_in_text_and_json(settings):
    store = open_store(settings)
    _add(store, Account(id="A", name="Profile Co", plan_tier="Enterprise"))
    _add(store, _subscription("A", date(2025, 1, 1), tier=None), *_open_tickets("A", 1))
    store.close()

    text = runner.invoke(app, ["health", "Profile Co", "--as-of", AS_OF.isoformat()])
    document = runner.invoke(app, ["health", "Profile Co", "--as-of", "2026-06-30", "--json"])

    assert text.exit_code == 0, text.output
    assert "Profile: enterprise (steady state, tier Enterprise): 545 days after" in text.stdout
    assert "Health model version 1, built-in." in text.stdout
    assert document.exit_code == 0, document.output
    assert '"name": "enterprise"' in document.stdout
    assert '"model_version": 1' in document.stdout


def test_explain_lists_profile_rules(settings):
    store = open_store(settings)
    _add(store, Account(id="A", name="Profile Co"))
    _add(store, _subscription("A", AS_OF - timedelta(days=10)), _touch("A", 3))
    store.close()

    result = runner.invoke(app, ["health", "Profile Co", "--as-of", "2026-06-30", "--explain"])

    assert result.exit_code == 0, result.output
    assert "Profile onboarding: The first 90 days" in result.stdout
    assert (
        "  - Last touch, 15%: days since the last touch to score, linear between" in result.stdout
    )
    assert "7 days: 100, 14 days: 75, 30 days: 40, 45 days: 0" in result.stdout
    assert "  - Support load, 15%: 100 minus 8 per open ticket" in result.stdout
