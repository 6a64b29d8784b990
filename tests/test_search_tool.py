"""The search tool: exact id lookups, one passage per source, account isolation."""

from __future__ import annotations

from agent.assistant.tools import ToolContext, search


def test_search_finds_ticket_by_exact_id(demo_settings, demo_store):
    result = search(ToolContext(demo_settings, demo_store), "MW-1207", kind="tickets", k=3)

    first = result.data["results"][0]
    assert first["source_id"] == "tickets:MW-1207"
    assert first["exact_id_match"] is True
    owner = demo_store.resolve_account("Brightforge Games").id
    assert first["account_id"] == owner
    assert f"Brightforge Games ({owner})" in result.text


def test_search_exact_id_respects_account(demo_settings, demo_store):
    result = search(
        ToolContext(demo_settings, demo_store), "MW-1207", account="Northwind Studios", k=5
    )

    northwind = demo_store.resolve_account("Northwind Studios").id
    owners = {hit["account_id"] for hit in result.data["results"]}
    assert owners <= {northwind, None}
    assert "tickets:MW-1207" not in result.sources


def test_search_returns_one_passage_per_source(demo_settings, demo_store):
    result = search(ToolContext(demo_settings, demo_store), "USDZ export", kind="docs", k=5)

    assert len(result.sources) == len(set(result.sources))
    assert result.sources[0] == "docs:export-usdz"


def test_search_flags_weak_matches(demo_settings, demo_store):
    result = search(ToolContext(demo_settings, demo_store), "capital city of France", k=2)

    assert result.text.startswith("No close match")
