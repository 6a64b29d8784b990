"""Compute a deck's sections from an account's data, recording every figure with its source."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from agent.config import Settings
from agent.drafting.deck.document import SECTION_TITLES, Deck, Section
from agent.drafting.deck.quarter import parse_period
from agent.drafting.facts import Fact, build_fact_sheet
from agent.drafting.verify import Verification, long_date, verify_draft
from agent.errors import InputError
from agent.insights.book import default_as_of
from agent.insights.components import is_active_on
from agent.insights.health import HealthReport, health_for
from agent.store import Contact, Store, Ticket
from agent.store.tables import Account, Survey, UsageRecord

KINDS = {"qbr": "champion", "ebr": "sponsor"}
# Seat use at or above this share of seats makes expansion a decision to raise.
EXPANSION_SEAT_RATIO = 0.85


class _Figures:
    """Every figure the deck states, recorded as a Fact with its source as it is written."""

    def __init__(self) -> None:
        self.facts: list[Fact] = []

    def add(self, name: str, value: object, source: str) -> str:
        text = value.isoformat() if isinstance(value, date) else str(value)
        self.facts.append(Fact(name=name, value=text, source=source))
        return text

    def day(self, name: str, value: date, source: str) -> str:
        self.add(name, value, source)
        return long_date(value)


def _usage_events(store: Store, account_id: str, start: date, end: date) -> int:
    with store.session() as session:
        total = session.scalar(
            select(func.sum(UsageRecord.usage_count)).where(
                UsageRecord.account_id == account_id,
                UsageRecord.usage_date >= start,
                UsageRecord.usage_date <= end,
            )
        )
    return int(total or 0)


def _contact_for(contacts: list[Contact], role: str, as_of: date) -> Contact | None:
    active = [c for c in contacts if is_active_on(c, as_of)]
    for preferred in (role, "champion", "sponsor", "admin", "user"):
        for contact in active:
            if contact.role == preferred:
                return contact
    return active[0] if active else None


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _component(report: HealthReport, name: str):  # noqa: ANN202 - ScoredComponent
    return next((c for c in report.components if c.name == name), None)


def _score_text(report: HealthReport) -> str:
    if report.score is None:
        return "no score (no inputs)"
    return f"{report.score} ({report.band})"


def build_deck(
    store: Store,
    account: Account,
    kind: str = "qbr",
    period: str | None = None,
    settings: Settings | None = None,
) -> Deck:
    """Compute the deck's sections for the account and quarter, and verify its text."""
    kind = kind.lower()
    if kind not in KINDS:
        raise InputError(f"Invalid deck kind {kind!r}. Choose one of: qbr, ebr.")
    with store.session() as session:
        book_as_of = default_as_of(session)
        contacts = list(session.scalars(select(Contact).where(Contact.account_id == account.id)))
        tickets = list(session.scalars(select(Ticket).where(Ticket.account_id == account.id)))
    quarter = parse_period(period, book_as_of)
    as_of = min(quarter.end, book_as_of)
    end_dt = datetime.combine(as_of, datetime.max.time())
    start_dt = datetime.combine(quarter.start, datetime.min.time())
    with store.session() as session:
        surveys = list(
            session.scalars(
                select(Survey).where(
                    Survey.account_id == account.id,
                    Survey.response_date >= quarter.start,
                    Survey.response_date <= as_of,
                )
            )
        )
    figures = _Figures()
    now = health_for(store, account.id, as_of)
    then = health_for(store, account.id, quarter.start)
    recipient = _contact_for(contacts, KINDS[kind], as_of)
    warnings: list[str] = []
    if recipient is None or recipient.role != KINDS[kind]:
        warnings.append(
            f"No active {KINDS[kind]} among the contacts; the deck is addressed to "
            f"{recipient.name if recipient else 'the account team'}."
        )
    label, prev = quarter.label, quarter.previous()

    # Usage: this quarter to date against the whole previous quarter, compared per day
    # because the current quarter is usually incomplete.
    usage_source = f"usage {quarter.start}..{as_of}"
    prev_source = f"usage {prev.start}..{prev.end}"
    figures.add("quarter_start", quarter.start, usage_source)
    figures.add("as_of", as_of, usage_source)
    figures.add("previous_quarter_start", prev.start, prev_source)
    figures.add("previous_quarter_end", prev.end, prev_source)
    days_now = (as_of - quarter.start).days + 1
    days_prev = (prev.end - prev.start).days + 1
    events_now = _usage_events(store, account.id, quarter.start, as_of)
    events_prev = _usage_events(store, account.id, prev.start, prev.end)
    rate_now = events_now / days_now
    rate_prev = events_prev / days_prev
    change = round((rate_now / rate_prev - 1.0) * 100) if rate_prev else None
    usage_line = (
        f"Usage: {figures.add('usage_events', f'{events_now:,}', usage_source)} events in the "
        f"{figures.add('usage_days', days_now, usage_source)} days of {label} to date "
        f"({figures.add('usage_rate', f'{rate_now:,.1f}', usage_source)} a day), against "
        f"{figures.add('prior_usage_events', f'{events_prev:,}', prev_source)} in the "
        f"{figures.add('prior_usage_days', days_prev, prev_source)} days of {prev.label} "
        f"({figures.add('prior_usage_rate', f'{rate_prev:,.1f}', prev_source)} a day)"
    )
    if change is not None:
        usage_line += f": {figures.add('usage_change', f'{change:+d}%', usage_source)} a day."
    else:
        usage_line += "."

    # Health now and at the start of the quarter.
    figures.add("health_now", _score_text(now), "health model")
    figures.add("health_then", _score_text(then), "health model")
    health_line = (
        f"Health: {_score_text(now)} on {figures.day('health_as_of', as_of, 'health model')}, "
        f"against {_score_text(then)} on "
        f"{figures.day('health_then_as_of', quarter.start, 'health model')} (health model)."
    )
    seat = _component(now, "seat_use")
    seat_ratio = seat.facts.get("ratio") if seat and seat.score is not None else None
    seat_source = ", ".join(seat.sources) if seat and seat.sources else "subscriptions"
    if seat_ratio is not None:
        figures.add("seat_window", seat_source, seat_source)
        seat_line = f"Seat use: {figures.add('seat_use', seat.detail, seat_source)}."
    else:
        seat_line = f"Seat use: not measured ({seat.detail if seat else 'no data'})."

    nps = sorted((s for s in surveys if s.kind == "nps"), key=lambda s: s.response_date)
    csat = [s for s in surveys if s.kind == "csat"]
    survey_sources = [f"survey {s.id}" for s in nps + csat]
    for s in nps + csat:
        figures.add(f"survey_{s.id}", s.id, f"survey {s.id}")
    if nps:
        mean = sum(s.score for s in nps) / len(nps)
        nps_line = (
            f"NPS: mean score {figures.add('nps_mean', f'{mean:.1f}', 'surveys')}/"
            f"{figures.add('nps_scale', 10, 'surveys')} over "
            f"{figures.add('nps_count', len(nps), 'surveys')} "
            f"{_plural(len(nps), 'response')} in {label}."
        )
    else:
        nps_line = f"NPS: no responses in {label}."
    if csat:
        mean = sum(s.score for s in csat) / len(csat)
        csat_line = (
            f"CSAT: mean {figures.add('csat_mean', f'{mean:.1f}', 'surveys')}/"
            f"{figures.add('csat_scale', 5, 'surveys')} over "
            f"{figures.add('csat_count', len(csat), 'surveys')} "
            f"{_plural(len(csat), 'response')} in {label}."
        )
    else:
        csat_line = f"CSAT: no survey responses in {label}."

    # Tickets: open at the as-of date, resolved during the quarter.
    open_tickets = sorted(
        (
            t
            for t in tickets
            if t.submitted_at <= end_dt and (t.closed_at is None or t.closed_at > end_dt)
        ),
        key=lambda t: (not t.escalated, t.submitted_at),
    )
    resolved = [t for t in tickets if t.closed_at is not None and start_dt <= t.closed_at <= end_dt]
    for t in open_tickets + resolved:
        figures.add(f"ticket_{t.id}", t.id, f"ticket {t.id}")
        figures.add(f"ticket_{t.id}_subject", t.subject or "", f"ticket {t.id}")
    escalated = [t for t in open_tickets if t.escalated]

    # Renewal.
    renewal_line = None
    if now.renewal_date is not None and now.renewal_date >= as_of:
        renewal_line = (
            f"Renewal on {figures.day('renewal_date', now.renewal_date, 'subscriptions')}"
        )

    # 1. Executive summary and decisions.
    summary = [health_line, usage_line]
    decisions: list[str] = []
    if renewal_line:
        decisions.append(f"Decision: confirm the {renewal_line[0].lower()}{renewal_line[1:]}.")
    if seat_ratio is not None and seat_ratio >= EXPANSION_SEAT_RATIO:
        pct = figures.add("seat_ratio", f"{seat_ratio:.0%}", seat_source)
        decisions.append(f"Decision: add seats; seat use is at {pct} of seats.")
    for t in escalated:
        decisions.append(f"Decision: agree how to resolve escalated ticket {t.id} ({t.subject}).")
    if not decisions:
        decisions.append("Decision: agree the goals for next quarter below.")
    summary += decisions
    summary_sources = ["health model", usage_source, prev_source]
    summary_sources += ["subscriptions"] if renewal_line else []
    summary_sources += [f"ticket {t.id}" for t in escalated]

    # 2. Results.
    results = [health_line, usage_line, seat_line, nps_line, csat_line]
    results_sources = ["health model", usage_source, prev_source, seat_source]
    results_sources += survey_sources or ["surveys (none in the quarter)"]

    # 3. Wins.
    wins: list[str] = []
    if change is not None and change > 0:
        wins.append(f"Daily usage grew {change}% against {prev.label}.")
    if resolved:
        count = figures.add("resolved_count", len(resolved), "tickets")
        wins.append(f"{count} {_plural(len(resolved), 'ticket')} resolved in {label}:")
        wins += [f"{t.id}: {t.subject or '(no subject)'}" for t in resolved[:5]]
    if now.score is not None and then.score is not None and now.score > then.score:
        gain = figures.add("health_gain", now.score - then.score, "health model")
        wins.append(f"Health score up {gain} points since the start of {label}.")
    if not wins:
        wins.append(f"No measured wins in {label}: the goals below aim to create them.")
    wins_sources = [usage_source, prev_source, "health model"]
    wins_sources += [f"ticket {t.id}" for t in resolved[:5]]

    # 4. Open issues.
    issues: list[str] = []
    for t in open_tickets[:6]:
        opened = figures.day(f"ticket_{t.id}_opened", t.submitted_at.date(), f"ticket {t.id}")
        tag = "escalated, " if t.escalated else ""
        action = (
            "escalation review with support lead; CSM reports status weekly"
            if t.escalated
            else "CSM follows up with support and confirms the fix with the customer"
        )
        issues.append(
            f"{t.id} ({tag}{t.priority or 'no'} priority, opened {opened}): "
            f"{t.subject or '(no subject)'}. Action: {action}."
        )
    if not open_tickets:
        issues.append(f"No open tickets on {long_date(as_of)}.")
    if change is not None and change < 0:
        issues.append(
            f"Daily usage fell {-change}% against {prev.label}. Action: CSM reviews feature "
            "use with the customer and runs an enablement session for the teams that slowed."
        )
    for signal in now.signals:
        if signal.is_risk and signal.name != "open_escalation":
            issues.append(f"Risk signal {signal.name.replace('_', ' ')}: {signal.detail}.")
            figures.add(f"signal_{signal.name}", signal.detail, "health model")
    issues_sources = [f"ticket {t.id}" for t in open_tickets[:6]] or ["tickets"]
    issues_sources += ["health model", usage_source, prev_source]

    # 5. Goals for next quarter: three measurable ones from the numbers.
    nxt = quarter.next()
    goal_end = figures.day("next_quarter_end", nxt.end, "calendar")
    target_rate = max(rate_now, rate_prev) * 1.1
    goals = [
        f"Raise usage to {figures.add('goal_usage_rate', f'{target_rate:,.1f}', usage_source)} "
        f"events a day in {nxt.label} (the better of the last two quarters plus "
        f"{figures.add('goal_growth', '10%', 'goal rule')}). "
        "Owners: customer (adoption), CSM (enablement sessions)."
    ]
    if seat_ratio is not None:
        target = min(1.0, seat_ratio + 0.1)
        goals.append(
            f"Raise seat use from {figures.add('seat_ratio_now', f'{seat_ratio:.0%}', seat_source)}"
            f" to {figures.add('goal_seat_ratio', f'{target:.0%}', seat_source)} by {goal_end}. "
            "Owners: customer (rollout to teams), CSM (training plan)."
        )
    else:
        goals.append(
            "Start reporting daily active users so seat use can be measured. "
            "Owners: customer (data), CSM (set-up)."
        )
    if open_tickets:
        count = figures.add("open_count", len(open_tickets), "tickets")
        goals.append(
            f"Close the {count} open {_plural(len(open_tickets), 'ticket')} by {goal_end}. "
            "Owners: CSM (support follow-up), customer (confirm fixes)."
        )
    else:
        target_score = min(100, (now.score or 0) + 5)
        goals.append(
            f"Raise the health score to {figures.add('goal_score', target_score, 'health model')}"
            f" by {goal_end}. Owners: CSM, customer."
        )
    goals_sources = [usage_source, prev_source, seat_source, "health model", "tickets"]

    # 6. Next steps.
    steps = [f"CSM sends this deck and the goals to {recipient.name if recipient else 'the team'}."]
    if renewal_line:
        steps.append(f"Customer confirms the plan for the r{renewal_line[1:]}.")
    if escalated:
        steps.append("CSM books the escalation review: " + ", ".join(t.id for t in escalated) + ".")
    steps.append(f"Both sides review the goals at the {nxt.label} review.")
    steps_sources = ["contacts", "subscriptions"] + [f"ticket {t.id}" for t in escalated]

    sections = [
        Section(SECTION_TITLES[0], summary, summary_sources),
        Section(SECTION_TITLES[1], results, results_sources),
        Section(SECTION_TITLES[2], wins, wins_sources),
        Section(SECTION_TITLES[3], issues, issues_sources),
        Section(SECTION_TITLES[4], goals, goals_sources),
        Section(SECTION_TITLES[5], steps, steps_sources),
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
        facts=figures.facts,
        warnings=warnings,
    )
    deck.verification = verify_deck(store, account, deck, settings)
    return deck


def verify_deck(
    store: Store, account: Account, deck: Deck, settings: Settings | None
) -> Verification:
    """Check the deck's text against the account's fact sheet plus the deck's own figures."""
    from agent.drafting.email import foreign_names

    # NOTE: the fact sheet is built as of the book's date, so for a past quarter the deck's own
    # figures carry most of the support.
    sheet = build_fact_sheet(store, account, "checkin", settings)
    sheet.facts = sheet.facts + deck.facts
    return verify_draft(deck.text(), sheet, foreign_names(store, account.id))
