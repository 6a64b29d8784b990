"""The assistant's tools as plain functions; the agent and the no-model router share them.

Each tool returns a ToolResult: text for the reader, the sources behind it, and the data
as a dict for `--json`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from agent.assistant.actions import ActionQueue
from agent.config import Settings
from agent.store import Store


@dataclass
class ToolResult:
    tool: str
    text: str
    sources: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ToolContext:
    """The settings, store and chat model (None without one) that every tool reads, and the
    queue where tools with side effects leave their proposals."""

    settings: Settings
    store: Store
    model: Any = None
    model_name: str = ""
    actions: ActionQueue = field(default_factory=ActionQueue)


def address(name: str | None, email: str | None) -> str:
    """Format a mail address for display, naming a missing email address."""
    if email is None:
        return f"{name or 'unknown'} (no email address)"
    return f"{name} <{email}>" if name else email


def format_hit(rank: int, hit, names: dict[str, str] | None = None) -> str:  # noqa: ANN001
    """Format one passage with its citation: title, kind, date, owner, source and span."""
    if hit.account_id:
        name = (names or {}).get(hit.account_id)
        owner = f"{name} ({hit.account_id})" if name else f"account {hit.account_id}"
    else:
        owner = "product docs"
    passage = " ".join(hit.text.split())
    return (
        f"[{rank}] {hit.title} ({hit.kind}, {hit.date or 'undated'}, {owner}; "
        f"source {hit.source_id}, chars {hit.start}-{hit.end}{_match(hit)})\n"
        f"    {passage}"
    )


def _match(hit) -> str:  # noqa: ANN001 - agent.retrieval.Hit
    """Say why a passage matched: its similarity to the query, and whether a word matched."""
    parts = []
    if hit.similarity is not None:
        parts.append(f"similarity {hit.similarity:.2f}")
    if hit.keyword_score is not None:
        parts.append("keyword match")
    return "".join(f", {part}" for part in parts)


# Ids such as ticket MW-1207 or complaint CFPB-3384392: looked up exactly before ranking.
_SOURCE_ID = re.compile(r"\b[A-Z][A-Z0-9]{0,7}-[A-Za-z0-9]*\d[A-Za-z0-9]*\b")
# Below this cosine similarity a passage rarely matches the query; when no passage reaches
# it and none matched a query word, the output warns.
WEAK_SCORE = 0.25


def _collapse(hits: list, k: int, seen: set[str]) -> list:  # noqa: ANN001 - agent.retrieval.Hit
    """Keep the best passage of each source, up to k, skipping sources already shown."""
    kept = []
    for hit in hits:
        if hit.source_id not in seen:
            seen.add(hit.source_id)
            kept.append(hit)
    return kept[:k]


def search(
    ctx: ToolContext,
    query: str,
    account: str | None = None,
    kind: str | None = None,
    k: int = 5,
    mode: str = "hybrid",
) -> ToolResult:
    """Search notes, tickets and docs; scoped to one account (plus shared docs) when given.

    An id in the query (ticket MW-1207) is looked up exactly first; the rest are ranked by
    `mode`: hybrid (dense and keyword fused), dense or keyword.
    """
    from agent.retrieval import open_index

    account_id = ctx.store.resolve_account(account).id if account else None
    kinds = [kind] if kind else ["tickets", "notes"]
    named = [f"{each}:{token}" for token in _SOURCE_ID.findall(query) for each in kinds]
    with open_index(ctx.settings) as index:
        exact = index.first_chunks(named, account_id) if named and kind != "docs" else []
        seen = {hit.source_id for hit in exact}
        ranked = index.search(query, k=3 * k, account_id=account_id, kind=kind, mode=mode)
        hits = (exact + _collapse(ranked, k, seen))[:k]
        empty_index = not hits and index.count() == 0
    if not hits:
        text = f"No passages match {query!r}."
        if empty_index:
            text += (
                " The index is empty: import notes, tickets or docs with `csm import`, or run "
                "`csm index rebuild` if the store already holds them."
            )
        return ToolResult("search", text, data={"query": query, "results": []})
    names = _account_names(ctx.store, {hit.account_id for hit in hits if hit.account_id})
    lines = [format_hit(rank, hit, names) for rank, hit in enumerate(hits, start=1)]
    best = max((hit.similarity or 0.0 for hit in hits), default=0.0)
    if not exact and best < WEAK_SCORE and all(hit.keyword_score is None for hit in hits):
        lines.insert(
            0,
            f"No close match: the most similar passage scores {best:.2f} and none shares a "
            "word with the question, so these may not answer it.",
        )
    return ToolResult(
        "search",
        "\n".join(lines),
        sources=[hit.source_id for hit in hits],
        data={
            "query": query,
            "results": [{**hit.__dict__, "exact_id_match": hit in exact} for hit in hits],
        },
    )


def _account_names(store: Store, account_ids: set[str]) -> dict[str, str]:
    from sqlalchemy import select

    from agent.store import Account

    if not account_ids:
        return {}
    with store.session() as session:
        rows = session.execute(select(Account.id, Account.name).where(Account.id.in_(account_ids)))
        return dict(rows.all())


def health(ctx: ToolContext, account: str) -> ToolResult:
    """Explain one account's health score: components, weights, drivers, missing inputs."""
    from agent.insights.health import health_for
    from agent.insights.render import health_text

    record = ctx.store.resolve_account(account)
    report = health_for(ctx.store, record.id)
    sources = sorted({s for c in report.components for s in c.sources})
    return ToolResult("health", health_text(report), sources, report.to_dict())


def account_brief(ctx: ToolContext, account: str) -> ToolResult:
    """Summarise one account: plan, renewal, health, usage, contacts, open tickets, notes."""
    from agent.drafting.facts import build_fact_sheet

    record = ctx.store.resolve_account(account)
    sheet = build_fact_sheet(ctx.store, record, "checkin", ctx.settings)
    lines = [f"{sheet.account_name} ({sheet.account_id}), as of {sheet.as_of}:"]
    lines += [f"- {fact.name}: {fact.value} (source: {fact.source})" for fact in sheet.facts]
    people = [
        f"{c.name} ({c.role or 'no role'}{'' if c.is_active else ', left'})" for c in sheet.contacts
    ]
    lines.append("- contacts: " + (", ".join(people) or "none on file"))
    for ticket in sheet.open_tickets:
        flag = ", escalated" if ticket.escalated else ""
        lines.append(f"- open ticket {ticket.id}: {ticket.subject} ({ticket.submitted}{flag})")
    for note in sheet.recent_notes:
        lines.append(f"- note {note.id}: {note.title} ({note.note_date})")
    sources = sorted({fact.source for fact in sheet.facts})
    return ToolResult("account_brief", "\n".join(lines), sources, sheet.model_dump(mode="json"))


def metrics(ctx: ToolContext, start: str | None = None, end: str | None = None) -> ToolResult:
    """Compute GRR, NRR and logo retention for the book over a period (default: a year)."""
    from datetime import date

    from agent.errors import InputError
    from agent.insights.metrics import metrics_text, retention_metrics

    try:
        period = [date.fromisoformat(value) if value else None for value in (start, end)]
    except ValueError:
        raise InputError(f"Dates must be YYYY-MM-DD; got start={start!r}, end={end!r}.") from None
    result = retention_metrics(ctx.store, *period)
    sources = [f"subscriptions from {result.period_start} to {result.period_end}"]
    return ToolResult("metrics", metrics_text(result), sources, asdict(result))


def at_risk(ctx: ToolContext, limit: int = 10) -> ToolResult:
    """List the accounts most at risk, each with its band and main driver."""
    from agent.insights.health import rank_book
    from agent.insights.render import triage_text

    reports = [r for r in rank_book(ctx.store, record=True) if r.at_risk][:limit]
    return ToolResult(
        "at_risk_accounts",
        triage_text(reports),
        sources=[f"health model as of {r.as_of}" for r in reports[:1]],
        data={"accounts": [r.to_dict() for r in reports]},
    )


def sentiment(ctx: ToolContext, account: str | None = None, text: str | None = None) -> ToolResult:
    """Score the sentiment of a text, or of an account's recent notes, tickets and comments."""
    from agent.insights.render import sentiment_text

    if text and ctx.model is not None:
        from agent.insights.model_sentiment import classify

        judged = classify(ctx.model, text)
        by = ctx.model_name if judged.by == "model" else "VADER"
        summary = f"{judged.label}: {judged.reason} ({by})"
        return ToolResult("sentiment", summary, [], {"text": text, **judged.model_dump()})
    if text:
        from agent.insights.sentiment import score_text

        score = score_text(text)
        summary = f"{score.label} (VADER compound {score.compound:+.2f})"
        return ToolResult(
            "sentiment", summary, [], {"text": text, **score.__dict__, "label": score.label}
        )
    if not account:
        return ToolResult("sentiment", "Name an account or give a text to score.")
    from agent.insights.account_sentiment import account_sentiment

    record = ctx.store.resolve_account(account)
    rolled = account_sentiment(ctx.store, record.id)
    rendered, sources, data = sentiment_text(record.name, rolled)
    return ToolResult("sentiment", rendered, sources, data)


def draft_email(ctx: ToolContext, account: str, purpose: str = "checkin") -> ToolResult:
    """Draft an email of the given purpose to the account's right contact."""
    record = ctx.store.resolve_account(account)
    draft = _draft(ctx, record, purpose)
    header = (
        f"To: {address(draft.to_name, draft.to_email)}\n"
        f"From: {address(draft.from_name, draft.from_email)}\n"
        f"Subject: {draft.subject}\n\n"
    )
    check = (
        "verified against the account's facts"
        if draft.verification.ok
        else ("NOT verified: unsupported " + ", ".join(draft.verification.unsupported))
    )
    text = header + draft.body + f"\n({draft.written_by} draft, {check})"
    for warning in draft.warnings:
        text += f"\nWarning: {warning}"
    sources = [fact.source for fact in draft.facts.facts]
    return ToolResult("draft_email", text, sorted(set(sources)), draft.model_dump(mode="json"))


def draft_ebr(
    ctx: ToolContext, account: str, kind: str = "qbr", period: str | None = None
) -> ToolResult:
    """Write a QBR or EBR deck (Markdown) to the outbox and return its text."""
    from agent.drafting.deck import render_markdown, write_deck

    record = ctx.store.resolve_account(account)
    deck, path = write_deck(
        ctx.store, record, ctx.settings, kind, period, "md", ctx.model, ctx.model_name
    )
    check = deck.verification
    status = (
        "verified against the account's facts"
        if check is None or check.ok
        else "NOT verified: unsupported " + ", ".join(check.unsupported)
    )
    text = f"Deck saved to {path} ({status}).\n\n{render_markdown(deck)}"
    data = {
        "path": str(path),
        "kind": deck.kind,
        "period": deck.quarter.code,
        "verified": check is None or check.ok,
        "warnings": deck.warnings,
    }
    return ToolResult("draft_ebr", text, [f"deck {path.name}"], data)


def _draft(ctx: ToolContext, record, purpose: str, to: str | None = None):  # noqa: ANN001, ANN202
    """Draft an email for the account, with the context's model when there is one."""
    from agent.drafting.email import draft_email as build

    return build(
        ctx.store,
        record,
        purpose,
        model=ctx.model,
        model_name=ctx.model_name,
        settings=ctx.settings,
        to=to,
    )


def schedule_followup(
    ctx: ToolContext,
    account: str,
    on: str,
    purpose: str = "followup",
    contact: str | None = None,
) -> ToolResult:
    """Propose a follow-up email on a date; it is saved only when the CSM confirms it."""
    from agent.assistant.actions import parse_followup_date

    record = ctx.store.resolve_account(account)
    send_on = parse_followup_date(on)
    draft = _draft(ctx, record, purpose, contact)
    if not draft.verification.ok:
        unsupported = ", ".join(draft.verification.unsupported)
        return ToolResult(
            "schedule_followup",
            f"Not scheduled: the draft failed verification (unsupported: {unsupported}).",
        )
    to = address(draft.to_name, draft.to_email)
    target = f" --to {contact!r}" if contact else ""
    action = ctx.actions.propose(
        kind="schedule_followup",
        account_id=record.id,
        account_name=record.name,
        summary=f"Schedule a {purpose} email to {to} for {send_on}: {draft.subject!r}",
        command=f"csm draft email {record.name!r} --purpose {purpose}{target}",
        values={"draft": draft, "send_on": send_on},
    )
    text = (
        f"Proposed action {action.number}, waiting for the CSM: {action.summary}.\n"
        f"Draft:\n{draft.body}\n"
        "Nothing is saved or sent until the CSM confirms it."
    )
    return ToolResult("schedule_followup", text, sorted({f.source for f in draft.facts.facts}))


def set_health_override(
    ctx: ToolContext, account: str, score: int, note: str, days: int = 90
) -> ToolResult:
    """Propose a manual health score; it is written only when the CSM confirms it."""
    from agent.errors import InputError

    record = ctx.store.resolve_account(account)
    if not 0 <= score <= 100:
        raise InputError(f"Override score {score} is out of range; give 0 to 100.")
    if not note.strip():
        raise InputError("An override needs a note saying why.")
    action = ctx.actions.propose(
        kind="set_health_override",
        account_id=record.id,
        account_name=record.name,
        summary=f"Set {record.name}'s health to {score} for {days} days ({note.strip()!r})",
        command=(
            f"csm health override {record.name!r} --score {score} --note {note.strip()!r} "
            f"--days {days}"
        ),
        values={"score": score, "note": note.strip(), "days": days},
    )
    text = (
        f"Proposed action {action.number}, waiting for the CSM: {action.summary}. "
        "Nothing changes until the CSM confirms it."
    )
    return ToolResult("set_health_override", text)


def apply_action(ctx: ToolContext, action) -> str:  # noqa: ANN001 - actions.PendingAction
    """Carry out a confirmed action and say what changed."""
    if action.kind == "schedule_followup":
        from agent.assistant.actions import save_scheduled

        path = save_scheduled(
            action.values["draft"], ctx.settings.outbox_dir, action.values["send_on"]
        )
        return f"Scheduled: {action.summary}. Saved to {path}; nothing is sent from there."
    from agent.insights.overrides import set_override

    override = set_override(
        ctx.store,
        action.account_id,
        action.values["score"],
        action.values["note"],
        days=action.values["days"],
        author="csm chat",
    )
    return f"Override set for {action.account_name}: {override.score} until {override.expires_on}."
