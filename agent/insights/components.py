"""The health model's components: each turns one kind of evidence into a 0-100 score.

A component returns a score of None when its input is missing; the model then drops it and
spreads its weight over the others, so missing data never counts as a zero. Cut-points and
other settings come from the health model file (`health_model.toml`); weights are applied by
the scorer, because they depend on the account's profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from agent.insights.book import FEATURE_RECENT_DAYS, LOOKBACK_DAYS, AccountData, UsageWindow
from agent.insights.health_model import (
    CurveMeasure,
    FeatureBreadthMeasure,
    LastTouchMeasure,
    Measures,
    StakeholdersMeasure,
    SupportMeasure,
    SurveysMeasure,
    UsageTrendMeasure,
)
from agent.insights.renewal import renewal_date_for
from agent.insights.sentiment import ScoredItem, roll_up, score_text


@dataclass
class Component:
    """One scored input of the health model, with its evidence.

    Attributes:
        name: machine name, e.g. `usage_trend`.
        label: what a CSM reads, e.g. `Usage trend`.
        score: 0-100, or None when the input is missing.
        detail: the measured value in words, e.g. `events down 42% (last 30 days vs prior 30)`.
        sources: citations for the evidence (table and date range, ticket or note ids).
        facts: the measured values behind `detail`, for rules and JSON output.
    """

    name: str
    label: str
    score: float | None
    detail: str
    sources: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


def interpolate(value: float, points: list[tuple[float, float]]) -> float:
    """Map `value` through a piecewise-linear curve given as (input, score) cut-points."""
    if value <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if value <= x1:
            return y0 + (y1 - y0) * (value - x0) / (x1 - x0)
    return points[-1][1]


def _change(recent: float, before: float) -> float | None:
    return None if before == 0 else (recent - before) / before


def _rate_text(window: UsageWindow, days: int) -> str:
    if window.days == days:
        return f"{window.events:,} in the {days} days before"
    return f"{window.per_window(days):,.0f} per {days} days over the {window.days} days before"


def usage_trend(data: AccountData, measure: UsageTrendMeasure) -> Component:
    """Score the recent usage rate against the window before it and the longer baseline.

    Rates are events per day over the days since the account's first use, so a young
    account's half-empty window does not read as growth. The lower of the two changes is
    scored: a decline spread over three months shows against the baseline even when the
    last month is level with the one before.
    """
    recent, prior, baseline = data.recent_usage, data.prior_usage, data.baseline_usage
    label = "Usage trend"
    if recent is None or prior is None or data.last_usage is None:
        return Component("usage_trend", label, None, "no usage recorded")
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
        return Component("usage_trend", label, 0.0, detail, [f"usage {data.last_usage}"], facts)
    if prior.days < measure.min_prior_days:
        detail = f"first use on {data.first_usage}: too little history for a trend"
        return Component("usage_trend", label, None, detail)
    recent_rate = recent.per_window(days)
    first = (baseline or prior).end - timedelta(days=(baseline or prior).days - 1)
    source = f"usage {first}..{recent.end}"
    short = _change(recent_rate, prior.per_window(days))
    long = _change(recent_rate, baseline.per_window(days)) if baseline else None
    if short is None and long is None:
        detail = f"{recent.events:,} events in the last {days} days, none in the days before"
        facts = {"change": None, "recent": recent.events, "prior": 0, "window_days": days}
        return Component("usage_trend", label, 100.0, detail, [source], facts)
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
    score = interpolate(change, measure.cut_points)
    return Component("usage_trend", label, score, detail, [source], facts)


def seat_use(data: AccountData, measure: CurveMeasure) -> Component:
    label = "Seat use"
    subscription = data.current_subscription()
    seats = (subscription.seats if subscription else None) or data.account.seats
    if data.mean_daily_active_users is None or not seats:
        reason = "no seat count" if not seats else "no active-user counts in the usage data"
        return Component("seat_use", label, None, reason)
    ratio = data.mean_daily_active_users / seats
    detail = (
        f"{data.mean_daily_active_users:.1f} daily active users on {seats} seats ({ratio:.0%}), "
        f"mean over the {data.days_with_users} days with usage in the last 30"
    )
    source = f"usage {data.as_of - timedelta(days=29)}..{data.as_of}"
    score = interpolate(ratio, measure.cut_points)
    facts = {"ratio": round(ratio, 4), "seats": seats}
    return Component("seat_use", label, score, detail, [source], facts)


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


def support(data: AccountData, measure: SupportMeasure) -> Component:
    label = "Support load"
    if data.ticket_count_all == 0:
        return Component("support", label, None, "no ticket history for this account")
    open_tickets = [t for t in data.tickets if _ticket_is_open(t, data.as_of)]
    escalated = [t for t in open_tickets if t.escalated]
    severe = [t for t in open_tickets if (t.priority or "").lower() in ("high", "urgent")]
    stale_days = measure.stale_after_days
    stale = [t for t in open_tickets if (data.as_of - t.submitted_at.date()).days > stale_days]
    penalty = (
        measure.per_open * len(open_tickets)
        + measure.per_escalated * len(escalated)
        + measure.per_high_or_urgent * len(severe)
        + measure.per_stale * len(stale)
    )
    score = max(0.0, 100.0 - penalty)
    if not open_tickets:
        detail = "no open tickets"
    else:
        detail = (
            f"{len(open_tickets)} open ({len(escalated)} escalated, {len(severe)} high or "
            f"urgent, {len(stale)} open over {stale_days} days)"
        )
    worst = sorted(open_tickets, key=lambda t: (not t.escalated, t.submitted_at))[:3]
    facts = {
        "open": len(open_tickets),
        "escalated": len(escalated),
        "high_or_urgent": len(severe),
        "stale": len(stale),
        "stale_after_days": stale_days,
    }
    sources = [f"ticket {t.id}" for t in worst]
    return Component("support", label, score, detail, sources, facts)


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


def sentiment(data: AccountData, measure: CurveMeasure) -> Component:
    label = "Sentiment"
    rolled = roll_up(scored_items(data), data.as_of)
    if rolled is None:
        return Component("sentiment", label, None, "no notes, ticket texts or comments")
    worst = rolled.most_negative()
    detail = (
        f"{rolled.label} ({rolled.compound:+.2f} VADER compound, recency-weighted over "
        f"{len(rolled.items)} items)"
    )
    sources = [item.source_id for item in rolled.items[:2]]
    if worst is not None and worst.score.compound < 0 and worst.source_id not in sources:
        sources.append(worst.source_id)
    score = interpolate(rolled.compound, measure.cut_points)
    return Component("sentiment", label, score, detail, sources)


def surveys(data: AccountData, measure: SurveysMeasure) -> Component:
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
        return Component("surveys", label, None, "no NPS or CSAT in the last 180 days")
    return Component("surveys", label, sum(parts) / len(parts), "; ".join(details), sources)


def renewal(data: AccountData, measure: CurveMeasure) -> Component:
    label = "Renewal proximity"
    subscription = data.current_subscription()
    when = renewal_date_for(subscription, data.as_of) if subscription else None
    if subscription is None or when is None:
        return Component("renewal", label, None, "no renewal date")
    days = (when - data.as_of).days
    if days < 0:
        detail = f"renewal date {when} passed {-days} days ago"
        return Component("renewal", label, None, detail, [f"subscription {subscription.id}"])
    detail = f"renews on {when}, in {days} day{'s' if days != 1 else ''}"
    score = interpolate(days, measure.cut_points)
    sources = [f"subscription {subscription.id}"]
    return Component("renewal", label, score, detail, sources, {"days": days})


def stakeholders(data: AccountData, measure: StakeholdersMeasure) -> Component:
    label = "Champion and sponsor"
    if not data.contacts:
        return Component("stakeholders", label, None, "no contacts")
    champions = [c for c in data.contacts if c.role == "champion"]
    active_champions = [c for c in champions if is_active_on(c, data.as_of)]
    sponsors = [c for c in data.contacts if c.role == "sponsor" and is_active_on(c, data.as_of)]
    recent_cutoff = data.as_of - timedelta(days=measure.champion_left_days)
    # A champion counts as gone only from their `left_on` date, so scoring a past date does
    # not see a departure that came later.
    departed = [c for c in champions if c.left_on and recent_cutoff <= c.left_on <= data.as_of]
    score = 100.0
    notes: list[str] = []
    sources: list[str] = []
    if departed:
        score = measure.champion_left
        for contact in departed:
            notes.append(f"champion {contact.name} left on {contact.left_on}")
            sources.append(f"contact {contact.id}")
    elif not active_champions:
        score = measure.no_champion
        notes.append("no active champion")
    else:
        notes.append(f"champion {active_champions[0].name}")
        sources.append(f"contact {active_champions[0].id}")
    if not sponsors:
        score -= measure.no_sponsor_penalty
        notes.append("no executive sponsor")
    else:
        notes.append(f"sponsor {sponsors[0].name}")
        sources.append(f"contact {sponsors[0].id}")
    facts = {"champions_left": [c.name for c in departed], "has_sponsor": bool(sponsors)}
    return Component("stakeholders", label, max(score, 0.0), "; ".join(notes), sources, facts)


def feature_breadth(data: AccountData, measure: FeatureBreadthMeasure) -> Component:
    """Score the share of the features used in the lookback that are still used lately.

    The account is measured against its own history rather than the whole product, so a plan
    that offers fewer features, or a team that never needed some, is not marked down. A
    feature dropped in the last month is the warning this measure looks for.
    """
    label = "Feature breadth"
    recent_days, history_days = FEATURE_RECENT_DAYS, LOOKBACK_DAYS
    if not data.feature_last_used:
        detail = f"no usage in the last {history_days} days"
        return Component("feature_breadth", label, None, detail)
    age = (data.as_of - data.first_usage).days
    if age < measure.min_history_days:
        detail = (
            f"first use on {data.first_usage}, {age} days ago: breadth needs "
            f"{measure.min_history_days} days of history"
        )
        return Component("feature_breadth", label, None, detail)
    cutoff = data.as_of - timedelta(days=recent_days)
    used = sorted(f for f, last in data.feature_last_used.items() if last > cutoff)
    dropped = sorted(f for f, last in data.feature_last_used.items() if last <= cutoff)
    ratio = len(used) / len(data.feature_last_used)
    detail = (
        f"{len(used)} of the {len(data.feature_last_used)} features used in the last "
        f"{history_days} days were used in the last {recent_days} ({ratio:.0%})"
    )
    if dropped:
        detail += f"; not used lately: {', '.join(dropped[:5])}"
        if len(dropped) > 5:
            detail += f" and {len(dropped) - 5} more"
    source = f"usage {data.as_of - timedelta(days=history_days - 1)}..{data.as_of}"
    facts = {
        "ratio": round(ratio, 4),
        "recent_features": len(used),
        "history_features": len(data.feature_last_used),
        "dropped": dropped,
    }
    score = interpolate(ratio, measure.cut_points)
    return Component("feature_breadth", label, score, detail, [source], facts)


def last_touch(data: AccountData, measure: LastTouchMeasure) -> Component:
    """Score the days since the newest note of a kind that counts as contact with the account.

    A note without a kind counts, because the store cannot tell what it records.
    """
    label = "Last touch"
    counted = [
        note for kind, note in data.newest_notes.items() if kind is None or kind in measure.kinds
    ]
    if not counted:
        detail = f"no {_or_list(measure.kinds)} recorded"
        left_out = sorted(kind for kind in data.newest_notes if kind is not None)
        if left_out:
            detail += f" (notes of kind {', '.join(left_out)} do not count)"
        return Component("last_touch", label, None, detail)
    note = min(counted, key=lambda item: (-item.note_date.toordinal(), item.id))
    days = (data.as_of - note.note_date).days
    kind = note.kind or "note of no stated kind"
    title = f' "{note.title}"' if note.title else ""
    plural = "s" if days != 1 else ""
    detail = f"{days} day{plural} since the last {kind}{title} on {note.note_date}"
    facts = {"days": days, "kind": note.kind, "date": note.note_date.isoformat()}
    score = interpolate(days, measure.cut_points)
    return Component("last_touch", label, score, detail, [f"note {note.id}"], facts)


def _or_list(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} or {words[-1]}"


BUILDERS = {
    "usage_trend": usage_trend,
    "seat_use": seat_use,
    "feature_breadth": feature_breadth,
    "support": support,
    "sentiment": sentiment,
    "surveys": surveys,
    "renewal": renewal,
    "stakeholders": stakeholders,
    "last_touch": last_touch,
}


def build_components(data: AccountData, measures: Measures) -> list[Component]:
    """Score every measure of the model for one account, in the model's order."""
    return [BUILDERS[name](data, getattr(measures, name)) for name in type(measures).model_fields]
