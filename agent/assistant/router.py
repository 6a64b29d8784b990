"""Route a request to one tool without a model, from keywords and the accounts it names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.store import Store
from agent.store.tables import Account

# Checked in order; the first intent whose pattern matches wins, and search is the fallback.
# Account-level intents need a named account; at_risk_accounts is book-wide unless one is
# named, in which case the account's health explains its risk.
INTENTS = (
    ("draft_email", re.compile(r"\b(draft|write|compose|e-?mail)\b", re.I)),
    (
        "at_risk_accounts",
        re.compile(
            r"\b(at[- ]risk|triage|need(s)? (my )?attention|riskiest|worst|which accounts)\b", re.I
        ),
    ),
    ("sentiment", re.compile(r"\b(sentiment|mood|feel|feeling|tone|happy|unhappy|upset)\b", re.I)),
    (
        "health",
        re.compile(
            r"\b(health|healthy|score|how is|how's|doing|red|green|yellow|renew\w*|seats?|"
            r"arr|plan|usage|churn\w*|why)\b",
            re.I,
        ),
    ),
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
# A misspelt account name ("Northwnd Studios") still matches at this rapidfuzz ratio.
FUZZY_MIN_SCORE = 88


@dataclass
class Route:
    """The tool chosen for a request, or `clarify` with the candidate accounts to ask about."""

    tool: str
    arguments: dict = field(default_factory=dict)


def _normalise(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


def _exact_mentions(words: str, accounts: list[Account]) -> list[Account]:
    found = []
    for account in accounts:
        labels = {_normalise(account.name), _normalise(account.id)}
        if any(label and f" {label} " in words for label in labels):
            found.append(account)
    # "Northwind Studios" also contains no shorter name, but "Acme" inside "Acme Labs" does:
    # keep only the longest names.
    longest = max((len(_normalise(a.name)) for a in found), default=0)
    return [
        a for a in found if len(_normalise(a.name)) == longest or f" {_normalise(a.id)} " in words
    ]


def _fuzzy_mentions(words: str, accounts: list[Account]) -> list[Account]:
    from rapidfuzz import fuzz

    tokens = words.split()
    scored = []
    for account in accounts:
        name = _normalise(account.name)
        size = len(name.split())
        spans = [" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]
        best = max((fuzz.ratio(name, span) for span in spans), default=0)
        if best >= FUZZY_MIN_SCORE:
            scored.append((best, account))
    if not scored:
        return []
    top = max(score for score, _account in scored)
    return [account for score, account in scored if score == top]


def _prefix_mentions(words: str, accounts: list[Account]) -> list[Account]:
    """Match a name given without its suffix ("Northwind" for "Northwind Studios")."""
    for token_count in (2, 1):
        candidates = {}
        for account in accounts:
            prefix = " ".join(_normalise(account.name).split()[:token_count])
            if len(prefix) >= 4 and f" {prefix} " in words:
                candidates[account.id] = account
        if candidates:
            return list(candidates.values())
    return []


def find_accounts(question: str, accounts: list[Account]) -> list[Account]:
    """Return the accounts the question names: exactly, misspelt, or by a leading word."""
    words = f" {_normalise(question)} "
    for finder in (_exact_mentions, _fuzzy_mentions, _prefix_mentions):
        found = finder(words, accounts)
        if found:
            return found
    return []


def find_account(question: str, accounts: list[Account]) -> Account | None:
    """Return the one account the question names, or None when it names none or several."""
    found = find_accounts(question, accounts)
    return found[0] if len(found) == 1 else None


def route(question: str, store: Store) -> Route:
    """Choose a tool and its arguments for the request."""
    from sqlalchemy import select

    with store.session() as session:
        accounts = list(session.scalars(select(Account)))
    mentioned = find_accounts(question, accounts)
    if len(mentioned) > 1:
        names = [f"{a.name} ({a.id})" for a in mentioned[:5]]
        return Route("clarify", {"candidates": names})
    account_ref = mentioned[0].id if mentioned else None
    for tool, pattern in INTENTS:
        if not pattern.search(question):
            continue
        if tool == "at_risk_accounts" and account_ref is None:
            return Route(tool)
        if account_ref is None:
            continue
        if tool == "draft_email":
            purpose = next((p for p, rx in PURPOSE_WORDS if rx.search(question)), "checkin")
            return Route(tool, {"account": account_ref, "purpose": purpose})
        if tool == "at_risk_accounts":
            return Route("health", {"account": account_ref})
        return Route(tool, {"account": account_ref})
    arguments: dict = {"query": question}
    if account_ref:
        arguments["account"] = account_ref
    kind = next((k for k, rx in KINDS if rx.search(question)), None)
    if kind and not (kind == "docs" and account_ref):
        arguments["kind"] = kind
    return Route("search", arguments)
