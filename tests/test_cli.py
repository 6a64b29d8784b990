"""The command line through typer's CliRunner, on the loaded sample business."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from agent.cli.main import app

runner = CliRunner()


def _account_id(name: str) -> str:
    from agent.config import load_settings
    from agent.store import open_store

    store = open_store(load_settings())
    try:
        return store.resolve_account(name).id
    finally:
        store.close()


def test_help_lists_commands():
    result = runner.invoke(app, ["--help"])

    assert result.exit_code == 0
    for command in ("init", "import", "accounts", "health", "search", "draft", "ask", "chat"):
        assert command in result.stdout


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from agent.cli import main; "
        "heavy = [m for m in ('chromadb', 'onnxruntime', 'langchain', 'sqlalchemy') "
        "if m in sys.modules]; print(heavy)"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert output.returncode == 0, output.stderr
    assert output.stdout.strip() == "[]"


def test_init_creates_empty_home(settings):
    result = runner.invoke(app, ["init"])

    assert result.exit_code == 0, result.output
    assert "Empty book created" in result.stdout
    assert settings.db_path.exists()


def test_commands_before_init_explain_fix():
    result = runner.invoke(app, ["accounts"])

    assert result.exit_code == 1
    assert "Run `csm init`" in result.stderr


def test_accounts_at_risk_json(demo_settings):
    result = runner.invoke(app, ["accounts", "--at-risk", "--json"])

    assert result.exit_code == 0, result.output
    accounts = json.loads(result.stdout)["accounts"]
    assert accounts
    assert all(a["at_risk"] for a in accounts)
    assert all(a["band"] in ("red", "yellow", "green") for a in accounts)
    assert all(a["main_driver"] for a in accounts)
    scores = [a["score"] for a in accounts]
    assert scores == sorted(scores)


def test_health_explains_components(demo_settings):
    result = runner.invoke(app, ["health", "northwind studios"])

    assert result.exit_code == 0, result.output
    assert "Northwind Studios" in result.stdout
    assert "Components" in result.stdout
    assert "weight" in result.stdout


def test_health_json_weights_sum_to_one(demo_settings):
    result = runner.invoke(app, ["health", "Northwind Studios", "--json"])

    document = json.loads(result.stdout)
    weights = [c["weight"] for c in document["components"] if c["weight"] is not None]
    assert abs(sum(weights) - 1.0) < 1e-9
    assert document["band"] in ("red", "yellow", "green")


def test_health_unknown_account_suggests(demo_settings):
    result = runner.invoke(app, ["health", "Northwind Games"])

    assert result.exit_code == 1
    assert "not found" in result.stderr
    assert "Northwind Studios" in result.stderr


def test_health_misspelt_account_matches(demo_settings):
    result = runner.invoke(app, ["health", "Northwnd Studio"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Northwind Studios")


def test_health_ambiguous_prefix_lists_both(demo_settings):
    result = runner.invoke(app, ["health", "Northwind"])

    assert result.exit_code == 1
    assert "ambiguous" in result.stderr
    assert "Northwind Studios" in result.stderr
    assert "Northwind Interactive" in result.stderr


def test_health_backtest_json(demo_settings):
    result = runner.invoke(app, ["health", "backtest", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["auc"] > 0.5


def test_metrics_json(demo_settings):
    result = runner.invoke(app, ["metrics", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert 0 < document["grr"] <= 1


def test_sentiment_text():
    result = runner.invoke(app, ["sentiment", "--text", "The exports are broken and I am angry"])

    assert result.exit_code == 0
    assert result.stdout.startswith("negative")


def test_sentiment_needs_name_or_text(settings):
    result = runner.invoke(app, ["sentiment"])

    assert result.exit_code == 1
    assert "Give an account name or --text" in result.stderr


def test_search_cites_source_and_date(demo_settings):
    result = runner.invoke(
        app, ["search", "exports", "--account", "Northwind Studios", "--json", "-k", "3"]
    )

    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["results"]
    assert 1 <= len(hits) <= 3
    for hit in hits:
        assert hit["source_id"]
        assert hit["date"] or hit["kind"] == "docs"
        assert hit["account_id"] in (None, _account_id("Northwind Studios"))


def test_draft_email_verified(demo_settings):
    result = runner.invoke(app, ["draft", "email", "Northwind Studios", "--json"])

    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    assert draft["subject"]
    assert draft["written_by"] == "template"
    assert draft["verification"]["ok"], draft["verification"]
    assert draft["to_email"].endswith(".example")


def test_draft_email_unknown_purpose(demo_settings):
    result = runner.invoke(app, ["draft", "email", "Northwind Studios", "--purpose", "sales"])

    assert result.exit_code == 1
    assert "Unknown purpose 'sales'" in result.stderr


def test_ask_without_model_says_how_to_connect(demo_settings):
    result = runner.invoke(app, ["ask", "which accounts are at risk?"])

    assert result.exit_code == 0, result.output
    assert "Answered by the `at_risk_accounts` tool" in result.stdout
    assert "OPENAI_API_KEY" in result.stderr


def test_chat_session_with_commands(demo_settings):
    script = "/help\n/account Northwind Studios\nhow is it doing?\n/quit\n"

    result = runner.invoke(app, ["chat"], input=script)

    assert result.exit_code == 0, result.output
    assert "/reset" in result.stdout
    assert "Current account: Northwind Studios" in result.stdout
    assert "Answered by the `health` tool" in result.stdout


def test_eval_routing_scores_router(demo_settings):
    result = runner.invoke(app, ["eval", "routing", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["cases"] >= 60
    [router] = document["backends"]
    assert router["backend"] == "keywords (no model)"
    assert router["tool_accuracy"] >= 0.9, router["misses"]
    unresolved = [miss for miss in router["misses"] if "unresolved" in json.dumps(miss)]
    assert unresolved == []


def test_chat_history_persists_and_saves(demo_settings, tmp_path):
    saved = tmp_path / "chat.md"
    first = runner.invoke(
        app, ["chat"], input=f"how is Northwind Studios doing?\n/save {saved}\n/model\n/quit\n"
    )

    second = runner.invoke(app, ["chat"], input="/reset\n/quit\n")

    assert first.exit_code == 0, first.output
    assert "Saved 1 exchange to" in first.stdout
    assert "No model is configured" in first.stdout
    assert "how is Northwind Studios doing?" in saved.read_text()
    assert second.exit_code == 0, second.output
    assert "Conversation cleared." in second.stdout
    assert not (demo_settings.home / "chat" / "history.jsonl").exists()


def test_chat_loads_earlier_history(demo_settings):
    from agent.assistant.chat import ChatSession
    from agent.assistant.tools import ToolContext
    from agent.store import open_store

    runner.invoke(app, ["chat"], input="how is Northwind Studios doing?\n/quit\n")
    store = open_store(demo_settings)

    session = ChatSession(ToolContext(demo_settings, store))

    assert [m["role"] for m in session.history] == ["user", "assistant"]
    assert session.history[0]["content"] == "how is Northwind Studios doing?"
    store.close()


def test_portfolio_json(demo_settings):
    result = runner.invoke(app, ["portfolio", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert sum(document["bands"].values()) > 40
    windows = [window["within_days"] for window in document["renewals"]]
    assert windows == [30, 60, 90]
    arr = [window["arr"] for window in document["renewals"]]
    assert arr == sorted(arr)
    for window in document["renewals"]:
        assert window["arr_at_risk"] <= window["arr"]
    changes = [abs(mover["change"]) for mover in document["movers"]]
    assert changes == sorted(changes, reverse=True)
    assert len(changes) <= 10


def test_health_explain_since_json(demo_settings):
    result = runner.invoke(
        app, ["health", "Stormglass Studios", "--explain", "--since", "2026-09-01", "--json"]
    )

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [point["days"] for point in document["trend"]] == [7, 30, 90]
    moved = document["since"]
    assert moved["since"] == "2026-09-01"
    total = sum(row["points_change"] or 0.0 for row in moved["components"])
    assert abs(total - (moved["score_now"] - moved["score_then"])) <= 1.0
    changes = [abs(row["points_change"] or 0.0) for row in moved["components"]]
    assert changes == sorted(changes, reverse=True)


def test_health_since_after_as_of_rejected(demo_settings):
    result = runner.invoke(app, ["health", "Stormglass Studios", "--since", "2030-01-01"])

    assert result.exit_code == 1
    assert "must be before the scoring date" in result.stderr


def test_key_set_stores_mode_600(settings):
    result = runner.invoke(app, ["key", "set"], input="sk-test-123\n")

    path = settings.home / "openai.key"
    assert result.exit_code == 0, result.output
    assert "sk-test-123" not in result.output
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    from agent.config import load_settings

    loaded = load_settings()
    assert loaded.api_key == "sk-test-123"
    assert loaded.model == "openai:gpt-4o-mini"
    assert "sk-test-123" not in repr(loaded)
    cleared = runner.invoke(app, ["key", "clear"])
    assert cleared.exit_code == 0
    assert not path.exists()
