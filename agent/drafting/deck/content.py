"""Write a deck's six sections from an account's measures, and verify the deck's text."""

from __future__ import annotations

from agent.config import Settings
from agent.drafting.deck.document import SECTION_TITLES, Bullet, Deck, Section
from agent.drafting.deck.measures import Measures, measure, plural
from agent.drafting.deck.narrative import write_narrative
from agent.drafting.deck.quarter import measured_label, parse_period
from agent.drafting.email import foreign_names
from agent.drafting.facts import FactSheet, build_fact_sheet
from agent.drafting.verify import Verification, long_date, verify_draft
from agent.errors import InputError
from agent.insights.book import default_as_of
from agent.store import Store
from agent.store.tables import Account

KINDS = {"qbr": "champion", "ebr": "sponsor"}
# Seat use at or above this share of seats makes expansion a decision to raise.
EXPANSION_SEAT_RATIO = 0.85
# The summary names an escalated ticket's subject in at most this many characters. The open
# issues slide gives it whole.
SUMMARY_SUBJECT_CHARS = 60


def build_deck(
    store: Store,
    account: Account,
    kind: str = "qbr",
    period: str | None = None,
    settings: Settings | None = None,
    model=None,  # noqa: ANN001 - a LangChain chat model or None
    model_name: str = "",
) -> Deck:
    """Compute the deck's sections for the account and quarter, and verify its text.

    With a model, the model writes the summary, wins and next steps from the fact sheet. A
    part that fails verification twice keeps its template text.
    """
    kind = kind.lower()
    if kind not in KINDS:
        raise InputError(f"Invalid deck kind {kind!r}. Choose one of: qbr, ebr.")
    with store.session() as session:
        book_as_of = default_as_of(session)
    quarter = parse_period(period, book_as_of)
    as_of = min(quarter.end, book_as_of)
    measured = measure(store, account, quarter, as_of, KINDS[kind])
    recipient = measured.recipient
    warnings: list[str] = []
    if recipient is None or recipient.role != KINDS[kind]:
        warnings.append(
            f"No active {KINDS[kind]} among the contacts; the deck is addressed to "
            f"{recipient.name if recipient else 'the account team'}."
        )
    sections = [
        _summary(measured),
        _results(measured),
        _wins(measured),
        _open_issues(measured),
        _goals(measured),
        _next_steps(measured),
    ]
    deck = Deck(
        account_id=account.id,
        account_name=account.name,
        kind=kind,
        quarter=quarter,
        as_of=as_of,
        recipient_name=recipient.name if recipient else None,
        recipient_role=recipient.role if recipient else None,
        presenter=account.csm_name or (settings.sender_name if settings else None),
        sections=sections,
        facts=measured.figures.facts,
        warnings=warnings,
    )
    sheet = deck_fact_sheet(store, account, deck, settings)
    others = foreign_names(store, account.id)
    if model is not None:
        write_narrative(model, model_name, deck, sheet, others)
    deck.verification = verify_draft(deck.text(), sheet, others)
    return deck


def _summary(measured: Measures) -> Section:
    """Write the executive summary: health, usage and the decisions wanted up front."""
    figures, usage, seats = measured.figures, measured.usage, measured.seats
    summary = [measured.health_summary_line, usage.summary_line]
    decisions: list[str] = []
    if measured.renewal_line:
        renewal = measured.renewal_line
        decisions.append(f"Decision: confirm the {renewal[0].lower()}{renewal[1:]}.")
    if seats.ratio is not None and seats.ratio >= EXPANSION_SEAT_RATIO:
        pct = figures.add("seat_ratio", f"{seats.ratio:.0%}", seats.source)
        decisions.append(f"Decision: add seats; seat use is at {pct} of seats.")
    for t in measured.escalated:
        subject = _brief(t.subject or "no subject")
        decisions.append(f"Decision: agree how to resolve escalated ticket {t.id} ({subject}).")
    if not decisions:
        decisions.append("Decision: agree the goals for next quarter below.")
    summary += decisions
    sources = ["health model", usage.source, usage.previous_source]
    sources += ["subscriptions"] if measured.renewal_line else []
    sources += [f"ticket {t.id}" for t in measured.escalated]
    return Section(SECTION_TITLES[0], [Bullet(text) for text in summary], sources)


def _results(measured: Measures) -> Section:
    usage, seats = measured.usage, measured.seats
    results = [measured.health_line, usage.line, seats.line, *measured.survey_lines]
    sources = ["health model", usage.source, usage.previous_source, seats.source]
    sources += measured.survey_sources or ["surveys (none in the quarter)"]
    return Section(SECTION_TITLES[1], [Bullet(text) for text in results], sources)


def _wins(measured: Measures) -> Section:
    figures, usage, label = measured.figures, measured.usage, measured.quarter.label
    wins: list[Bullet] = []
    if usage.change is not None and usage.change > 0:
        previous = measured.quarter.previous().label
        wins.append(Bullet(f"Daily usage grew {usage.change}% against {previous}."))
    if measured.resolved:
        count = figures.add("resolved_count", len(measured.resolved), "tickets")
        tickets = plural(len(measured.resolved), "ticket")
        wins.append(Bullet(f"{count} {tickets} resolved in {label}:"))
        wins += [Bullet(_ticket_title(t), level=1) for t in measured.resolved[:5]]
    now, then = measured.now.score, measured.then.score
    if now is not None and then is not None and now > then:
        gain = figures.add("health_gain", now - then, "health model")
        wins.append(Bullet(f"Health score up {gain} points since the start of {label}."))
    if not wins:
        wins.append(Bullet(f"No measured wins in {label}: the goals below aim to create them."))
    sources = [usage.source, usage.previous_source, "health model"]
    sources += [f"ticket {t.id}" for t in measured.resolved[:5]]
    return Section(SECTION_TITLES[2], wins, sources)


def _open_issues(measured: Measures) -> Section:
    """List open tickets, a usage drop and risk signals, each with the action taken."""
    figures, usage = measured.figures, measured.usage
    issues: list[Bullet] = []
    for t in measured.open_tickets[:6]:
        opened = figures.day(f"ticket_{t.id}_opened", t.submitted_at.date(), f"ticket {t.id}")
        tag = "escalated, " if t.escalated else ""
        action = (
            "escalation review with support lead; CSM reports status weekly"
            if t.escalated
            else "CSM follows up with support and confirms the fix with the customer"
        )
        subject = _sentence(t.subject or "(no subject)")
        issues.append(
            Bullet(f"{t.id} ({tag}{t.priority or 'no'} priority, opened {opened}): {subject}")
        )
        issues.append(Bullet(f"Action: {action}.", level=1))
    if not measured.open_tickets:
        issues.append(Bullet(f"No open tickets on {long_date(measured.as_of)}."))
    if usage.change is not None and usage.change < 0:
        previous = measured.quarter.previous().label
        issues.append(Bullet(f"Daily usage fell {-usage.change}% against {previous}."))
        issues.append(
            Bullet(
                "Action: CSM reviews feature use with the customer and runs an enablement "
                "session for the teams that slowed.",
                level=1,
            )
        )
    for signal in measured.risk_signals:
        issues.append(Bullet(f"Risk signal {signal.name.replace('_', ' ')}: {signal.detail}."))
        figures.add(f"signal_{signal.name}", signal.detail, "health model")
    sources = [f"ticket {t.id}" for t in measured.open_tickets[:6]] or ["tickets"]
    sources += ["health model", usage.source, usage.previous_source]
    return Section(SECTION_TITLES[3], issues, sources)


def _brief(text: str, max_chars: int = SUMMARY_SUBJECT_CHARS) -> str:
    """Cut the text at a word boundary to at most `max_chars`, marking the cut with an ellipsis."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "\u2026"


def _sentence(text: str) -> str:
    """End the text with a full stop unless it already ends a sentence."""
    return text if text.rstrip().endswith((".", "?", "!")) else text + "."


def _ticket_title(ticket) -> str:  # noqa: ANN001 - agent.store.Ticket
    return _sentence(f"{ticket.id}: {ticket.subject or '(no subject)'}")


def _goals(measured: Measures) -> Section:
    """Set three measurable goals for next quarter from the numbers, with owners."""
    figures, usage, seats = measured.figures, measured.usage, measured.seats
    nxt = measured.quarter.next()
    goal_end = figures.day("next_quarter_end", nxt.end, "calendar")
    goals = [_usage_goal(measured)]
    if seats.ratio is not None:
        target = min(1.0, seats.ratio + 0.1)
        now_text = figures.add("seat_ratio_now", f"{seats.ratio:.0%}", seats.source)
        goals.append(
            f"Raise seat use from {now_text}"
            f" to {figures.add('goal_seat_ratio', f'{target:.0%}', seats.source)} by {goal_end}. "
            "Owners: customer (rollout to teams), CSM (training plan)."
        )
    else:
        goals.append(
            "Start reporting daily active users so seat use can be measured. "
            "Owners: customer (data), CSM (set-up)."
        )
    if measured.open_tickets:
        count = figures.add("open_count", len(measured.open_tickets), "tickets")
        goals.append(
            f"Close the {count} open {plural(len(measured.open_tickets), 'ticket')} by {goal_end}. "
            "Owners: CSM (support follow-up), customer (confirm fixes)."
        )
    else:
        target_score = min(100, (measured.now.score or 0) + 5)
        goals.append(
            f"Raise the health score to {figures.add('goal_score', target_score, 'health model')}"
            f" by {goal_end}. Owners: CSM, customer."
        )
    sources = [usage.source, usage.previous_source, seats.source, "health model", "tickets"]
    return Section(SECTION_TITLES[4], [Bullet(text) for text in goals], sources)


def _usage_goal(measured: Measures) -> str:
    usage, nxt = measured.usage, measured.quarter.next()
    target_rate = max(usage.rate_now, usage.rate_previous) * 1.1
    if target_rate == 0:
        # Ten percent more than nothing is nothing: ask for use to restart instead.
        return (
            f"Restart use in {nxt.label}: no usage events were recorded in "
            f"{measured.quarter.previous().label} or in "
            f"{measured_label(measured.quarter, measured.as_of)}. "
            "Owners: customer (adoption), CSM (re-onboarding plan)."
        )
    target = measured.figures.add("goal_usage_rate", f"{target_rate:,.1f}", usage.source)
    growth = measured.figures.add("goal_growth", "10%", "goal rule")
    return (
        f"Raise usage to {target} events a day in {nxt.label} (the better of the last two "
        f"quarters plus {growth}). Owners: customer (adoption), CSM (enablement sessions)."
    )


def _next_steps(measured: Measures) -> Section:
    recipient = measured.recipient.name if measured.recipient else "the team"
    steps = [f"CSM sends this deck and the goals to {recipient}."]
    if measured.renewal_line:
        steps.append(f"Customer confirms the plan for the r{measured.renewal_line[1:]}.")
    if measured.escalated:
        ids = ", ".join(t.id for t in measured.escalated)
        steps.append(f"CSM books the escalation review: {ids}.")
    steps.append(f"Both sides review the goals at the {measured.quarter.next().label} review.")
    sources = ["contacts", "subscriptions"] + [f"ticket {t.id}" for t in measured.escalated]
    return Section(SECTION_TITLES[5], [Bullet(text) for text in steps], sources)


def deck_fact_sheet(
    store: Store, account: Account, deck: Deck, settings: Settings | None
) -> FactSheet:
    """Return the account's fact sheet plus every figure the deck computes."""
    # NOTE: the fact sheet is built as of the book's date, so for a past quarter the deck's own
    # figures carry most of the support.
    sheet = build_fact_sheet(store, account, "checkin", settings)
    sheet.facts = sheet.facts + deck.facts
    return sheet


def verify_deck(
    store: Store, account: Account, deck: Deck, settings: Settings | None
) -> Verification:
    """Check the deck's text against the account's fact sheet plus the deck's own figures."""
    sheet = deck_fact_sheet(store, account, deck, settings)
    return verify_draft(deck.text(), sheet, foreign_names(store, account.id))
