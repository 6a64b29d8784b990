"""`csm eval grounding`: drafts of every kind verified, and a model's inventions counted."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage
from typer.testing import CliRunner

from agent.cli.main import app
from agent.evaluation.grounding import evaluate_grounding
from tests.scripted_model import ScriptedChatModel

runner = CliRunner()
ACCOUNT = "Northwind Studios"


def _email(subject: str, body: str) -> AIMessage:
    return AIMessage(content=json.dumps({"subject": subject, "body": body}))


INVENTED = _email("Your 500 seats", "Hi Linnea,\n\nAll 500 seats are active.\n\nBest,")
CORRECTED = _email("Checking in", "Hi Linnea,\n\nHow is the team getting on?\n\nBest,")


def test_eval_grounding_templates_all_pass(demo_settings, demo_store):
    result = runner.invoke(app, ["eval", "grounding", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["writer"] == "templates"
    assert document["drafts"] == 57 * 6
    assert document["failures"] == []
    assert document["pass_share"] == 1.0
    assert document["caught"] == []
    assert document["model_outputs"] == 0
    assert set(document["by_kind"]) == {
        "checkin",
        "renewal",
        "onboarding",
        "risk",
        "followup",
        "qbr",
    }


def test_grounding_counts_hallucinated_figure(demo_settings, demo_store):
    account = demo_store.resolve_account(ACCOUNT)
    model = ScriptedChatModel(replies=[INVENTED, CORRECTED])

    result = evaluate_grounding(
        demo_store, demo_settings, [account], ("checkin",), model, "scripted"
    )

    model.assert_done()
    assert result.writer == "model:scripted"
    assert result.drafts == 1
    assert result.passed == 1
    assert result.model_outputs == 2
    assert result.model_outputs_passed == 1
    caught = result.caught()
    assert len(caught) == 1
    assert caught[0]["account"] == ACCOUNT
    assert caught[0]["part"] == "email"
    assert caught[0]["attempt"] == 1
    assert "500" in caught[0]["unsupported"]


def test_grounding_counts_deck_part_failing_twice(demo_settings, demo_store):
    from agent.drafting.deck import build_deck

    account = demo_store.resolve_account(ACCOUNT)
    template = build_deck(demo_store, account, "qbr", None, demo_settings)
    parts = {
        "summary": [b.text for b in template.sections[0].bullets],
        "wins": ["Usage grew 480% this quarter."],
        "next_steps": [b.text for b in template.sections[5].bullets],
    }
    retry = {"wins": parts["wins"]}
    model = ScriptedChatModel(
        replies=[AIMessage(content=json.dumps(parts)), AIMessage(content=json.dumps(retry))]
    )

    result = evaluate_grounding(demo_store, demo_settings, [account], ("qbr",), model, "scripted")

    model.assert_done()
    assert result.passed == 1
    assert result.model_outputs == 4
    assert result.model_outputs_passed == 2
    assert [c["part"] for c in result.caught()] == ["wins", "wins"]
    assert all(c["unsupported"] == ["480%"] for c in result.caught())
    assert result.checks[0].written_by == ["model:scripted", "template", "model:scripted"]


def test_eval_grounding_prints_caught_claims(demo_settings, demo_store, monkeypatch):
    model = ScriptedChatModel(replies=[INVENTED, CORRECTED])
    monkeypatch.setenv("CSM_MODEL", "openai:scripted")
    monkeypatch.setattr("agent.llm.chat_model", lambda settings: model)

    result = runner.invoke(app, ["eval", "grounding", "--account", ACCOUNT, "--kind", "checkin"])

    assert result.exit_code == 0, result.output
    model.assert_done()
    assert "passed verification  100.0% (1 of 1)" in result.stdout
    assert "model outputs passing 50.0% (1 of 2;" in result.stdout
    assert f"caught in {ACCOUNT} checkin (email, attempt 1): 500" in result.stdout


def test_eval_grounding_rejects_unknown_kind(demo_settings, demo_store):
    result = runner.invoke(app, ["eval", "grounding", "--kind", "newsletter"])

    assert result.exit_code == 1
    assert "Unknown draft kind 'newsletter'" in result.stderr
    assert "qbr" in result.stderr
