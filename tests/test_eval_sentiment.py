"""`csm eval sentiment`: VADER against labelled sentences."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from agent.cli.main import app
from agent.evaluation.sentiment import evaluate_vader, load_labelled

runner = CliRunner()


def test_evaluate_vader_counts(tmp_path):
    labelled = tmp_path / "labelled.tsv"
    labelled.write_text(
        "sentence\tlabel\n"
        "Great phone, works perfectly.\t1\n"
        "Terrible battery, it broke in a week.\t0\n"
        "The box is blue.\t1\n",
        encoding="utf-8",
    )

    result = evaluate_vader(load_labelled(labelled))

    assert result.sentences == 3
    assert result.neutral == 1
    assert abs(result.accuracy - 2 / 3) < 1e-9
    assert result.classes["positive"].recall == 0.5
    assert result.classes["positive"].precision == 1.0
    assert result.classes["negative"].recall == 1.0


def test_eval_sentiment_rejects_bad_label(tmp_path):
    labelled = tmp_path / "bad.tsv"
    labelled.write_text("sentence\tlabel\nFine.\tyes\n", encoding="utf-8")

    result = runner.invoke(app, ["eval", "sentiment", "--file", str(labelled)])

    assert result.exit_code == 1
    assert "bad.tsv:2: label 'yes' is not 0 or 1" in result.stderr


def test_eval_sentiment_on_uci_sentences(shared_data):
    path = shared_data / "sentiment" / "uci_amazon_cells_labelled.tsv"

    result = runner.invoke(app, ["eval", "sentiment", "--file", str(path), "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["sentences"] == 1000
    assert document["accuracy"] > 0.6
