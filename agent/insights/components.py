"""The health model's components: each turns one kind of evidence into a 0-100 score.

A component returns a score of None when its input is missing; the model then drops it and
spreads its weight over the others, so missing data never counts as a zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from agent.insights.book import AccountData, UsageWindow
from agent.insights.renewal import renewal_date_for
from agent.insights.sentiment import ScoredItem, roll_up, score_text


@dataclass
class Component:
    """One scored input of the health model, with its evidence.

    Attributes:
        name: machine name, e.g. `usage_trend`.
        label: what a CSM reads, e.g. `Usage trend`.
        weight: the base weight; renormalised over the components that are present.
        score: 0-100, or None when the input is missing.
        detail: the measured value in words, e.g. `events down 42% (last 30 days vs prior 30)`.
        sources: citations for the evidence (table and date range, ticket or note ids).
        facts: the measured values behind `detail`, for rules and JSON output.
    """

    name: str
    label: str
    weight: float
    score: float | None
    detail: str
    sources: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


def _interpolate(value: float, points: list[tuple[float, float]]) -> float:
    """Map `value` through a piecewise-linear curve given as (input, score) cut-points."""
    if value <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if value <= x1:
            return y0 + (y1 - y0) * (value - x0) / (x1 - x0)
    return points[-1][1]


# Change in usage events between the two windows, as a fraction, to score.
USAGE_TREND_CURVE = [(-0.5, 0.0), (-0.2, 40.0), (0.0, 70.0), (0.25, 100.0)]
# Mean daily active users divided by seats, to score.
SEAT_USE_CURVE = [(0.1, 0.0), (0.4, 50.0), (0.8, 100.0)]
# Recency-weighted VADER compound, to score.
SENTIMENT_CURVE = [(-0.5, 0.0), (0.0, 50.0), (0.6, 100.0)]
# Days to renewal, to score: the closer the renewal, the less time to fix anything.
RENEWAL_CURVE = [(0.0, 30.0), (30.0, 50.0), (90.0, 85.0), (180.0, 100.0)]


def _change(recent: float, before: float) -> float | None:
    return None if before == 0 else (recent - before) / before


# A usage trend needs at least this many days of history before the recent window.
MIN_PRIOR_DAYS = 7


def _rate_text(window: UsageWindow, days: int) -> str:
    if window.days == days:
        return f"{window.events:,} in the {days} days before"
    return f"{window.per_window(days):,.0f} per {days} days over the {window.days} days before"


def usage_trend(data: AccountData) -> Component:
    """Score the recent usage rate against the window before it and the longer baseline.

    Rates are events per day over the days since the account's first use, so a young
    account's half-empty window does not read as growth. The lower of the two changes is
    scored: a decline spread over three months shows against the baseline even when the
    last month is level with the one before.
    """
    recent, prior, baseline = data.recent_usage, data.prior_usage, data.baseline_usage
    label = "Usage trend"
    if recent is None or prior is None or data.last_usage is None:
        return Component("usage_trend", label, 0.25, None, "no usage recorded")
    days = recent.end.toordinal() - recent.start.toordinal()
    before = [w for w in (prior, baseline) if w is not None and w.events > 0]
    if recent.events == 0 and not before:
        # Usage that stopped is the strongest warning there is, not a missing input.
        detail = f"no usage in the last {days} days or before them; last use on {data.last_usage}"
        facts = {
            "change": -1.0,
            "compared_with": f"the {days} days before",
            "recent": 0,
            "prior": 0,
            "window_days": days,
            "last_usage": data.last_usage.isoformat(),
        }
        return Component(
            "usage_trend", label, 0.25, 0.0, detail, [f"usage {data.last_usage}"], facts
        )
    if prior.days < MIN_PRIOR_DAYS:
        detail = f"first use on {data.first_usage}: too little history for a trend"
        return Component("usage_trend", label, 0.25, None, detail)
    recent_rate = recent.per_window(days)
    first = (baseline or prior).end - timedelta(days=(baseline or prior).days - 1)
    source = f"usage {first}..{recent.end}"
    short = _change(recent_rate, prior.per_window(days))
    long = _change(recent_rate, baseline.per_window(days)) if baseline else None
    if short is None and long is None:
        detail = f"{recent.events:,} events in the last {days} days, none in the days before"
        facts = {"change": None, "recent": recent.events, "prior": 0, "window_days": days}
        return Component("usage_trend", label, 0.25, 100.0, detail, [source], facts)
    candidates = [c for c in (short, long) if c is not None]
    change = min(candidates)
    versus = baseline if change is long else prior
    direction = "up" if change >= 0 else "down"
    detail = (
        f"events {direction} {abs(change):.0%} ({recent_rate:,.0f} in the last {days} days "
        f"vs {_rate_text(versus, days)})"
    )
    facts = {
        "change": round(change, 4),
        "compared_with": (
            f"the average over the {versus.days} days before"
            if versus is baseline or versus.days != days
            else f"the {days} days before"
        ),
        "change_vs_prior": None if short is None else round(short, 4),
        "change_vs_baseline": None if long is None else round(long, 4),
        "recent": recent.events,
        "prior": prior.events,
        "window_days": days,
    }
    score = _interpolate(change, USAGE_TREND_CURVE)
    return Component("usage_trend", label, 0.25, score, detail, [source], facts)


def seat_use(data: AccountData) -> Component:
    label = "Seat use"
    subscription = data.current_subscription()
    seats = (subscription.seats if subscription else None) or data.account.seats
    if data.mean_daily_active_users is None or not seats:
        reason = "no seat count" if not seats else "no active-user counts in the usage data"
        return Component("seat_use", label, 0.15, None, reason)
    ratio = data.mean_daily_active_users / seats
    detail = (
        f"{data.mean_daily_active_users:.1f} daily active users on {seats} seats ({ratio:.0%}), "
        f"mean over the {data.days_with_users} days with usage in the last 30"
    )
    source = f"usage {data.as_of - timedelta(days=29)}..{data.as_of}"
    score = _interpolate(ratio, SEAT_USE_CURVE)
    facts = {"ratio": round(ratio, 4), "seats": seats}
    return Component("seat_use", label, 0.15, score, detail, [source], facts)


def is_active_on(contact, as_of: date) -> bool:  # noqa: ANN001 - store row
    """Return whether the contact was still with the account on `as_of`.

    A `left_on` date decides, so a past date does not see a later departure; without one,
    the contact's current `is_active` flag is all there is.
    """
    if contact.left_on is not None:
        return contact.left_on > as_of
    return contact.is_active is not False


def _ticket_is_open(ticket, as_of: date) -> bool:  # noqa: ANN001 - store row
    as_of_end = datetime.combine(as_of, datetime.max.time())
    if ticket.closed_at is not None:
        return ticket.closed_at > as_of_end
    return ticket.status != "closed"


def support(data: AccountData) -> Component:
    label = "Support load"
    if data.ticket_count_all == 0:
        return Component("support", label, 0.15, None, "no ticket history for this account")
    open_tickets = [t for t in data.tickets if _ticket_is_open(t, data.as_of)]
    escalated = [t for t in open_tickets if t.escalated]
    severe = [t for t in open_tickets if (t.priority or "").lower() in ("high", "urgent")]
    stale = [t for t in open_tickets if (data.as_of - t.submitted_at.date()).days > 14]
    penalty = 8 * len(open_tickets) + 25 * len(escalated) + 10 * len(severe) + 8 * len(stale)
    score = max(0.0, 100.0 - penalty)
    if not open_tickets:
        detail = "no open tickets"
    else:
        detail = (
            f"{len(open_tickets)} open ({len(escalated)} escalated, {len(severe)} high or "
            f"urgent, {len(stale)} open over 14 days)"
        )
    worst = sorted(open_tickets, key=lambda t: (not t.escalated, t.submitted_at))[:3]
    facts = {
        "open": len(open_tickets),
        "escalated": len(escalated),
        "high_or_urgent": len(severe),
        "open_over_14_days": len(stale),
    }
    sources = [f"ticket {t.id}" for t in worst]
    return Component("support", label, 0.15, score, detail, sources, facts)


def scored_items(data: AccountData) -> list[ScoredItem]:
    """Score the account's recent notes, ticket texts and survey comments."""
    items: list[ScoredItem] = []
    for note in data.notes:
        text = note.body or ""
        items.append(
            ScoredItem(
                f"note {note.id}", "note", note.note_date, note.title or "", score_text(text)
            )
        )
    for ticket in data.tickets:
        text = " ".join(part for part in (ticket.subject, ticket.body) if part)
        if text and ticket.body:
            day = ticket.submitted_at.date()
            items.append(
                ScoredItem(
                    f"ticket {ticket.id}", "ticket", day, ticket.subject or "", score_text(text)
                )
            )
    for survey in data.surveys:
        if survey.comment:
            title = f"{survey.kind.upper()} {survey.score:g}"
            items.append(
                ScoredItem(
                    f"survey {survey.id}",
                    "survey",
                    survey.response_date,
                    title,
                    score_text(survey.comment),
                )
            )
    return items


def sentiment(data: AccountData) -> Component:
    label = "Sentiment"
    rolled = roll_up(scored_items(data), data.as_of)
    if rolled is None:
        return Component("sentiment", label, 0.10, None, "no notes, ticket texts or comments")
    worst = rolled.most_negative()
    detail = (
        f"{rolled.label} ({rolled.compound:+.2f} VADER compound, recency-weighted over "
        f"{len(rolled.items)} items)"
    )
    sources = [item.source_id for item in rolled.items[:2]]
    if worst is not None and worst.score.compound < 0 and worst.source_id not in sources:
        sources.append(worst.source_id)
    score = _interpolate(rolled.compound, SENTIMENT_CURVE)
    return Component("sentiment", label, 0.10, score, detail, sources)


def surveys(data: AccountData) -> Component:
    label = "NPS and CSAT"
    nps = sorted((s for s in data.surveys if s.kind == "nps"), key=lambda s: s.response_date)
    csat = [s.score for s in data.surveys if s.kind == "csat"]
    csat += [t.satisfaction_score for t in data.tickets if t.satisfaction_score is not None]
    parts: list[float] = []
    details: list[str] = []
    sources: list[str] = []
    if nps:
        latest = nps[-1]
        parts.append(latest.score * 10.0)
        details.append(f"latest NPS response {latest.score:g}/10 on {latest.response_date}")
        sources.append(f"survey {latest.id}")
    if csat:
        mean = sum(csat) / len(csat)
        parts.append((mean - 1.0) / 4.0 * 100.0)
        details.append(f"mean CSAT {mean:.1f}/5 over {len(csat)} responses")
    if not parts:
        return Component("surveys", label, 0.15, None, "no NPS or CSAT in the last 180 days")
    return Component("surveys", label, 0.15, sum(parts) / len(parts), "; ".join(details), sources)


def renewal(data: AccountData) -> Component:
    label = "Renewal proximity"
    subscription = data.current_subscription()
    when = renewal_date_for(subscription, data.as_of) if subscription else None
    if subscription is None or when is None:
        return Component("renewal", label, 0.10, None, "no renewal date")
    days = (when - data.as_of).days
    if days < 0:
        detail = f"renewal date {when} passed {-days} days ago"
        return Component("renewal", label, 0.10, None, detail, [f"subscription {subscription.id}"])
    detail = f"renews on {when}, in {days} day{'s' if days != 1 else ''}"
    score = _interpolate(days, RENEWAL_CURVE)
    sources = [f"subscription {subscription.id}"]
    return Component("renewal", label, 0.10, score, detail, sources, {"days": days})


def stakeholders(data: AccountData) -> Component:
    label = "Champion and sponsor"
    if not data.contacts:
        return Component("stakeholders", label, 0.10, None, "no contacts")
    champions = [c for c in data.contacts if c.role == "champion"]
    active_champions = [c for c in champions if is_active_on(c, data.as_of)]
    sponsors = [c for c in data.contacts if c.role == "sponsor" and is_active_on(c, data.as_of)]
    recent_cutoff = data.as_of - timedelta(days=90)
    # A champion counts as gone only from their `left_on` date, so scoring a past date does
    # not see a departure that came later.
    departed = [c for c in champions if c.left_on and recent_cutoff <= c.left_on <= data.as_of]
    score = 100.0
    notes: list[str] = []
    sources: list[str] = []
    if departed:
        score = 20.0
        for contact in departed:
            notes.append(f"champion {contact.name} left on {contact.left_on}")
            sources.append(f"contact {contact.id}")
    elif not active_champions:
        score = 50.0
        notes.append("no active champion")
    else:
        notes.append(f"champion {active_champions[0].name}")
        sources.append(f"contact {active_champions[0].id}")
    if not sponsors:
        score -= 20.0
        notes.append("no executive sponsor")
    else:
        notes.append(f"sponsor {sponsors[0].name}")
        sources.append(f"contact {sponsors[0].id}")
    facts = {"champions_left": [c.name for c in departed], "has_sponsor": bool(sponsors)}
    return Component("stakeholders", label, 0.10, max(score, 0.0), "; ".join(notes), sources, facts)


ALL_COMPONENTS = (usage_trend, seat_use, support, sentiment, surveys, renewal, stakeholders)
