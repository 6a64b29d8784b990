"""Bad input through the command line: one `Error:` line or a row error, never a traceback.

Every test runs the real CLI through CliRunner on a real SQLite store and checks the exit
code, the message (which names the file, row, field or value and the fix) and, for imports,
that rows already stored are kept.
"""

from __future__ import annotations

import gzip
import json
import shutil
import socket
import sqlite3
import time
from pathlib import Path

import pytest
from test_ingest_import import use_keyword_embedder
from typer.testing import CliRunner

from agent.cli import main
from agent.cli.main import app
from agent.config import Settings
from agent.ingest.values import MAX_INT, parse_datetime, parse_float, parse_int
from tests.local_server import LocalServer

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
ACCOUNTS_HEADER = "id,name,seats\n"

runner = CliRunner()


@pytest.fixture(autouse=True)
def _keyword_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keyword_embedder(monkeypatch)


def csm(*args: str, input: str | None = None):  # noqa: ANN201, A002 - click's Result
    """Run csm and fail the test on any exception other than the CLI's own exit."""
    result = runner.invoke(app, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"csm {' '.join(args)} raised {result.exception!r}") from (
            result.exception
        )
    return result


def error_line(result) -> str:  # noqa: ANN001 - click's Result
    """Return the single `Error:` line of stderr, failing when there is not exactly one."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def home(settings: Settings) -> Settings:
    """An initialised, empty home with three accounts imported."""
    assert csm("init").exit_code == 0
    result = csm("import", str(FIXTURES / "accounts.csv"), "--kind", "accounts")
    assert result.exit_code == 0, result.output
    return settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def stored(settings: Settings, sql: str) -> list[tuple]:
    with sqlite3.connect(settings.db_path) as connection:
        return connection.execute(sql).fetchall()


def account_ids(settings: Settings) -> set[str]:
    return {row[0] for row in stored(settings, "SELECT id FROM accounts")}


def import_json(path: Path, kind: str, *options: str) -> dict:
    result = csm("import", str(path), "--kind", kind, "--json", *options)
    assert "Traceback" not in result.output
    return json.loads(result.stdout)


# --- whole files that cannot be imported --------------------------------------------------


def test_import_missing_path(home: Settings, tmp_path: Path) -> None:
    result = csm("import", str(tmp_path / "nope.csv"), "--kind", "accounts")

    assert result.exit_code == 1
    assert "nope.csv not found" in error_line(result)


def test_import_folder_for_table_kind(home: Settings, tmp_path: Path) -> None:
    result = csm("import", str(tmp_path), "--kind", "accounts")

    assert result.exit_code == 1
    assert "is a folder" in error_line(result)


def test_import_empty_file(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "empty.csv", "")

    result = csm("import", str(path), "--kind", "accounts")

    assert result.exit_code == 1
    assert "the file is empty" in error_line(result)


def test_import_blank_lines_only(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "blank.csv", "\n\n  \n")

    result = csm("import", str(path), "--kind", "accounts")

    assert result.exit_code == 1
    assert "only blank lines" in error_line(result)


def test_import_header_only_warns(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "header.csv", ACCOUNTS_HEADER)

    result = csm("import", str(path), "--kind", "accounts")

    assert result.exit_code == 0, result.output
    assert "has no rows to import" in result.stdout


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (PNG_BYTES, "a PNG image"),
        (gzip.compress(b"id,name\n1,a\n"), "a gzip archive"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel .xlsx workbook"),
        (b"id,name\n1,\x00\x01\x02\n", "a binary file"),
    ],
    ids=["png", "gzip", "xlsx", "nul-bytes"],
)
def test_import_binary_file_renamed_csv(
    home: Settings, tmp_path: Path, content: bytes, named: str
) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(content)

    result = csm("import", str(path), "--kind", "accounts")

    line = error_line(result)
    assert result.exit_code == 1
    assert "not a text file" in line
    assert named in line
    assert str(path) in line


def test_import_utf16_with_bom_is_text(home: Settings, tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes((ACCOUNTS_HEADER + "w1,Wide Co,4\n").encode("utf-16"))

    report = import_json(path, "accounts")

    assert report["inserted"] == 1
    assert report["encoding"] == "utf-16"


def test_import_duplicated_header_column(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "dup.csv", "id,name,name\nx1,A,B\n")

    result = csm("import", str(path), "--kind", "accounts")

    assert result.exit_code == 1
    assert "repeats the column 'name'" in error_line(result)


def test_import_header_with_bom_spaces_and_case(home: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeff  ID , NAME ,  Seats \nb1,Bom Co,7\n".encode())

    report = import_json(path, "accounts")

    assert report["inserted"] == 1
    assert report["errors"] == []
    assert stored(home, "SELECT name, seats FROM accounts WHERE id = 'b1'") == [("Bom Co", 7)]


def test_import_json_object_not_array(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "one.json", '{"id": "j1", "name": "Solo"}')

    result = csm("import", str(path), "--kind", "accounts")

    line = error_line(result)
    assert result.exit_code == 1
    assert "the top level is an object (keys: 'id', 'name')" in line
    assert "Expected a JSON array of objects" in line


def test_import_json_scalar(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "five.json", "5")

    result = csm("import", str(path), "--kind", "accounts")

    assert result.exit_code == 1
    assert "a single value (5)" in error_line(result)


def test_import_empty_json_array_warns(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "none.json", "[]")

    report = import_json(path, "accounts")

    assert report["inserted"] == 0
    assert any("has no rows to import" in warning for warning in report["warnings"])


def test_import_json_array_of_arrays(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "arrays.json", "[[1, 2], [3, 4]]")

    result = csm("import", str(path), "--kind", "accounts")

    assert result.exit_code == 1
    assert "arrays.json:1 '[1, 2]': Expected a JSON object" in result.stdout
    assert "nothing was loaded" in error_line(result)


def test_import_kind_wrong(home: Settings) -> None:
    result = csm("import", str(FIXTURES / "accounts.csv"), "--kind", "wrong")

    line = error_line(result)
    assert result.exit_code == 1
    assert "Unknown kind 'wrong'" in line
    assert "accounts, contacts" in line


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("foo", "Invalid --map 'foo': write it as SOURCE_COLUMN=FIELD"),
        ("=x", "Invalid --map '=x'"),
        ("name=nonexistent_field", "'nonexistent_field' is not a field of accounts"),
        ("nocolumn=name", "the file has no column 'nocolumn'"),
    ],
)
def test_import_map_invalid(home: Settings, option: str, expected: str) -> None:
    result = csm("import", str(FIXTURES / "accounts.csv"), "--kind", "accounts", "--map", option)

    assert result.exit_code == 1
    assert expected in error_line(result)


# --- row errors: the good rows are kept ---------------------------------------------------


def test_import_ragged_rows(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "ragged.csv", ACCOUNTS_HEADER + "r1,One,3\nr2,Two,4,x,y\nr3,Three\n")

    report = import_json(path, "accounts")

    assert report["inserted"] == 2
    assert report["skipped"] == 1
    error = report["errors"][0]
    assert error["row"] == 3
    assert error["value"] == "x | y"
    assert "5 cells but the header has 3 columns" in error["message"]
    assert any("fewer cells than the header (line(s) 4)" in w for w in report["warnings"])
    assert {"r1", "r3"} <= account_ids(home)


def test_import_unclosed_quote_is_row_error(home: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "quote.csv",
        ACCOUNTS_HEADER + 'q1,First,1\nq2,"Second,2\nq3,Third,3\n',
    )

    report = import_json(path, "accounts")

    assert report["inserted"] == 1
    assert report["errors"][0]["row"] == 3
    assert "never closes, so lines 3-4 were read as one row" in report["errors"][0]["message"]
    assert "q1" in account_ids(home)


def test_import_huge_field_rejected(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "huge.csv", "id,name,industry\nh1,Huge," + "a" * 10_000_000 + "\n")

    result = csm("import", str(path), "--kind", "accounts")

    assert result.exit_code == 1
    assert "huge.csv:2 industry='aaa" in result.stdout
    assert "10,000,000 characters long, over the limit of 100" in result.stdout
    assert "h1" not in account_ids(home)


def test_import_huge_note_body_rejected(home: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "notes.csv",
        "id,account_id,note_date,body\nn1,acme,2024-01-02," + "word " * 200_001 + "\nn2,acme,"
        "2024-01-03,short note\n",
    )

    report = import_json(path, "notes")

    assert report["inserted"] == 1
    assert report["errors"][0]["field"] == "body"
    assert "over the limit of 1,000,000" in report["errors"][0]["message"]


def test_import_unknown_account_row(home: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "tickets.csv",
        "id,account_id,submitted_at,subject\nt1,nobody,2024-01-01,Hi\nt2,acme,2024-01-01,Ok\n",
    )

    report = import_json(path, "tickets")

    assert report["inserted"] == 1
    error = report["errors"][0]
    assert (error["row"], error["field"], error["value"]) == (2, "account_id", "nobody")
    assert "Import accounts first" in error["message"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", "Not a valid date (day is out of range for month)"),
        ("31/12/2024", "Not a date. Use YYYY-MM-DD"),
        ("yesterday", "Not a date. Use YYYY-MM-DD"),
        ("2024-03-01T10:00+25:00", "Invalid time zone offset '+25:00'"),
        ("0001-01-01T00:00+01:00", "out of range once converted to UTC"),
    ],
)
def test_import_bad_date_row(home: Settings, tmp_path: Path, value: str, message: str) -> None:
    path = write(
        tmp_path / "tickets.csv",
        f"id,account_id,submitted_at\nt1,acme,{value}\nt2,acme,2024-03-01\n",
    )

    report = import_json(path, "tickets")

    assert report["inserted"] == 1
    error = report["errors"][0]
    assert (error["row"], error["field"], error["value"]) == (2, "submitted_at", value)
    assert message in error["message"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("seats", "-5", "Negative (-5). The value must be 0 or more"),
        ("mrr", "-0.5", "Negative (-0.5)"),
        ("mrr", "inf", "Not a finite number"),
        ("arr", "-inf", "Not a finite number"),
        ("arr", "1e400", "Not a finite number"),
        ("seats", "1e30", "Too large"),
        ("seats", "99999999999999999999", "Too large"),
        ("auto_renew", "maybe", "Not a boolean. Use true/false"),
    ],
)
def test_import_bad_number_or_boolean(
    home: Settings, tmp_path: Path, column: str, value: str, message: str
) -> None:
    path = write(
        tmp_path / "subscriptions.csv",
        f"id,account_id,start_date,{column}\ns1,acme,2024-01-01,{value}\ns2,acme,2024-02-01,1\n",
    )

    report = import_json(path, "subscriptions")

    assert report["inserted"] == 1
    error = report["errors"][0]
    assert (error["row"], error["field"], error["value"]) == (2, column, value)
    assert message in error["message"]


def test_import_nan_reads_as_missing(home: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "accounts.json",
        '[{"id": "n1", "name": "NaN Co", "seats": NaN}, {"id": "n2", "name": "Inf", '
        '"seats": Infinity}]',
    )

    report = import_json(path, "accounts")

    assert report["inserted"] == 1
    assert stored(home, "SELECT seats FROM accounts WHERE id = 'n1'") == [(None,)]
    assert report["errors"][0]["field"] == "seats"


def test_import_malformed_jsonl_lines(home: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "accounts.jsonl",
        '{"id": "l1", "name": "One"}\n{bad json\n[1, 2]\n{"id": "l2", "name": "Two"}\n',
    )

    report = import_json(path, "accounts")

    assert report["inserted"] == 2
    assert [error["row"] for error in report["errors"]] == [2, 3]
    assert report["errors"][0]["message"].startswith("Invalid JSON")
    assert report["errors"][0]["value"] == "{bad json"


def test_import_notes_folder_with_bad_files(home: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "latin.txt").write_bytes("Café meeting notes.\n".encode("latin-1"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(PNG_BYTES)
    write(folder / "2024-05-01-good.md", "Good note body.\n")

    report = import_json(folder, "notes", "--account", "acme")

    assert report["inserted"] == 2
    by_file = {Path(error["file"]).name: error for error in report["errors"]}
    assert set(by_file) == {"empty.txt", "image.txt"}
    assert "The note has no text" in by_file["empty.txt"]["message"]
    assert by_file["image.txt"]["message"].startswith("Not a text file: it looks like a PNG")
    latin = [w for w in report["warnings"] if "read as Latin-1" in w]
    assert len(latin) == 1
    assert "latin.txt" in latin[0]
    bodies = stored(home, "SELECT body FROM notes WHERE id = 'note-latin'")
    assert bodies == [("Café meeting notes.",)]


def test_import_mdx_with_only_jsx(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "page.mdx", 'import X from "y";\n\n<Comp a="1" />\n<Other>\n</Other>\n')

    result = csm("import", str(path), "--kind", "docs")

    assert result.exit_code == 1
    assert "page.mdx body='': A required value is missing" in result.stdout
    assert "The page has no text once front matter" in result.stdout
    assert "nothing was loaded" in error_line(result)


def test_import_bad_rows_then_corrected_file(home: Settings, tmp_path: Path) -> None:
    header = "id,account_id,submitted_at,subject,priority\n"
    first = write(
        tmp_path / "first.csv",
        header + "t1,acme,2024-03-01,Good,low\nt2,acme,2024-02-30,Bad date,low\n"
        "t3,nobody,2024-03-02,Bad account,low\n",
    )
    corrected = write(
        tmp_path / "corrected.csv",
        header + "t1,acme,2024-03-01,Good,high\nt2,acme,2024-02-28,Bad date,low\n"
        "t3,globex,2024-03-02,Bad account,low\n",
    )

    partial = import_json(first, "tickets")
    fixed = import_json(corrected, "tickets")
    again = import_json(corrected, "tickets")

    assert (partial["inserted"], partial["skipped"]) == (1, 2)
    assert (fixed["inserted"], fixed["updated"], fixed["skipped"]) == (2, 1, 0)
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)
    rows = stored(home, "SELECT id, account_id, priority FROM tickets ORDER BY id")
    assert rows == [("t1", "acme", "high"), ("t2", "acme", "low"), ("t3", "globex", "low")]


def test_import_dry_run_writes_nothing(home: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "tickets.csv",
        "id,account_id,submitted_at,subject,body\nt1,acme,2024-03-01,Dry,dry run ticket\n",
    )
    before = stored(home, "SELECT * FROM tickets")

    result = csm("import", str(path), "--kind", "tickets", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "would be inserted 1" in result.stdout
    assert stored(home, "SELECT * FROM tickets") == before
    assert not home.index_dir.exists()


# --- account names --------------------------------------------------------------------------


def test_import_account_option_unknown(home: Settings) -> None:
    result = csm("import", str(FIXTURES / "tickets.csv"), "--kind", "tickets", "--account", "zzz")

    assert result.exit_code == 1
    assert "Account 'zzz' not found" in error_line(result)


def test_import_account_option_blank(home: Settings) -> None:
    result = csm("import", str(FIXTURES / "tickets.csv"), "--kind", "tickets", "--account", " ")

    assert result.exit_code == 1
    assert "The account name is empty" in error_line(result)


def test_import_account_option_ambiguous(demo_settings: Settings) -> None:
    result = csm(
        "import", str(FIXTURES / "tickets.csv"), "--kind", "tickets", "--account", "Northwind"
    )

    line = error_line(result)
    assert result.exit_code == 1
    assert "Northwind Studios" in line
    assert "Northwind Interactive" in line


@pytest.mark.parametrize("name", ["", "   "])
def test_health_blank_name(demo_settings: Settings, name: str) -> None:
    result = csm("health", name)

    assert result.exit_code == 1
    assert "The account name is empty" in error_line(result)


def test_health_ambiguous_name_lists_both(demo_settings: Settings) -> None:
    result = csm("health", "Northwind")

    line = error_line(result)
    assert result.exit_code == 1
    assert "Northwind Studios" in line
    assert "Northwind Interactive" in line


def test_search_blank_query(demo_settings: Settings) -> None:
    result = csm("search", "  ")

    assert result.exit_code == 1
    assert "The search query is empty" in error_line(result)


def test_search_k_zero_is_usage_error(demo_settings: Settings) -> None:
    result = csm("search", "x", "-k", "0")

    assert result.exit_code == 2
    assert "Invalid value for '-k'" in result.stderr


def test_search_kind_bogus(demo_settings: Settings) -> None:
    result = csm("search", "x", "--kind", "bogus")

    assert result.exit_code == 1
    assert "--kind 'bogus' is not valid" in error_line(result)


def test_search_unknown_account(demo_settings: Settings) -> None:
    result = csm("search", "x", "--account", "nobody at all")

    assert result.exit_code == 1
    assert "Account 'nobody at all' not found" in error_line(result)


def test_search_blank_account(demo_settings: Settings) -> None:
    result = csm("search", "x", "--account", "")

    assert result.exit_code == 1
    assert "The account name is empty" in error_line(result)


def test_search_before_any_import(settings: Settings) -> None:
    assert csm("init").exit_code == 0

    result = csm("search", "exports")

    assert result.exit_code == 0, result.output
    assert "The index is empty" in result.stdout


def test_draft_email_bogus_purpose(demo_settings: Settings) -> None:
    result = csm("draft", "email", "Northwind Studios", "--purpose", "bogus")

    assert result.exit_code == 1
    assert "Unknown purpose 'bogus'" in error_line(result)


@pytest.mark.parametrize("text", ["", "  "])
def test_sentiment_blank_text(text: str) -> None:
    result = csm("sentiment", "--text", text)

    assert result.exit_code == 1
    assert "--text is empty" in error_line(result)


def test_sentiment_blank_account(demo_settings: Settings) -> None:
    result = csm("sentiment", "")

    assert result.exit_code == 1
    assert "The account name is empty" in error_line(result)


def test_ask_blank_question(demo_settings: Settings) -> None:
    result = csm("ask", "")

    assert result.exit_code == 1
    assert "The question is empty" in error_line(result)


def test_accounts_negative_limit(demo_settings: Settings) -> None:
    result = csm("accounts", "--limit", "-1")

    assert result.exit_code == 2
    assert "Invalid value for '--limit'" in result.stderr


# --- the home folder and the store ----------------------------------------------------------


@pytest.mark.parametrize("command", [["accounts"], ["init"]])
def test_home_is_a_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: list[str]
) -> None:
    home = write(tmp_path / "home-file", "not a folder")
    monkeypatch.setenv("CSM_HOME", str(home))

    result = csm(*command)

    assert result.exit_code == 1
    assert f"CSM_HOME={home} is a file, not a folder" in error_line(result)


def test_home_under_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = write(tmp_path / "home-file", "not a folder") / "sub"
    monkeypatch.setenv("CSM_HOME", str(home))

    result = csm("init")

    assert result.exit_code == 1
    assert "Cannot create the csm home" in error_line(result)


def test_store_not_a_database(home: Settings) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{home.db_path}{suffix}").unlink(missing_ok=True)
    home.db_path.write_bytes(b"garbage " * 512)

    for command in (["accounts"], ["import", str(FIXTURES / "accounts.csv"), "-k", "accounts"]):
        result = csm(*command)

        line = error_line(result)
        assert result.exit_code == 2
        assert f"The store {home.db_path} is damaged (file is not a database)" in line
        assert "Restore it from a backup" in line


def test_store_cannot_be_opened(settings: Settings) -> None:
    settings.db_path.mkdir(parents=True)

    result = csm("accounts")

    line = error_line(result)
    assert result.exit_code == 1
    assert "Cannot open the store" in line
    assert "unable to open database file" in line


def test_store_locked_by_another_process(home: Settings, tmp_path: Path) -> None:
    path = write(tmp_path / "more.csv", ACCOUNTS_HEADER + "k1,Locked Co,1\n")
    holder = sqlite3.connect(home.db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = csm("import", str(path), "--kind", "accounts")
    finally:
        holder.rollback()
        holder.close()

    assert result.exit_code == 2
    assert "is locked by another process" in error_line(result)
    assert "k1" not in account_ids(home)


def test_unexpected_exception_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken_app() -> None:
        raise KeyError("boom")

    monkeypatch.setattr(main, "app", broken_app)

    with pytest.raises(SystemExit) as exit_info:
        main.run()

    assert exit_info.value.code == main.INTERNAL_ERROR_EXIT
    err = capsys.readouterr().err
    assert err.startswith("Error: unexpected KeyError: 'boom'")
    assert "CSM_DEBUG=1" in err


def test_unexpected_exception_reraised_in_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_app() -> None:
        raise KeyError("boom")

    monkeypatch.setattr(main, "app", broken_app)
    monkeypatch.setenv("CSM_DEBUG", "1")

    with pytest.raises(KeyError):
        main.run()


# --- the model setting and the model server -------------------------------------------------


def test_model_spec_bogus(demo_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSM_MODEL", "bogus")

    result = csm("ask", "hi")

    assert result.exit_code == 1
    assert "CSM_MODEL='bogus' is not a supported model" in error_line(result)


def test_model_without_key_or_url(demo_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSM_MODEL", "openai:x")

    result = csm("ask", "hi")

    line = error_line(result)
    assert result.exit_code == 1
    assert "OPENAI_API_KEY is not set" in line
    assert "OPENAI_BASE_URL" in line


def test_model_base_url_without_scheme(
    demo_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSM_MODEL", "openai:x")
    monkeypatch.setenv("OPENAI_BASE_URL", "127.0.0.1:9/v1")

    result = csm("ask", "hi")

    assert result.exit_code == 1
    assert "OPENAI_BASE_URL='127.0.0.1:9/v1' is not an http(s) URL" in error_line(result)


@pytest.fixture
def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens, so connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.mark.parametrize(
    "command", [["ask", "hi"], ["draft", "email", "Northwind Studios"]], ids=["ask", "draft"]
)
def test_model_server_refuses_connection(
    demo_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    closed_port_url: str,
    command: list[str],
) -> None:
    monkeypatch.setenv("CSM_MODEL", "openai:x")
    monkeypatch.setenv("OPENAI_BASE_URL", closed_port_url)
    started = time.monotonic()

    result = csm(*command)

    line = error_line(result)
    assert result.exit_code == 2
    assert f"Cannot connect to the model server at {closed_port_url}" in line
    assert "Connection refused" in line
    assert "CSM_MODEL=none" in line
    assert time.monotonic() - started < 30


class FailingServer(LocalServer):
    """Return one status and body for every request, after an optional delay in seconds."""

    def __init__(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json",
        delay: float = 0.0,
    ):
        def respond(_request: bytes) -> tuple[int, str, bytes]:
            time.sleep(delay)
            return status, content_type, body

        super().__init__(respond)


def _error_body(message: str) -> bytes:
    return json.dumps({"error": {"message": message, "type": "test"}}).encode()


@pytest.mark.parametrize(
    ("status", "body", "content_type", "exit_code", "expected"),
    [
        (401, _error_body("bad key"), "application/json", 1, "rejected the API key (HTTP 401"),
        (404, _error_body("no such model"), "application/json", 1, "has no model 'x'"),
        (429, _error_body("slow down"), "application/json", 2, "rate limiting requests"),
        (500, _error_body("exploded"), "application/json", 2, "failed (HTTP 500: exploded)"),
        (200, b"<html>hello</html>", "text/html", 2, "not an OpenAI chat completion"),
        (200, b'{"unexpected": 1}', "application/json", 2, "not an OpenAI chat completion"),
    ],
    ids=["401", "404", "429", "500", "html", "wrong-json"],
)
def test_model_server_failure_is_one_line(
    demo_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    body: bytes,
    content_type: str,
    exit_code: int,
    expected: str,
) -> None:
    with FailingServer(status, body, content_type) as server:
        monkeypatch.setenv("CSM_MODEL", "openai:x")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        result = csm("ask", "hi")

    line = error_line(result)
    assert result.exit_code == exit_code
    assert f"The model server at {server.url}" in line
    assert expected in line


def test_quota_error_is_not_retried(
    demo_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = json.dumps(
        {"error": {"message": "You exceeded your quota", "code": "insufficient_quota"}}
    ).encode()
    with FailingServer(429, body) as server:
        monkeypatch.setenv("CSM_MODEL", "openai:x")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        result = csm("ask", "hi")

    line = error_line(result)
    assert result.exit_code == 1
    assert "says the API key is out of quota (HTTP 429" in line
    assert len(server.bodies) == 1


def test_rate_limit_is_retried_once(
    demo_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FailingServer(429, _error_body("slow down")) as server:
        monkeypatch.setenv("CSM_MODEL", "openai:x")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        result = csm("ask", "hi")

    assert result.exit_code == 2
    assert "rate limiting requests" in error_line(result)
    assert len(server.bodies) == 2


def test_model_server_timeout_is_one_line(
    demo_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("agent.llm.REQUEST_TIMEOUT", 0.5)
    monkeypatch.setattr("agent.llm.MAX_RETRIES", 0)
    with FailingServer(200, _error_body("late"), delay=5.0) as server:
        monkeypatch.setenv("CSM_MODEL", "openai:x")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        started = time.monotonic()
        result = csm("ask", "hi")
        elapsed = time.monotonic() - started

    line = error_line(result)
    assert result.exit_code == 2
    assert f"The model server at {server.url} did not answer within 0.5 s (1 attempt)" in line
    assert elapsed < 5.0


def test_chat_keeps_going_after_server_failure(
    demo_settings: Settings, monkeypatch: pytest.MonkeyPatch, closed_port_url: str
) -> None:
    monkeypatch.setenv("CSM_MODEL", "openai:x")
    monkeypatch.setenv("OPENAI_BASE_URL", closed_port_url)

    result = csm("chat", input="hi\n/help\n/quit\n")

    assert result.exit_code == 0, result.output
    assert "Error: Cannot connect to the model server" in result.stdout
    assert "/reset" in result.stdout


# --- value parsers at their limits ----------------------------------------------------------


def test_parse_float_non_finite() -> None:
    assert parse_float(float("nan")) is None
    assert parse_float("NaN") is None
    for value in ("inf", "-inf", "1e400", float("inf"), 10**400):
        with pytest.raises(ValueError, match="not a finite number"):
            parse_float(value)


def test_parse_int_beyond_64_bits() -> None:
    assert parse_int(MAX_INT) == MAX_INT
    with pytest.raises(ValueError, match="too large"):
        parse_int(MAX_INT + 1)
    with pytest.raises(ValueError, match="too large"):
        parse_int("1e30")


def test_parse_datetime_overflow_is_value_error() -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_datetime("0001-01-01T00:00:00+01:00")


def test_index_rebuild_after_index_removed(home: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "tickets.csv",
        "id,account_id,submitted_at,subject,body\nt1,acme,2024-03-01,Exports,exports fail\n",
    )
    assert csm("import", str(path), "--kind", "tickets").exit_code == 0
    shutil.rmtree(home.index_dir)

    result = csm("index", "rebuild", "--json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sources_added"] >= 1
    hits = json.loads(csm("search", "exports", "--json").stdout)["results"]
    assert hits[0]["source_id"] == "tickets:t1"
