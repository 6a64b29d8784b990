"""The CSM's style file: sign-off in templates, avoided phrases caught in drafts."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from typer.testing import CliRunner

from agent.cli.main import app
from agent.drafting.email import draft_email
from agent.drafting.style import Style, load_style
from agent.errors import ConfigError
from tests.scripted_model import ScriptedChatModel

STYLE = '[style]\nsign_off = "Cheers,"\ntone = "brief and friendly"\navoid = ["next steps"]\n'


def test_load_style_defaults_without_file(settings):
    assert load_style(settings) == Style()


def test_load_style_rejects_bad_types(settings):
    (settings.home / "style.toml").write_text('[style]\navoid = "circle back"\n')

    with pytest.raises(ConfigError, match="avoid must be a list of strings"):
        load_style(settings)


def test_template_uses_sign_off(demo_settings):
    (demo_settings.home / "style.toml").write_text(STYLE)

    result = CliRunner().invoke(app, ["draft", "email", "Northwind Studios", "--no-save", "--json"])

    draft = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert "\nCheers,\n" in draft["body"]
    assert draft["verification"]["ok"]


def test_followup_template_with_avoided_phrase_fails(demo_settings):
    (demo_settings.home / "style.toml").write_text(STYLE)

    result = CliRunner().invoke(
        app, ["draft", "email", "Northwind Studios", "-p", "followup", "--no-save", "--json"]
    )

    draft = json.loads(result.stdout)
    assert draft["verification"]["ok"] is False
    assert draft["verification"]["unsupported"] == ["next steps"]


def test_model_filler_is_retried(demo_settings, demo_store):
    filler = "Hi Linnea,\n\nI hope this email finds you well.\n\nBest,"
    clean = "Hi Linnea,\n\nHow is the team getting on?\n\nBest,"
    model = ScriptedChatModel(
        replies=[
            AIMessage(content=json.dumps({"subject": "Hello", "body": filler})),
            AIMessage(content=json.dumps({"subject": "Hello", "body": clean})),
        ]
    )
    account = demo_store.resolve_account("Northwind Studios")

    draft = draft_email(demo_store, account, "checkin", model, "scripted", demo_settings)

    model.assert_done()
    retry = [m for m in model.calls[1] if isinstance(m, HumanMessage)][0].content
    assert "I hope this email finds you well" in retry
    assert draft.body.startswith("Hi Linnea,\n\nHow is the team")
