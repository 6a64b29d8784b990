"""`csm index status`: counts by kind and drift between the store and the index."""

from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from agent.cli.main import app
from agent.store import Note, Ticket

runner = CliRunner()


def _status() -> dict:
    result = runner.invoke(app, ["index", "status", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_status_in_step_after_demo(demo_settings):
    document = _status()

    assert document["drift"] == {"missing": [], "stale": [], "orphaned": []}
    assert document["kinds"]["docs"]["indexed_sources"] >= 22
    for row in document["kinds"].values():
        assert row["indexed_sources"] == row["store_sources"]


def test_status_reports_each_kind_of_drift(demo_settings, demo_store):
    with demo_store.session() as session:
        notes = session.scalars(select(Note).order_by(Note.id).limit(2)).all()
        removed, edited = notes[0].id, notes[1].id
        session.delete(notes[0])
        notes[1].body = notes[1].body + " The champion asked about USDZ again."
        session.add(
            Ticket(
                id="MW-9990",
                account_id=notes[1].account_id,
                submitted_at=notes[1].note_date,
                status="open",
                subject="New",
                body="Exports fail since Monday.",
            )
        )

    drift = _status()["drift"]

    assert drift["orphaned"] == [f"notes:{removed}"]
    assert drift["stale"] == [f"notes:{edited}"]
    assert drift["missing"] == ["tickets:MW-9990"]
