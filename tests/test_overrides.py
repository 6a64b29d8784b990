"""CSM overrides of the health score: note required, expiry, shown in the explanation."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from agent.cli.main import app
from agent.errors import InputError
from agent.insights.health import health_for
from agent.insights.overrides import clear_override, set_override
from agent.store import Account, Store

runner = CliRunner()
DAY = date(2026, 6, 1)


@pytest.fixture
def store() -> Store:
    result = Store("sqlite://")
    with result.session() as session:
        session.add(Account(id="A1", name="Judged Co"))
    return result


def test_override_applies_until_expiry(store: Store):
    set_override(store, "A1", 40, "Budget freeze", days=30, author="Dana", today=DAY)

    during = health_for(store, "A1", DAY + timedelta(days=29))
    after = health_for(store, "A1", DAY + timedelta(days=30))
    before = health_for(store, "A1", DAY - timedelta(days=1))

    assert during.score == 40
    assert during.band == "red"
    assert during.override["note"] == "Budget freeze"
    assert during.override["expires_on"] == "2026-07-01"
    assert after.override is None
    assert before.override is None


def test_override_requires_note_and_range(store: Store):
    with pytest.raises(InputError, match="needs a note"):
        set_override(store, "A1", 40, "  ", today=DAY)
    with pytest.raises(InputError, match="out of range"):
        set_override(store, "A1", 140, "Too high", today=DAY)


def test_newer_override_replaces_and_clear_ends(store: Store):
    set_override(store, "A1", 40, "First", today=DAY)
    set_override(store, "A1", 70, "Second", today=DAY)

    assert health_for(store, "A1", DAY).override["note"] == "Second"
    assert clear_override(store, "A1") == 1
    assert health_for(store, "A1", DAY).override is None


def test_override_command_shows_in_health(demo_settings):
    set_result = runner.invoke(
        app, ["health", "override", "Northwind Studios", "--score", "45", "--note", "Freeze"]
    )
    shown = runner.invoke(app, ["health", "Northwind Studios", "--json"])
    missing_note = runner.invoke(app, ["health", "override", "Northwind Studios", "--score", "45"])

    assert set_result.exit_code == 0, set_result.output
    document = json.loads(shown.stdout)
    assert document["score"] == 45
    assert document["computed_score"] > 45
    assert document["override"]["note"] == "Freeze"
    assert missing_note.exit_code == 1
    assert "--note TEXT" in missing_note.stderr
