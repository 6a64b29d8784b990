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


def test_sync_through_the_cli(index_backend, settings, tmp_path):
    """Edit, re-import, delete and rebuild keep the index in step, on either Chroma."""
    from agent.store import open_store

    assert runner.invoke(app, ["init"]).exit_code == 0
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("id,name\nA-1,Acme Robotics\n", encoding="utf-8")
    notes = tmp_path / "notes.csv"
    notes.write_text(
        "id,account_id,note_date,title,body\n"
        "N-1,A-1,2026-03-01,Kickoff,Acme wants SSO before rollout.\n"
        "N-2,A-1,2026-03-08,Check-in,Exports to USDZ are slow.\n",
        encoding="utf-8",
    )
    for path, kind in ((accounts, "accounts"), (notes, "notes")):
        assert runner.invoke(app, ["import", str(path), "--kind", kind]).exit_code == 0
    notes.write_text(
        notes.read_text(encoding="utf-8").replace("are slow", "now take a minute"),
        encoding="utf-8",
    )
    assert runner.invoke(app, ["import", str(notes), "--kind", "notes"]).exit_code == 0

    search = runner.invoke(app, ["search", "USDZ", "--json", "--mode", "keyword"])
    texts = [hit["text"] for hit in json.loads(search.stdout)["results"]]
    assert texts == ["Exports to USDZ now take a minute."]
    assert _status()["drift"] == {"missing": [], "stale": [], "orphaned": []}

    store = open_store(settings)
    with store.session() as session:
        session.delete(session.get(Note, "N-1"))
    store.close()
    assert _status()["drift"]["orphaned"] == ["notes:N-1"]

    rebuilt = runner.invoke(app, ["index", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    document = _status()
    assert document["drift"] == {"missing": [], "stale": [], "orphaned": []}
    assert document["kinds"]["notes"]["passages"] == 1
