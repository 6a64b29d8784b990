"""Drafts saved as .eml files: parseable, with the headers RFC 5322 requires."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default

from typer.testing import CliRunner

from agent.cli.main import app
from agent.drafting.email import draft_email
from agent.drafting.outbox import save_draft


def test_saved_draft_parses_with_headers(demo_settings, demo_store, tmp_path):
    account = demo_store.resolve_account("Northwind Studios")
    draft = draft_email(demo_store, account, "checkin", settings=demo_settings)
    now = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)

    path = save_draft(draft, tmp_path, now)
    message = message_from_bytes(path.read_bytes(), policy=default)

    assert path.parent == tmp_path / "drafts"
    assert path.name == f"20261204T093000000000Z-{account.id}-checkin.eml"
    assert message["To"].addresses[0].addr_spec == draft.to_email
    assert message["From"].addresses[0].addr_spec == draft.from_email
    assert message["Subject"] == draft.subject
    assert message["Date"].datetime == now
    message_id = message["Message-ID"].strip()
    assert message_id.startswith("<")
    assert message_id.endswith(">")
    assert message["X-CSM-Verified"] == "yes"
    assert message.get_content().replace("\r\n", "\n") == draft.body
    assert b"\r\n" in path.read_bytes()


def test_draft_command_saves_to_outbox(demo_settings):
    result = CliRunner().invoke(app, ["draft", "email", "Northwind Studios"])

    assert result.exit_code == 0, result.output
    saved = list((demo_settings.outbox_dir / "drafts").glob("*.eml"))
    assert len(saved) == 1
    assert str(saved[0]) in result.stdout


def test_draft_command_no_save(demo_settings):
    result = CliRunner().invoke(app, ["draft", "email", "Northwind Studios", "--no-save"])

    assert result.exit_code == 0, result.output
    assert not (demo_settings.outbox_dir / "drafts").exists()


def test_draft_to_role_and_unknown_contact(demo_settings):
    runner = CliRunner()

    sponsor = runner.invoke(
        app, ["draft", "email", "Northwind Studios", "--to", "sponsor", "--no-save", "--json"]
    )
    unknown = runner.invoke(app, ["draft", "email", "Northwind Studios", "--to", "nobody"])

    assert sponsor.exit_code == 0, sponsor.output
    draft = json.loads(sponsor.stdout)
    assert draft["facts"]["recipient_role"] == "sponsor"
    assert draft["verification"]["ok"]
    assert unknown.exit_code == 1
    assert "No contact of Northwind Studios matches --to 'nobody'" in unknown.stderr
    assert "(champion)" in unknown.stderr
