"""Search over the real Plausible documentation with the real embedding model."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from agent.cli.main import app

runner = CliRunner()


def test_cancel_question_finds_cancellation_page(settings, shared_data):
    docs = shared_data / "docs" / "plausible"
    imported = runner.invoke(app, ["import", str(docs), "--kind", "docs", "--json"])
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["inserted"] == 132

    result = runner.invoke(
        app,
        [
            "search",
            "what happens to my data if I cancel my subscription",
            "--kind",
            "docs",
            "-k",
            "3",
            "--json",
        ],
    )

    assert result.exit_code == 0, result.output
    top3 = [hit["source_id"] for hit in json.loads(result.stdout)["results"]]
    assert "docs:cancel-subscription" in top3
