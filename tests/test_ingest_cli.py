"""Tests for `csm import` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_ingest_import import REPORT_KEYS, use_keyword_embedder
from typer.testing import CliRunner

from agent.cli import import_cmd
from agent.cli.main import app
from agent.config import Settings
from agent.ingest import KINDS

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

runner = CliRunner()


@pytest.fixture(autouse=True)
def _keyword_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keyword_embedder(monkeypatch)


def csm(*args: str):  # noqa: ANN201 - click's Result
    return runner.invoke(app, ["import", *args])


def load_accounts() -> None:
    result = csm(str(FIXTURES / "accounts.csv"), "--kind", "accounts")
    assert result.exit_code == 0, result.output


def test_import_accounts_summary(settings: Settings) -> None:
    result = csm(str(FIXTURES / "accounts.csv"), "--kind", "accounts")

    assert result.exit_code == 0
    assert "inserted 3, updated 0, unchanged 0, skipped 0" in result.stdout
    assert "encoding: utf-8" in result.stdout
    assert "Reading" in result.stderr


def test_import_json_report(settings: Settings) -> None:
    load_accounts()

    result = csm(str(FIXTURES / "tickets.csv"), "--kind", "tickets", "--json")

    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert list(document) == REPORT_KEYS
    assert document["inserted"] == 3
    assert document["kind"] == "tickets"
    assert document["dry_run"] is False
    assert document["indexed"]["sources_added"] == 2
    assert document["errors"] == []


def test_import_twice_all_unchanged(settings: Settings) -> None:
    load_accounts()

    result = csm(str(FIXTURES / "accounts.csv"), "--kind", "accounts", "--json")

    document = json.loads(result.stdout)
    assert (document["inserted"], document["updated"], document["unchanged"]) == (0, 0, 3)


def test_bad_rows_exit_zero_with_errors(settings: Settings) -> None:
    load_accounts()

    result = csm(str(FIXTURES / "bad_rows.csv"), "--kind", "tickets")

    assert result.exit_code == 0
    assert "skipped 3" in result.stdout
    assert "Errors (3 row(s) skipped):" in result.stdout
    assert "bad_rows.csv:3 submitted_at='2025-13-45'" in result.stdout
    assert "the other rows were loaded" in result.stdout


def test_bad_rows_json_errors(settings: Settings) -> None:
    load_accounts()

    result = csm(str(FIXTURES / "bad_rows.csv"), "--kind", "tickets", "--json")

    errors = json.loads(result.stdout)["errors"]
    assert errors[0] == {
        "file": str(FIXTURES / "bad_rows.csv"),
        "row": 3,
        "field": "submitted_at",
        "value": "2025-13-45",
        "message": "Not a valid date (month must be in 1..12).",
    }


def test_all_rows_bad_exit_one(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text("id,account_id,submitted_at\nX-1,nobody,2025-01-01\n", encoding="utf-8")

    result = csm(str(path), "--kind", "tickets", "--json")

    assert result.exit_code == 1
    assert json.loads(result.stdout)["skipped"] == 1
    assert "nothing was loaded" in result.stderr


def test_error_list_truncated(settings: Settings, tmp_path: Path) -> None:
    load_accounts()
    path = tmp_path / "many.csv"
    rows = "".join(f"M-{i},acme,not-a-date\n" for i in range(25))
    path.write_text("id,account_id,submitted_at\nOK-1,acme,2025-01-01\n" + rows)

    result = csm(str(path), "--kind", "tickets")

    assert result.exit_code == 0
    assert "and 5 more" in result.stdout
    assert result.stdout.count("not-a-date") == 20


def test_missing_file_exit_one(settings: Settings) -> None:
    result = csm(str(FIXTURES / "absent.csv"), "--kind", "accounts")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "absent.csv not found" in result.stderr
    assert result.stdout == ""


def test_folder_for_table_kind_exit_one(settings: Settings) -> None:
    result = csm(str(FIXTURES / "docs"), "--kind", "tickets")

    assert result.exit_code == 1
    assert "is a folder" in result.stderr


def test_missing_column_exit_one(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("Customer,Company Name\nk-1,Kappa\n", encoding="utf-8")

    result = csm(str(path), "--kind", "accounts", "--json")

    assert result.exit_code == 1
    assert "--map COLUMN=id" in result.stderr
    assert result.stdout == ""


def test_repeated_map_option(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("Customer,Company Name\nk-1,Kappa\n", encoding="utf-8")

    result = csm(
        str(path), "--kind", "accounts", "--map", "Customer=id", "--map", "Company Name=name"
    )

    assert result.exit_code == 0
    assert "inserted 1" in result.stdout


def test_map_unknown_field_exit_one(settings: Settings) -> None:
    result = csm(str(FIXTURES / "accounts.csv"), "--kind", "accounts", "--map", "id=ident")

    assert result.exit_code == 1
    assert "Valid fields: id, name" in result.stderr


def test_unknown_kind_exit_one(settings: Settings) -> None:
    result = csm(str(FIXTURES / "accounts.csv"), "--kind", "customers")

    assert result.exit_code == 1
    assert "Unknown kind 'customers'" in result.stderr


def test_dry_run_output(settings: Settings) -> None:
    result = csm(str(FIXTURES / "accounts.csv"), "--kind", "accounts", "--dry-run")
    after = csm(str(FIXTURES / "accounts.csv"), "--kind", "accounts", "--json")

    assert result.exit_code == 0
    assert "would be inserted 3" in result.stdout
    assert "nothing was written" in result.stdout
    assert json.loads(after.stdout)["inserted"] == 3


def test_unknown_account_flag_suggests(settings: Settings) -> None:
    load_accounts()

    result = csm(str(FIXTURES / "notes"), "--kind", "notes", "--account", "Glopex Systems")

    assert result.exit_code == 1
    assert "Did you mean 'Globex (globex)'" in result.stderr


def test_notes_folder_with_date(settings: Settings) -> None:
    load_accounts()

    result = csm(
        str(FIXTURES / "notes"), "--kind", "notes", "--account", "initech", "--date", "2025-05-01"
    )

    assert result.exit_code == 0
    assert "inserted 2" in result.stdout
    assert "from --date" in result.stdout


def test_invalid_date_option(settings: Settings) -> None:
    load_accounts()

    result = csm(str(FIXTURES / "notes"), "--kind", "notes", "--date", "May 1st")

    assert result.exit_code == 1
    assert "Invalid --date 'May 1st'" in result.stderr


def test_cli_kind_names_match_core() -> None:
    assert import_cmd.KIND_NAMES == KINDS
