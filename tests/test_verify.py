"""The draft checker: invented claims fail, rounded and rephrased true ones pass."""

from __future__ import annotations

import json
from datetime import date

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from agent.drafting.email import draft_email
from agent.drafting.facts import ContactFact, Fact, FactSheet, TicketFact
from agent.drafting.verify import verify_draft
from tests.scripted_model import ScriptedChatModel


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
        recipient_role="champion",
        contacts=[
            ContactFact(
                name="Sunita Sato",
                role="champion",
                title="Art Director",
                email="sunita.sato@brightforgegames.example",
                is_active=True,
            ),
        ],
        plan_tier="Studio",
        renewal_date=date(2027, 5, 18),
        days_to_renewal=169,
        usage_change_percent=-30,
        usage_window_days=30,
        usage_compared_with="the average over the 90 days before",
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
            Fact(name="arr", value="77,760", source="subscriptions"),
            Fact(
                name="seat_use", value="14.6 daily active users on 60 seats (24%)", source="usage"
            ),
        ],
    )


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sunita, usage is down 30% over the last 30 days.",
        "Hi Sunita, your annual contract of $78k renews on May 18.",
        "Your plan (about 77,760 a year) renews on 18 May 2027.",
        "Ticket MW-1207, opened Nov 3, is with engineering.",
        "Seat use is at 0.24 of seats, 24% of 60.",
        "Renewal is on 2027-05-18, in 169 days. Could we talk for 20 minutes?",
        "Dear Ms. Sato,\n\nThank you for your time.",
        "Ask Sunita Sato about the Studio plan. Priya Raman, Meshwright",
    ],
)
def test_verify_accepts_supported_forms(sheet: FactSheet, text: str):
    result = verify_draft(text, sheet)

    assert result.ok, result.unsupported


@pytest.mark.parametrize(
    ("text", "invented"),
    [
        ("Usage is down 45% this month.", "45%"),
        ("Your 120 seats renew soon.", "120"),
        ("Your contract of $95,000 renews soon.", "$95,000"),
        ("We will have a fix by December 12, 2026.", "December 12, 2026"),
        ("Ticket MW-9999 is resolved.", "MW-9999"),
        ("Hi Marcus, checking in.", "Marcus"),
        ("Usage fell 90% last month.", "90%"),
        ("Seats are 60% used.", "60%"),
        ("Marcus Lee from finance approved the budget.", "Marcus Lee"),
        ("Thanks to Sunita and Olivia Grant for the review.", "Olivia Grant"),
    ],
)
def test_verify_rejects_invented_claim(sheet: FactSheet, text: str, invented: str):
    result = verify_draft(text, sheet)

    assert not result.ok
    assert invented in result.unsupported


def test_verify_rejects_other_accounts_names(sheet: FactSheet):
    text = "Hi Sunita, Linnea Lindqvist at Northwind Studios had the same problem."

    result = verify_draft(text, sheet, {"Linnea Lindqvist", "Northwind Studios"})

    assert not result.ok
    assert set(result.unsupported) == {"Linnea Lindqvist", "Northwind Studios"}


def test_verify_ignores_product_terms(sheet: FactSheet):
    assert verify_draft("Hi Sunita, the 3D pipeline and USDZ export are ready.", sheet).ok


def _email(subject: str, body: str) -> AIMessage:
    return AIMessage(content=json.dumps({"subject": subject, "body": body}))


def test_model_draft_with_invented_figure_is_retried(demo_store):
    account = demo_store.resolve_account("Northwind Studios")
    invented = _email("Your 500 seats", "Hi Linnea,\n\nAll 500 seats are active.\n\nBest,")
    corrected = _email("Checking in", "Hi Linnea,\n\nHow is the team getting on?\n\nBest,")
    model = ScriptedChatModel(replies=[invented, corrected])

    draft = draft_email(demo_store, account, "checkin", model=model, model_name="scripted")

    model.assert_done()
    retry_request = [m for m in model.calls[1] if isinstance(m, HumanMessage)][0]
    assert "not in the facts: 500" in retry_request.content
    assert draft.written_by == "model:scripted"
    assert draft.subject == "Checking in"
    assert draft.verification.ok


def test_model_draft_failing_twice_falls_back(demo_store):
    account = demo_store.resolve_account("Northwind Studios")
    bad = _email("Update", "Hi Linnea,\n\nTicket MW-9999 was fixed on March 3, 2026.\n\nBest,")
    model = ScriptedChatModel(replies=[bad, bad])

    draft = draft_email(demo_store, account, "checkin", model=model, model_name="scripted")

    model.assert_done()
    assert draft.written_by == "template"
    assert draft.verification.ok
    assert any("failed verification" in warning for warning in draft.warnings)


def test_template_drafts_verify_for_every_account(demo_store):
    from sqlalchemy import select

    from agent.drafting.facts import PURPOSES
    from agent.store import Account

    with demo_store.session() as session:
        accounts = list(session.scalars(select(Account)))
    failures = []
    for account in accounts:
        for purpose in PURPOSES:
            draft = draft_email(demo_store, account, purpose)
            if not draft.verification.ok:
                failures.append((account.id, purpose, draft.verification.unsupported))

    assert failures == []
