"""QBR/EBR decks: sections, sources, charts, verification and the `csm draft ebr` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from agent.cli.main import app

runner = CliRunner()
ACCOUNT = "Northwind Studios"


def _run(*args: str):  # noqa: ANN202 - click Result
    return runner.invoke(app, ["draft", "ebr", ACCOUNT, *args])


def test_markdown_deck_sections_and_sources(demo_settings, demo_store):
    result = _run("--kind", "qbr", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["kind"] == "qbr"
    assert document["period"] == "2026Q4"
    assert document["format"] == "md"
    assert document["verification"]["ok"], document["verification"]["unsupported"]
    text = Path(document["path"]).read_text(encoding="utf-8")
    for heading in (
        "Executive summary",
        "Results",
        "Wins",
        "Open issues",
        "Goals for next quarter",
        "Next steps",
    ):
        assert re.search(rf"^## \d\. {heading}$", text, re.M), heading
    assert re.search(r"Sources: .*ticket [A-Z][A-Z0-9]*-\w+", text)
    assert "Owners:" in text
    assert len(document["charts"]) == 2
    for chart in document["charts"]:
        assert Path(chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({chart.rsplit('/', 1)[-1]})" in text


def test_pptx_deck_slides_and_notes(demo_settings, demo_store):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    result = _run("--format", "pptx", "--period", "2026Q4", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["path"].endswith("-ebr-2026Q4.pptx")
    deck = Presentation(document["path"])
    slides = list(deck.slides)
    assert len(slides) >= 7
    assert any(
        shape.shape_type == MSO_SHAPE_TYPE.PICTURE for slide in slides for shape in slide.shapes
    )
    for slide in slides:
        assert slide.has_notes_slide
        assert slide.notes_slide.notes_text_frame.text.strip().startswith("Sources:")


def test_invalid_period_exits_1(demo_settings, demo_store):
    result = _run("--period", "Q9-2026")
    assert result.exit_code == 1
    assert "Invalid period 'Q9-2026'" in result.stderr
    assert "2026Q4" in result.stderr
    later = _run("--period", "2027Q2")
    assert later.exit_code == 1
    assert "starts after the book's data ends" in later.stderr


def test_past_quarter_deck_not_to_date(demo_settings, demo_store):
    result = _run("--kind", "qbr", "--period", "2026Q3", "--json")

    assert result.exit_code == 0, result.output
    text = Path(json.loads(result.stdout)["path"]).read_text(encoding="utf-8")
    assert "in the 92 days of Q3 2026 (" in text
    assert "to date" not in text


def test_question_subject_gets_no_full_stop(demo_settings, demo_store):
    result = runner.invoke(app, ["draft", "ebr", "Brightforge Games", "--json"])

    assert result.exit_code == 0, result.output
    text = Path(json.loads(result.stdout)["path"]).read_text(encoding="utf-8")
    assert "Any update on MW-1207?" in text
    assert "?." not in text
