"""Tests for reading files: encodings, delimiters, column mapping, Markdown and text notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.errors import InputError
from agent.ingest.docs import clean_markdown, doc_from_text
from agent.ingest.kinds import KIND_SPECS, get_spec, kind_fields
from agent.ingest.mapping import check_required, parse_map_options, plan_columns
from agent.ingest.readers import decode_bytes, read_table, sniff_delimiter
from agent.ingest.textfiles import (
    clean_transcript,
    list_files,
    looks_like_transcript,
    note_from_text,
    split_front_matter,
)

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

RAVENSTACK_TICKET_HEADER = [
    "ticket_id",
    "account_id",
    "submitted_at",
    "closed_at",
    "resolution_time_hours",
    "priority",
    "first_response_time_minutes",
    "satisfaction_score",
    "escalation_flag",
]


def test_decode_utf8_with_bom() -> None:
    text, encoding = decode_bytes("\ufeffid,name\n".encode())
    assert text == "id,name\n"
    assert encoding == "utf-8 (with BOM)"


def test_decode_falls_back_to_latin1() -> None:
    text, encoding = decode_bytes("Café".encode("latin-1"))
    assert text == "Café"
    assert encoding == "latin-1"


def test_decode_plain_utf8() -> None:
    assert decode_bytes("Olé".encode()) == ("Olé", "utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a;b;c\n1;2;3\n", ";"),
        ('a,b,c\n1,"x; y",3\n', ","),
        ("a|b\n1|2\n", "|"),
        ("single\nvalue\n", ","),
    ],
)
def test_sniff_delimiter(text: str, expected: str) -> None:
    assert sniff_delimiter(text) == expected


def test_read_csv_row_numbers_follow_lines(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('id,body\n1,"two\nlines"\n\n2,plain\n', encoding="utf-8")

    table = read_table(path)

    assert [row.row for row in table.rows] == [2, 5]
    assert table.rows[0].values["body"] == "two\nlines"


def test_read_csv_extra_cells_is_row_error(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("id,name\n1,a,surplus\n2,b,\n", encoding="utf-8")

    table = read_table(path)

    assert [row.row for row in table.rows] == [3]
    assert table.errors[0].row == 2
    assert "3 cells" in table.errors[0].message


def test_read_csv_long_cell(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("id,body\n1," + "x" * 300_000 + "\n", encoding="utf-8")

    table = read_table(path)

    assert len(table.rows[0].values["body"]) == 300_000


def test_read_csv_repeated_header_rejected(tmp_path: Path) -> None:
    path = tmp_path / "repeat.csv"
    path.write_text("id,id\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="repeats the column 'id'"):
        read_table(path)


def test_read_json_array_and_lines() -> None:
    array = read_table(FIXTURES / "accounts.json")
    lines = read_table(FIXTURES / "tickets.jsonl")

    assert array.header == ["account_id", "account_name", "seats", "is_trial", "churn_flag"]
    assert [row.row for row in array.rows] == [1, 2]
    assert [row.row for row in lines.rows] == [1, 3, 4]


def test_read_jsonl_invalid_line_is_row_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"id": "a"}\n{"id": \n', encoding="utf-8")

    table = read_table(path)

    assert len(table.rows) == 1
    assert table.errors[0].row == 2
    assert "Invalid JSON" in table.errors[0].message


def test_plan_columns_ravenstack_tickets() -> None:
    plan = plan_columns(RAVENSTACK_TICKET_HEADER, get_spec("tickets"), {})

    fields = {column: alias.field for column, alias in plan.columns.items()}
    assert fields["ticket_id"] == "id"
    assert fields["resolution_time_hours"] == "resolution_hours"
    assert fields["first_response_time_minutes"] == "first_response_minutes"
    assert fields["escalation_flag"] == "escalated"
    assert plan.ignored == []


def test_plan_columns_accounts_churn_flag() -> None:
    header = ["account_id", "account_name", "churn_flag", "referral_source"]
    plan = plan_columns(header, get_spec("accounts"), {})

    assert {c: a.field for c, a in plan.columns.items()} == {
        "account_id": "id",
        "account_name": "name",
        "churn_flag": "churned",
        "referral_source": "referral_source",
    }


def test_plan_columns_cfpb_converts_id_and_status() -> None:
    header = ["Complaint ID", "Company response to consumer", "Date received", "State"]
    plan = plan_columns(header, get_spec("tickets"), {})

    id_alias = plan.columns["Complaint ID"]
    status_alias = plan.columns["Company response to consumer"]
    assert id_alias.convert("3384392") == "CFPB-3384392"
    assert status_alias.convert("Closed with explanation") == "closed"
    assert status_alias.convert("Untimely response") == "open"
    assert plan.columns["Date received"].field == "submitted_at"
    assert plan.ignored == ["State"]


def test_plan_columns_user_map_beats_alias() -> None:
    header = ["ticket_id", "ref"]
    plan = plan_columns(header, get_spec("tickets"), {"ref": "id"})

    assert plan.columns["ref"].field == "id"
    assert "ticket_id" in plan.ignored
    assert any("'ref' already feeds id" in warning for warning in plan.warnings)


def test_plan_columns_exact_name_beats_alias() -> None:
    plan = plan_columns(["account_id", "id", "name"], get_spec("accounts"), {})

    assert plan.columns["id"].field == "id"
    assert plan.ignored == ["account_id"]


def test_user_map_unknown_field_lists_valid_fields() -> None:
    with pytest.raises(InputError) as caught:
        plan_columns(["Customer"], get_spec("accounts"), {"Customer": "customer_name"})
    message = str(caught.value)
    assert "'customer_name' is not a field of accounts" in message
    assert "csm_email" in message


def test_user_map_missing_column_rejected() -> None:
    with pytest.raises(InputError, match="no column 'Nope'"):
        plan_columns(["id", "name"], get_spec("accounts"), {"Nope": "name"})


def test_parse_map_options_splits_at_last_equals() -> None:
    assert parse_map_options(["Customer Name=name", "a=b=id"]) == {
        "Customer Name": "name",
        "a=b": "id",
    }
    with pytest.raises(InputError, match="SOURCE_COLUMN=FIELD"):
        parse_map_options(["name"])


def test_check_required_names_file_field_columns_and_fix() -> None:
    spec = get_spec("tickets")
    header = ["ticket_id", "account_id", "subject"]
    plan = plan_columns(header, spec, {})
    with pytest.raises(InputError) as caught:
        check_required(plan, spec, header, "tickets.csv", account_given=False)
    message = str(caught.value)
    assert "tickets.csv" in message
    assert "submitted_at" in message
    assert "ticket_id, account_id, subject" in message
    assert "--map COLUMN=submitted_at" in message


def test_check_required_account_from_flag() -> None:
    spec = get_spec("tickets")
    header = ["submitted_at", "body"]
    plan = plan_columns(header, spec, {})

    check_required(plan, spec, header, "t.csv", account_given=True)
    with pytest.raises(InputError, match="--account ID_OR_NAME"):
        check_required(plan, spec, header, "t.csv", account_given=False)


def test_kind_fields_match_table_columns() -> None:
    for kind, spec in KIND_SPECS.items():
        columns = [c.name for c in spec.record.table.__table__.columns if c.name != "source"]
        assert sorted(kind_fields(kind)) == sorted(columns), kind


def test_front_matter_quotes_and_body() -> None:
    meta, body = split_front_matter('---\ntitle: "A: b"\nkind: call\n---\nHello\n')
    assert meta == {"title": "A: b", "kind": "call"}
    assert body == "Hello\n"


def test_front_matter_absent() -> None:
    assert split_front_matter("Just text") == ({}, "Just text")


def test_transcript_detection_and_cleaning() -> None:
    text = "Project Manager: {vocalsound} Hello .\nMarketing: {vocalsound}\nUser Interface: Hi ."
    assert looks_like_transcript(text)
    assert clean_transcript(text) == "Project Manager: Hello .\nUser Interface: Hi ."


def test_note_from_text_front_matter() -> None:
    path = FIXTURES / "notes" / "2025-06-15-kickoff-call.md"
    note = note_from_text(path, path.read_text(encoding="utf-8"))

    assert note.values["id"] == "note-2025-06-15-kickoff-call"
    assert note.values["account_id"] == "globex"
    assert note.values["title"] == "Kickoff call: data team"
    assert note.values["kind"] == "call"
    assert note.values["note_date"] == "2025-06-15"
    assert note.date_in_source


def test_note_from_text_without_metadata() -> None:
    path = FIXTURES / "notes" / "renewal-risk.txt"
    note = note_from_text(path, path.read_text(encoding="utf-8"))

    assert note.values["title"] == "renewal risk"
    assert note.values["kind"] == "note"
    assert note.values["note_date"] is None
    assert not note.date_in_source


def test_list_files_skips_license_and_hidden(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a")
    (tmp_path / "LICENSE_CC-BY-SA-4.0.md").write_text("l")
    (tmp_path / ".hidden.md").write_text("h")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.mdx").write_text("b")

    found = list_files(tmp_path, frozenset({".md", ".mdx"}))

    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.md", "sub/b.mdx"]


def test_clean_markdown_mdx_page() -> None:
    path = FIXTURES / "docs" / "cancel-plan.mdx"
    doc = doc_from_text(path, path.parent, path.read_text(encoding="utf-8"))
    body = doc["body"]

    assert doc["id"] == "cancel-plan"
    assert doc["title"] == "Cancel your plan"
    assert doc["description"].startswith("How to cancel")
    assert "import useBaseUrl" not in body
    assert "<div" not in body
    assert "CtaBox" not in body
    assert "internal comment" not in body
    assert "The cancel button in account settings" in body
    assert "See retention." in body
    assert "Your data stays" in body
    assert ":::" not in body
    assert "`<head>`" in body
    assert "import nothing from 'kept-in-code';" in body
    assert '<script defer src="/js/script.js"></script>' in body
    assert "https://example.com/support & we answer" in body


def test_clean_markdown_html_indentation_dropped() -> None:
    text = '<div>\n    <img alt="Chart" src="x.png" />\n</div>\n\n- item'
    assert clean_markdown(text) == "Chart\n\n- item"


def test_doc_title_from_heading_and_nested_id() -> None:
    root = FIXTURES / "docs"
    path = root / "guides" / "sso.md"
    doc = doc_from_text(path, root, path.read_text(encoding="utf-8"))

    assert doc["id"] == "guides/sso"
    assert doc["title"] == "Set up single sign-on"
