"""Measure an account over a quarter: usage, health, seats, surveys, tickets and renewal.

Every figure a deck states is recorded by `Figures` as a Fact with its source, in the form the
deck writes it, so that verification can check the deck's text against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from agent.drafting.deck.quarter import Quarter, measured_label
from agent.drafting.facts import Fact
from agent.drafting.verify import long_date
from agent.insights.components import is_active_on
from agent.insights.health import HealthReport, Signal, health_for
from agent.store import Contact, Store, Ticket
from agent.store.tables import Account, Survey, UsageRecord


class Figures:
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


@dataclass
class Usage:
    """Usage events this quarter to date against the whole previous quarter."""

    source: str
    previous_source: str
    rate_now: float
    rate_previous: float
    # Change in events a day, in whole percent, or None when the previous quarter had none.
    change: int | None
    line: str
    summary_line: str


@dataclass
class Seats:
    ratio: float | None
    source: str
    line: str


@dataclass
class Measures:
    """The figures and lines the deck's sections state about one account and quarter."""

    quarter: Quarter
    as_of: date
    now: HealthReport
    then: HealthReport
    recipient: Contact | None
    usage: Usage
    health_line: str
    health_summary_line: str
    seats: Seats
    survey_lines: list[str]
    survey_sources: list[str]
    # Tickets open on the as-of date, escalated first, then oldest first.
    open_tickets: list[Ticket]
    resolved: list[Ticket]
    renewal_line: str | None
    figures: Figures = field(default_factory=Figures)

    @property
    def escalated(self) -> list[Ticket]:
        return [t for t in self.open_tickets if t.escalated]

    @property
    def risk_signals(self) -> list[Signal]:
        return [s for s in self.now.signals if s.is_risk and s.name != "open_escalation"]


def usage_events(store: Store, account_id: str, start: date, end: date) -> int:
    with store.session() as session:
        total = session.scalar(
            select(func.sum(UsageRecord.usage_count)).where(
                UsageRecord.account_id == account_id,
                UsageRecord.usage_date >= start,
                UsageRecord.usage_date <= end,
            )
        )
    return int(total or 0)


def contact_for(contacts: list[Contact], role: str, as_of: date) -> Contact | None:
    active = [c for c in contacts if is_active_on(c, as_of)]
    for preferred in (role, "champion", "sponsor", "admin", "user"):
        for contact in active:
            if contact.role == preferred:
                return contact
    return active[0] if active else None


def plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _component(report: HealthReport, name: str):  # noqa: ANN202 - ScoredComponent
    return next((c for c in report.components if c.name == name), None)


def _score_text(report: HealthReport) -> str:
    if report.score is None:
        return "no score (no inputs)"
    return f"{report.score} ({report.band})"


def measure(
    store: Store, account: Account, quarter: Quarter, as_of: date, recipient_role: str
) -> Measures:
    """Compute every figure the deck states for the account and quarter."""
    with store.session() as session:
        contacts = list(session.scalars(select(Contact).where(Contact.account_id == account.id)))
        tickets = list(session.scalars(select(Ticket).where(Ticket.account_id == account.id)))
        surveys = list(
            session.scalars(
                select(Survey).where(
                    Survey.account_id == account.id,
                    Survey.response_date >= quarter.start,
                    Survey.response_date <= as_of,
                )
            )
        )
    figures = Figures()
    now = health_for(store, account.id, as_of)
    then = health_for(store, account.id, quarter.start)
    usage = _measure_usage(store, account.id, quarter, as_of, figures)
    survey_lines, survey_sources = _measure_surveys(surveys, quarter, figures)
    open_tickets, resolved = _measure_tickets(tickets, quarter, as_of, figures)
    renewal_line = None
    if now.renewal_date is not None and now.renewal_date >= as_of:
        renewal_line = (
            f"Renewal on {figures.day('renewal_date', now.renewal_date, 'subscriptions')}"
        )
    return Measures(
        quarter=quarter,
        as_of=as_of,
        now=now,
        then=then,
        recipient=contact_for(contacts, recipient_role, as_of),
        usage=usage,
        health_line=_health_line(now, then, quarter, as_of, figures),
        health_summary_line=(
            f"Health: {_score_text(now)}, against {_score_text(then)} at the start of "
            f"{quarter.label}."
        ),
        seats=_measure_seats(now, figures),
        survey_lines=survey_lines,
        survey_sources=survey_sources,
        open_tickets=open_tickets,
        resolved=resolved,
        renewal_line=renewal_line,
        figures=figures,
    )


def _measure_usage(
    store: Store, account_id: str, quarter: Quarter, as_of: date, figures: Figures
) -> Usage:
    # This quarter to date against the whole previous quarter, compared per day because the
    # current quarter is usually incomplete.
    prev = quarter.previous()
    usage_source = f"usage {quarter.start}..{as_of}"
    prev_source = f"usage {prev.start}..{prev.end}"
    figures.add("quarter_start", quarter.start, usage_source)
    figures.add("as_of", as_of, usage_source)
    figures.add("previous_quarter_start", prev.start, prev_source)
    figures.add("previous_quarter_end", prev.end, prev_source)

    days_now = (as_of - quarter.start).days + 1
    span = measured_label(quarter, as_of)
    days_prev = (prev.end - prev.start).days + 1
    events_now = usage_events(store, account_id, quarter.start, as_of)
    events_prev = usage_events(store, account_id, prev.start, prev.end)
    rate_now = events_now / days_now
    rate_prev = events_prev / days_prev
    change = round((rate_now / rate_prev - 1.0) * 100) if rate_prev else None

    usage_line = (
        f"Usage: {figures.add('usage_events', f'{events_now:,}', usage_source)} events in the "
        f"{figures.add('usage_days', days_now, usage_source)} days of {span} "
        f"({figures.add('usage_rate', f'{rate_now:,.1f}', usage_source)} a day), against "
        f"{figures.add('prior_usage_events', f'{events_prev:,}', prev_source)} in the "
        f"{figures.add('prior_usage_days', days_prev, prev_source)} days of {prev.label} "
        f"({figures.add('prior_usage_rate', f'{rate_prev:,.1f}', prev_source)} a day)"
    )
    rate_text = f"{rate_now:,.1f}"
    summary_line = f"Usage: {rate_text} events a day in {span}"
    if change is not None:
        change_text = figures.add("usage_change", f"{change:+d}%", usage_source)
        usage_line += f": {change_text} a day."
        summary_line += f", {change_text} against {prev.label}."
    else:
        usage_line += "."
        summary_line += f", against none in {prev.label}."
    return Usage(usage_source, prev_source, rate_now, rate_prev, change, usage_line, summary_line)


def _health_line(
    now: HealthReport, then: HealthReport, quarter: Quarter, as_of: date, figures: Figures
) -> str:
    figures.add("health_now", _score_text(now), "health model")
    figures.add("health_then", _score_text(then), "health model")
    return (
        f"Health: {_score_text(now)} on {figures.day('health_as_of', as_of, 'health model')}, "
        f"against {_score_text(then)} on "
        f"{figures.day('health_then_as_of', quarter.start, 'health model')} (health model)."
    )


def _measure_seats(now: HealthReport, figures: Figures) -> Seats:
    seat = _component(now, "seat_use")
    seat_ratio = seat.facts.get("ratio") if seat and seat.score is not None else None
    seat_source = ", ".join(seat.sources) if seat and seat.sources else "subscriptions"
    if seat_ratio is not None:
        figures.add("seat_window", seat_source, seat_source)
        seat_line = f"Seat use: {figures.add('seat_use', seat.detail, seat_source)}."
    else:
        seat_line = f"Seat use: not measured ({seat.detail if seat else 'no data'})."
    return Seats(seat_ratio, seat_source, seat_line)


def _measure_surveys(
    surveys: list[Survey], quarter: Quarter, figures: Figures
) -> tuple[list[str], list[str]]:
    """Return the NPS and CSAT lines and the surveys they cite."""
    label = quarter.label
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
            f"{plural(len(nps), 'response')} in {label}."
        )
    else:
        nps_line = f"NPS: no responses in {label}."
    if csat:
        mean = sum(s.score for s in csat) / len(csat)
        csat_line = (
            f"CSAT: mean {figures.add('csat_mean', f'{mean:.1f}', 'surveys')}/"
            f"{figures.add('csat_scale', 5, 'surveys')} over "
            f"{figures.add('csat_count', len(csat), 'surveys')} "
            f"{plural(len(csat), 'response')} in {label}."
        )
    else:
        csat_line = f"CSAT: no survey responses in {label}."
    return [nps_line, csat_line], survey_sources


def _measure_tickets(
    tickets: list[Ticket], quarter: Quarter, as_of: date, figures: Figures
) -> tuple[list[Ticket], list[Ticket]]:
    """Return the tickets open on the as-of date and those resolved during the quarter."""
    end_dt = datetime.combine(as_of, datetime.max.time())
    start_dt = datetime.combine(quarter.start, datetime.min.time())
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
    return open_tickets, resolved
