"""Search on awkward input, end to end through `csm import` and `csm search`.

Each case gives results or a clear message, never a traceback: an empty index, an account
with no notes, more results asked for than exist, a very long document, a file that is not
UTF-8, markup-heavy pages (MDX, HTML), transcripts with disfluency marks, and queries made
of punctuation or markup.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli.main import app
from agent.config import Settings

runner = CliRunner()


def csm(*args: str):  # noqa: ANN201 - click's Result
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"csm {' '.join(args)} raised {result.exception!r}") from (
            result.exception
        )
    assert "Traceback" not in result.output
    return result


def search(*args: str) -> list[dict]:
    result = csm("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["results"]


def import_notes(home: Path, files: dict[str, str]) -> None:
    """Write note files into a folder and import them for account A-1."""
    notes = home / "notes"
    notes.mkdir()
    for name, text in files.items():
        (notes / name).write_text(text, encoding="utf-8")
    result = csm("import", str(notes), "--kind", "notes", "--account", "A-1")
    assert result.exit_code == 0, result.output


@pytest.fixture
def home(settings: Settings, tmp_path: Path) -> Path:
    """An initialised home with two accounts; returns a folder for input files."""
    assert csm("init").exit_code == 0
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("id,name\nA-1,Acme Robotics\nA-2,Globex Freight\n", encoding="utf-8")
    assert csm("import", str(accounts), "--kind", "accounts").exit_code == 0
    files = tmp_path / "files"
    files.mkdir()
    return files


def test_empty_index_says_how_to_fill_it(home: Path):
    result = csm("search", "renewal risk")

    assert result.exit_code == 0
    assert "The index is empty" in result.stdout
    assert "csm import" in result.stdout


def test_account_without_notes_gets_only_shared_docs(home: Path):
    docs = home / "docs"
    docs.mkdir()
    (docs / "renewals.md").write_text("# Renewals\n\nRenewal quotes go out 90 days ahead.\n")
    assert csm("import", str(docs), "--kind", "docs").exit_code == 0
    import_notes(home, {"2026-03-01-acme.md": "Acme worries about the renewal quote.\n"})

    results = search("renewal quote", "--account", "Globex Freight")

    assert [row["source_id"] for row in results] == ["docs:renewals"]


def test_k_beyond_the_number_of_passages(home: Path):
    import_notes(home, {"2026-03-01-call.md": "Call about SSO.\n"})

    results = search("SSO", "-k", "100")

    assert len(results) == 1


def test_very_long_document_is_found_deep_inside(home: Path):
    docs = home / "docs"
    docs.mkdir()
    filler = "".join(f"Paragraph {n} describes routine settings.\n\n" for n in range(6000))
    page = "# Handbook\n\n" + filler + "The fallback region is Frankfurt.\n\n" + filler
    (docs / "handbook.md").write_text(page, encoding="utf-8")
    assert csm("import", str(docs), "--kind", "docs").exit_code == 0

    hit = search("fallback region Frankfurt")[0]

    assert hit["source_id"] == "docs:handbook"
    assert "Frankfurt" in hit["text"]
    assert hit["start"] > 100_000


def test_latin1_note_is_read_and_found(home: Path):
    notes = home / "notes"
    notes.mkdir()
    text = "Réunion avec Acme: la facturation du trimestre est bloquée.\n"
    (notes / "2026-03-02-acme.txt").write_bytes(text.encode("latin-1"))

    result = csm("import", str(notes), "--kind", "notes", "--account", "A-1")

    assert result.exit_code == 0, result.output
    hit = search("facturation bloquée", "--account", "A-1")[0]
    assert "facturation du trimestre est bloquée" in hit["text"]


def test_markup_heavy_pages_are_searched_as_text(home: Path):
    docs = home / "docs"
    docs.mkdir()
    (docs / "sso.mdx").write_text(
        "---\ntitle: Single sign-on\n---\n"
        "import { Callout } from '@site/components';\n\n"
        "<Callout type=\"warning\" style={{minWidth: '200px'}}>\n"
        "  SAML metadata must be uploaded by an <b>owner</b>.\n</Callout>\n",
        encoding="utf-8",
    )
    (docs / "exports.html").write_text(
        "<!DOCTYPE html><html><head><title>Bulk exports</title>"
        "<script>var token = 'secret';</script></head><body>"
        "<h1>Bulk exports</h1><p>Exports of more than 5&nbsp;GB are split into parts.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    assert csm("import", str(docs), "--kind", "docs").exit_code == 0

    sso = search("who uploads SAML metadata")[0]
    export = search("large exports split")[0]

    assert sso["title"] == "Single sign-on"
    assert "<Callout" not in sso["text"]
    assert "import {" not in sso["text"]
    assert "SAML metadata must be uploaded by an owner" in sso["text"]
    assert export["title"] == "Bulk exports"
    assert "secret" not in export["text"]
    assert "<p>" not in export["text"]


def test_transcript_disfluency_marks_are_not_searched(home: Path):
    transcript = (
        "Project Manager: So {disfmarker} the budget is {vocalsound} twelve euros.\n"
        "Marketing: Yeah, the {gap} remote must be under budget.\n"
        "Industrial Designer: {vocalsound} Okay.\n"
    )
    import_notes(home, {"2026-03-03-call.txt": transcript})

    hit = search("budget twelve euros")[0]
    marks = search("disfmarker", "--mode", "keyword")

    assert "{disfmarker}" not in hit["text"]
    assert marks == []


@pytest.mark.parametrize("query", ["{disfmarker}", "<div>", '"', "***", "NOT AND OR", "∑∂"])
def test_punctuation_and_markup_queries(home: Path, query: str):
    import_notes(home, {"2026-03-04-call.md": "Call about the renewal.\n"})

    result = csm("search", query)

    assert result.exit_code == 0, result.output


def test_misspelt_account_names_the_match(home: Path):
    import_notes(home, {"2026-03-05-call.md": "Call about the renewal.\n"})

    result = csm("search", "renewal", "--account", "Acme Robotcs", "--json")

    assert result.exit_code == 0, result.output
    assert "Searching Acme Robotics (A-1), the closest match" in result.stderr
    assert json.loads(result.stdout)["account"] == "A-1"
