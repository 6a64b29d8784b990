"""Deck text written by a scripted model: verified per part, retried once, else template."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from typer.testing import CliRunner

from agent.cli.main import app
from agent.drafting.deck.document import SECTION_TITLES, Bullet, Deck, Section
from agent.drafting.deck.narrative import write_narrative
from agent.drafting.deck.quarter import Quarter
from agent.drafting.facts import ContactFact, Fact, FactSheet, TicketFact
from tests.scripted_model import ScriptedChatModel

OTHER_ACCOUNTS = {"Linnea Lindqvist", "Northwind Studios"}
TEMPLATE = {title: [f"Template bullet of {title}."] for title in SECTION_TITLES}


@pytest.fixture
def sheet() -> FactSheet:
    return FactSheet(
        account_id="MW-A022",
        account_name="Brightforge Games",
        as_of=date(2026, 11, 30),
        csm_name="Priya Raman",
        csm_email="priya.raman@meshwright.example",
        company_name="Meshwright",
        recipient_name="Sunita Sato",
        recipient_first_name="Sunita",
        recipient_email="sunita.sato@brightforgegames.example",
        recipient_role="sponsor",
        contacts=[
            ContactFact(
                name="Sunita Sato",
                role="sponsor",
                title="Art Director",
                email="sunita.sato@brightforgegames.example",
                is_active=True,
            ),
        ],
        plan_tier="Studio",
        renewal_date=date(2026, 12, 4),
        days_to_renewal=4,
        usage_change_percent=-17,
        usage_window_days=30,
        usage_compared_with="the 30 days before",
        health_score=41,
        health_band="red",
        main_driver="Usage trend",
        signals=["open_escalation"],
        open_tickets=[
            TicketFact(
                id="MW-1207",
                subject="FBX export missing parts",
                submitted=date(2026, 11, 3),
                priority="high",
                escalated=True,
            ),
        ],
        recent_notes=[],
        facts=[
            Fact(name="seat_ratio", value="0.3", source="usage 2026-11-01..2026-11-30"),
            Fact(name="usage_rate", value="144.2", source="usage 2026-10-01..2026-11-30"),
            Fact(name="resolved_count", value="2", source="tickets"),
        ],
    )


def _deck() -> Deck:
    return Deck(
        account_id="MW-A022",
        account_name="Brightforge Games",
        kind="ebr",
        quarter=Quarter(2026, 4),
        as_of=date(2026, 11, 30),
        recipient_name="Sunita Sato",
        recipient_role="sponsor",
        presenter="Priya Raman",
        sections=[
            Section(title, [Bullet(text) for text in TEMPLATE[title]], ["facts"])
            for title in SECTION_TITLES
        ],
        facts=[],
    )


def _reply(**parts: list[str]) -> AIMessage:
    return AIMessage(content=json.dumps(parts))


GOOD = {
    "summary": [
        "Seat use is at 30% of seats, and usage runs at about 144 events a day.",
        "Decision: confirm the renewal on Dec 4.",
        "Decision: agree how to resolve escalated ticket MW-1207.",
    ],
    "wins": ["2 tickets resolved this quarter."],
    "next_steps": [
        "Priya Raman sends Sunita Sato the renewal proposal before 2026-12-04.",
        "Both sides review the FBX export fix at the next review.",
    ],
}


def _bullets(deck: Deck, title: str) -> list[str]:
    section = next(s for s in deck.sections if s.title == title)
    return [bullet.text for bullet in section.bullets]


def _section(deck: Deck, title: str) -> Section:
    return next(s for s in deck.sections if s.title == title)


def test_narrative_accepts_rounded_facts(sheet: FactSheet):
    model = ScriptedChatModel(replies=[_reply(**GOOD)])
    deck = _deck()

    write_narrative(model, "scripted", deck, sheet, OTHER_ACCOUNTS)

    model.assert_done()
    assert deck.rejected == []
    assert deck.warnings == []
    assert _bullets(deck, "Executive summary") == GOOD["summary"]
    assert _bullets(deck, "Wins") == GOOD["wins"]
    assert _bullets(deck, "Next steps") == GOOD["next_steps"]
    for title in ("Executive summary", "Wins", "Next steps"):
        assert _section(deck, title).written_by == "model:scripted"
    for title in ("Results", "Open issues", "Goals for next quarter"):
        assert _section(deck, title).written_by == "template"
        assert _bullets(deck, title) == TEMPLATE[title]


def test_narrative_request_quotes_facts_only(sheet: FactSheet):
    model = ScriptedChatModel(replies=[_reply(**GOOD)])

    write_narrative(model, "scripted", _deck(), sheet, OTHER_ACCOUNTS)

    request = [m for m in model.calls[0] if isinstance(m, HumanMessage)][0].content
    assert "<facts>" in request
    assert '"seat_ratio"' in request
    assert "Template bullet" not in request
    for part in ("summary", "wins", "next_steps"):
        assert f"- {part}:" in request


INVENTED = [
    ("number", "Usage grew 45% this quarter.", "45%"),
    ("name", "Marcus Lee joined as the new sponsor.", "Marcus Lee"),
    ("other account's name", "Linnea Lindqvist praised the exports.", "Linnea Lindqvist"),
    ("date", "The export fix shipped on January 15, 2027.", "January 15, 2027"),
    ("ticket id", "Ticket MW-9999 was resolved.", "MW-9999"),
]


@pytest.mark.parametrize(("kind", "bullet", "claim"), INVENTED, ids=[c[0] for c in INVENTED])
def test_narrative_invention_keeps_template(sheet: FactSheet, kind: str, bullet: str, claim: str):
    invented = _reply(**{**GOOD, "wins": [bullet]})
    model = ScriptedChatModel(replies=[invented, _reply(wins=[bullet])])
    deck = _deck()

    write_narrative(model, "scripted", deck, sheet, OTHER_ACCOUNTS)

    model.assert_done()
    wins = _section(deck, "Wins")
    assert wins.written_by == "template"
    assert _bullets(deck, "Wins") == TEMPLATE["Wins"]
    assert claim in wins.note
    assert [r.part for r in deck.rejected] == ["wins", "wins"]
    assert all(claim in r.unsupported for r in deck.rejected)
    assert any("Wins: the model's text failed verification twice" in w for w in deck.warnings)
    assert _section(deck, "Executive summary").written_by == "model:scripted"
    assert _section(deck, "Next steps").written_by == "model:scripted"


def test_narrative_retry_names_claims(sheet: FactSheet):
    invented = _reply(**{**GOOD, "summary": ["Usage grew 45% against Q3 2026."]})
    corrected = _reply(summary=["Usage runs at 144.2 events a day."])
    model = ScriptedChatModel(replies=[invented, corrected])
    deck = _deck()

    write_narrative(model, "scripted", deck, sheet, OTHER_ACCOUNTS)

    model.assert_done()
    retry = [m for m in model.calls[1] if isinstance(m, HumanMessage)][0].content
    assert "summary: claims that are not in the facts: 45%" in retry
    assert 'with the keys "summary"' in retry
    assert _bullets(deck, "Executive summary") == ["Usage runs at 144.2 events a day."]
    assert _section(deck, "Executive summary").written_by == "model:scripted"
    assert _section(deck, "Executive summary").note is None
    assert len(deck.rejected) == 1
    assert deck.warnings == []


def test_narrative_invalid_replies_keep_templates(sheet: FactSheet):
    model = ScriptedChatModel(replies=[AIMessage(content="Sure! Here is the deck."), _reply()])
    deck = _deck()

    write_narrative(model, "scripted", deck, sheet, OTHER_ACCOUNTS)

    model.assert_done()
    for title in ("Executive summary", "Wins", "Next steps"):
        assert _section(deck, title).written_by == "template"
        assert _bullets(deck, title) == TEMPLATE[title]
    reasons = [(r.attempt, r.reason) for r in deck.rejected]
    assert reasons == [(1, "invalid reply")] * 3 + [(2, "missing part")] * 3
    assert len(deck.warnings) == 3


runner = CliRunner()


def _template_parts(store, settings) -> dict[str, list[str]]:  # noqa: ANN001
    """Return the template deck's narrative parts, which verify by construction."""
    from agent.drafting.deck import build_deck

    account = store.resolve_account("Northwind Studios")
    deck = build_deck(store, account, "qbr", None, settings)
    titles = {"summary": "Executive summary", "wins": "Wins", "next_steps": "Next steps"}
    return {part: _bullets(deck, title) for part, title in titles.items()}


def test_draft_ebr_with_model_marks_failed_part(demo_settings, demo_store, monkeypatch):
    parts = _template_parts(demo_store, demo_settings)
    parts["summary"] = ["Northwind Studios keeps growing; " + parts["summary"][0]]
    invented = {**parts, "wins": ["Usage grew 480% this quarter."]}
    model = ScriptedChatModel(replies=[_reply(**invented), _reply(wins=invented["wins"])])
    monkeypatch.setenv("CSM_MODEL", "openai:scripted")
    monkeypatch.setattr("agent.llm.chat_model", lambda settings: model)

    result = runner.invoke(app, ["draft", "ebr", "Northwind Studios", "--kind", "qbr", "--json"])

    assert result.exit_code == 0, result.output
    model.assert_done()
    document = json.loads(result.stdout)
    assert document["verification"]["ok"]
    assert document["written_by"]["Executive summary"] == "model:scripted"
    assert document["written_by"]["Wins"] == "template"
    assert document["written_by"]["Results"] == "template"
    assert [r["unsupported"] for r in document["rejected"]] == [["480%"], ["480%"]]
    assert any(w.startswith("Wins: the model's text failed") for w in document["warnings"])
    text = Path(document["path"]).read_text(encoding="utf-8")
    assert "Northwind Studios keeps growing" in text
    assert "> Template text: the model's text failed verification twice" in text
    assert "480%" in text
