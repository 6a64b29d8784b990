"""Route a request to one tool without a model, from keywords and the accounts it names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.store import Store
from agent.store.tables import Account

# Checked in order; the first intent whose pattern matches wins, and search is the fallback.
INTENTS = (
    ("draft_email", re.compile(r"\b(draft|write|compose|e-?mail)\b", re.I)),
    (
        "at_risk_accounts",
        re.compile(
            r"\b(at[- ]risk|triage|need(s)? (my )?attention|riskiest|worst|which accounts)\b", re.I
        ),
    ),
    ("sentiment", re.compile(r"\b(sentiment|mood|feel|feeling|tone|happy|unhappy|upset)\b", re.I)),
    ("health", re.compile(r"\b(health|healthy|score|how is|how's|doing|red|green|yellow)\b", re.I)),
)
PURPOSE_WORDS = (
    ("renewal", re.compile(r"\brenew", re.I)),
    ("onboarding", re.compile(r"\bonboard|\bwelcome|\bkick-?off", re.I)),
    ("risk", re.compile(r"\brisk|\bescalat|\bsave\b", re.I)),
    ("followup", re.compile(r"\bfollow[- ]?up|\bafter (the|our) call", re.I)),
)
KINDS = (
    ("tickets", re.compile(r"\btickets?\b|\bsupport\b", re.I)),
    ("notes", re.compile(r"\b(notes?|calls?|meetings?|said|say|told)\b", re.I)),
    ("docs", re.compile(r"\b(docs?|documentation|how do i|how to)\b", re.I)),
)


@dataclass
class Route:
    tool: str
    arguments: dict = field(default_factory=dict)


def _normalise(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


def find_account(question: str, accounts: list[Account]) -> Account | None:
    """Return the account whose name or id the question mentions (the longest match wins)."""
    words = f" {_normalise(question)} "
    best: Account | None = None
    best_length = 0
    for account in accounts:
        for label in (account.name, account.id):
            key = _normalise(label)
            if key and f" {key} " in words and len(key) > best_length:
                best, best_length = account, len(key)
    if best is not None:
        return best
    # A name given without its suffix ("Northwind" for "Northwind Studios") matches when
    # exactly one account starts with it.
    for token_count in (2, 1):
        candidates = {}
        for account in accounts:
            prefix = " ".join(_normalise(account.name).split()[:token_count])
            if len(prefix) >= 4 and f" {prefix} " in words:
                candidates[account.id] = account
        if len(candidates) == 1:
            return next(iter(candidates.values()))
    return None


def route(question: str, store: Store) -> Route:
    """Choose a tool and its arguments for the request."""
    from sqlalchemy import select

    with store.session() as session:
        accounts = list(session.scalars(select(Account)))
    account = find_account(question, accounts)
    account_ref = account.id if account else None
    for tool, pattern in INTENTS:
        if not pattern.search(question):
            continue
        if tool == "at_risk_accounts":
            return Route(tool)
        if account_ref is None:
            continue
        if tool == "draft_email":
            purpose = next((p for p, rx in PURPOSE_WORDS if rx.search(question)), "checkin")
            return Route(tool, {"account": account_ref, "purpose": purpose})
        return Route(tool, {"account": account_ref})
    arguments: dict = {"query": question}
    if account_ref:
        arguments["account"] = account_ref
    kind = next((k for k, rx in KINDS if rx.search(question)), None)
    if kind and not (kind == "docs" and account_ref):
        arguments["kind"] = kind
    return Route("search", arguments)
