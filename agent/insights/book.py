"""Load what the health model needs for many accounts in a few queries.

Scoring 500 accounts one query at a time costs thousands of round trips; this module reads
each table once, aggregated in SQL where the rows are many (usage), and groups the rest in
memory by account.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent.store.tables import Account, Contact, Note, Subscription, Survey, Ticket, UsageRecord

# How far back text and surveys are read for sentiment and voice of the customer, and
# features for feature breadth.
LOOKBACK_DAYS = 180
# Feature breadth compares the features used in this many recent days with the lookback's.
FEATURE_RECENT_DAYS = 30


@dataclass
class UsageWindow:
    """Usage events summed over a date range (start exclusive, end inclusive)."""

    start: date
    end: date
    events: int = 0
    # Set when the account's usage began inside the window: the days before count for nothing.
    counted_from: date | None = None

    @property
    def days(self) -> int:
        start = max(self.start, self.counted_from) if self.counted_from else self.start
        return max((self.end - start).days, 0)

    def per_window(self, days: int) -> float:
        """Return the events scaled to a window of `days` days."""
        return self.events * days / self.days if self.days else 0.0


# The longer baseline for the usage trend: the 90 days before the recent window. A decline
# spread over two or three months hides in a comparison with only the month before.
BASELINE_DAYS = 90


@dataclass
class AccountData:
    """Everything the health model reads for one account as of one date."""

    account: Account
    as_of: date
    first_usage: date | None = None
    last_usage: date | None = None
    recent_usage: UsageWindow | None = None
    prior_usage: UsageWindow | None = None
    # The BASELINE_DAYS before the recent window, cut to the account's first day of usage;
    # None for accounts too young to have one.
    baseline_usage: UsageWindow | None = None
    # Mean, over the days of the last 30 that have usage, of each day's highest active_users
    # count: seat use on the days the product is used, so weekends do not dilute it.
    mean_daily_active_users: float | None = None
    days_with_users: int = 0
    subscriptions: list[Subscription] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    surveys: list[Survey] = field(default_factory=list)
    # Tickets the account filed up to as_of; zero means no ticket history for it.
    ticket_count_all: int = 0
    # Each feature used in the LOOKBACK_DAYS up to as_of, with the newest day it was used.
    feature_last_used: dict[str, date] = field(default_factory=dict)
    # The newest note of each kind (None for notes without one) on or before as_of,
    # however old.
    newest_notes: dict[str | None, Note] = field(default_factory=dict)

    def first_start(self) -> tuple[date | None, str]:
        """Return the day the account became a customer, and what that day is taken from.

        That is the earliest subscription start, else the sign-up date, else the first use.
        """
        starts = [sub.start_date for sub in self.subscriptions if sub.start_date is not None]
        if starts:
            return min(starts), "first subscription start"
        if self.account.signup_date is not None:
            return self.account.signup_date, "sign-up date"
        if self.first_usage is not None:
            return self.first_usage, "first use"
        return None, ""

    def plan_tier(self) -> str | None:
        """Return the tier of the subscription in force, else the account's own tier."""
        subscription = self.current_subscription()
        return (subscription.plan_tier if subscription else None) or self.account.plan_tier

    def current_subscription(self) -> Subscription | None:
        """Return the subscription in force at `as_of`, else the latest one.

        `churn_flag` is not consulted: it records how a subscription ended, which a score
        as of an earlier date must not know.
        """
        live = [
            sub
            for sub in self.subscriptions
            if (sub.start_date is None or sub.start_date <= self.as_of)
            and (sub.end_date is None or sub.end_date >= self.as_of)
        ]
        pool = live or self.subscriptions
        return max(pool, key=lambda sub: sub.start_date or date.min, default=None)


def latest_activity_date(session: Session) -> date | None:
    """Return the newest usage, ticket or note date in the store."""
    candidates = [
        session.scalar(select(func.max(UsageRecord.usage_date))),
        _as_date(session.scalar(select(func.max(Ticket.submitted_at)))),
        session.scalar(select(func.max(Note.note_date))),
    ]
    present = [value for value in candidates if value is not None]
    return max(present) if present else None


def default_as_of(session: Session) -> date:
    """Score as of today, or as of the newest data when the book ends in the past.

    An imported historical book (one that ends in 2024, say) would otherwise show every
    account with no recent usage. Usage is the book's daily record, so its newest date wins
    when there is usage: notes imported today must not move a 2024 book to today.
    """
    latest = session.scalar(select(func.max(UsageRecord.usage_date)))
    latest = latest or latest_activity_date(session)
    today = date.today()
    return min(latest, today) if latest else today


def _as_date(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def usage_windows(account_age_days: int | None) -> int:
    """Return the window length in days for the usage trend: 14 for young accounts, else 30."""
    if account_age_days is not None and account_age_days < 60:
        return 14
    return 30


def load_book(
    session: Session, as_of: date, account_ids: list[str] | None = None
) -> list[AccountData]:
    """Load AccountData for the given accounts (all when None)."""
    query = select(Account)
    if account_ids is not None:
        query = query.where(Account.id.in_(account_ids))
    accounts = session.scalars(query.order_by(Account.id)).all()
    data = {account.id: AccountData(account=account, as_of=as_of) for account in accounts}
    if not data:
        return []
    ids = list(data) if account_ids is not None else None
    _load_usage(session, data, as_of, ids)
    _attach(session, data, Subscription, Subscription.account_id, ids, "subscriptions")
    _attach(session, data, Contact, Contact.account_id, ids, "contacts")
    _load_recent(session, data, as_of, ids)
    _load_features(session, data, as_of, ids)
    _load_newest_notes(session, data, as_of, ids)
    return list(data.values())


def _filtered(query, column, ids):  # noqa: ANN001, ANN202 - SQLAlchemy select plumbing
    return query.where(column.in_(ids)) if ids is not None else query


def _attach(session, data, table, column, ids, attribute) -> None:  # noqa: ANN001
    for row in session.scalars(_filtered(select(table), column, ids)):
        if row.account_id in data:
            getattr(data[row.account_id], attribute).append(row)


def _load_usage(session: Session, data: dict[str, AccountData], as_of: date, ids) -> None:  # noqa: ANN001
    spans = (
        select(
            UsageRecord.account_id,
            func.min(UsageRecord.usage_date),
            func.max(UsageRecord.usage_date),
        )
        .where(UsageRecord.usage_date <= as_of)
        .group_by(UsageRecord.account_id)
    )
    for account_id, first, last in session.execute(_filtered(spans, UsageRecord.account_id, ids)):
        if account_id in data:
            data[account_id].first_usage = first
            data[account_id].last_usage = last

    for item in data.values():
        age = (as_of - item.first_usage).days if item.first_usage else None
        days = usage_windows(age)
        middle = as_of - timedelta(days=days)
        # Windows exclude their start day, so they count from the day before the first use.
        # Days before an account's first use are not days of zero use.
        counted_from = item.first_usage - timedelta(days=1) if item.first_usage else None
        item.recent_usage = UsageWindow(middle, as_of, counted_from=counted_from)
        item.prior_usage = UsageWindow(
            middle - timedelta(days=days), middle, counted_from=counted_from
        )
        if days == 30 and item.first_usage is not None:
            baseline = UsageWindow(
                middle - timedelta(days=BASELINE_DAYS), middle, counted_from=counted_from
            )
            if baseline.days > days:
                item.baseline_usage = baseline

    windows = {
        (window.start, window.end)
        for item in data.values()
        for window in (item.recent_usage, item.prior_usage, item.baseline_usage)
        if window is not None
    }
    totals = _window_totals(session, windows, ids)
    for item in data.values():
        for window in (item.recent_usage, item.prior_usage, item.baseline_usage):
            if window is not None:
                window.events = totals.get((item.account.id, window.start, window.end), 0)

    _load_active_users(session, data, as_of, ids)


def _window_totals(
    session: Session,
    windows: set[tuple[date, date]],
    ids,  # noqa: ANN001
) -> dict[tuple[str, date, date], int]:
    """Sum usage events per account for each (start, end] window."""
    totals: dict[tuple[str, date, date], int] = {}
    for start, end in windows:
        query = (
            select(UsageRecord.account_id, func.sum(UsageRecord.usage_count))
            .where(UsageRecord.usage_date > start, UsageRecord.usage_date <= end)
            .group_by(UsageRecord.account_id)
        )
        for account_id, total in session.execute(_filtered(query, UsageRecord.account_id, ids)):
            totals[(account_id, start, end)] = int(total or 0)
    return totals


def _load_active_users(session, data, as_of, ids) -> None:  # noqa: ANN001
    start = as_of - timedelta(days=30)
    daily = (
        select(
            UsageRecord.account_id,
            UsageRecord.usage_date,
            func.max(UsageRecord.active_users).label("users"),
        )
        .where(UsageRecord.usage_date > start, UsageRecord.usage_date <= as_of)
        .where(UsageRecord.active_users.is_not(None))
        .group_by(UsageRecord.account_id, UsageRecord.usage_date)
    )
    per_account: dict[str, list[int]] = defaultdict(list)
    for account_id, _day, users in session.execute(_filtered(daily, UsageRecord.account_id, ids)):
        per_account[account_id].append(int(users))
    for account_id, values in per_account.items():
        if account_id in data and values:
            data[account_id].mean_daily_active_users = sum(values) / len(values)
            data[account_id].days_with_users = len(values)


def _load_recent(session, data, as_of, ids) -> None:  # noqa: ANN001
    since = as_of - timedelta(days=LOOKBACK_DAYS)
    since_time = datetime.combine(since, datetime.min.time())
    until_time = datetime.combine(as_of, datetime.max.time())
    counts = (
        select(Ticket.account_id, func.count())
        .where(Ticket.submitted_at <= until_time)
        .group_by(Ticket.account_id)
    )
    for account_id, count in session.execute(_filtered(counts, Ticket.account_id, ids)):
        if account_id in data:
            data[account_id].ticket_count_all = int(count)
    tickets = select(Ticket).where(Ticket.submitted_at <= until_time)
    # Recent tickets, and older ones that were still open on as_of.
    tickets = tickets.where(
        (Ticket.submitted_at >= since_time)
        | (Ticket.status != "closed")
        | (Ticket.closed_at > until_time)
    )
    for ticket in session.scalars(_filtered(tickets, Ticket.account_id, ids)):
        if ticket.account_id in data:
            data[ticket.account_id].tickets.append(ticket)
    notes = select(Note).where(Note.note_date >= since, Note.note_date <= as_of)
    for note in session.scalars(_filtered(notes, Note.account_id, ids)):
        if note.account_id in data:
            data[note.account_id].notes.append(note)
    surveys = select(Survey).where(Survey.response_date >= since, Survey.response_date <= as_of)
    for survey in session.scalars(_filtered(surveys, Survey.account_id, ids)):
        if survey.account_id in data:
            data[survey.account_id].surveys.append(survey)


def _load_features(session, data, as_of, ids) -> None:  # noqa: ANN001
    since = as_of - timedelta(days=LOOKBACK_DAYS)
    query = (
        select(UsageRecord.account_id, UsageRecord.feature, func.max(UsageRecord.usage_date))
        .where(UsageRecord.usage_date > since, UsageRecord.usage_date <= as_of)
        .group_by(UsageRecord.account_id, UsageRecord.feature)
    )
    for account_id, feature, last in session.execute(_filtered(query, UsageRecord.account_id, ids)):
        if account_id in data:
            data[account_id].feature_last_used[feature] = last


def _load_newest_notes(session, data, as_of, ids) -> None:  # noqa: ANN001
    newest = _filtered(
        select(Note.account_id, Note.kind, func.max(Note.note_date).label("day"))
        .where(Note.note_date <= as_of)
        .group_by(Note.account_id, Note.kind),
        Note.account_id,
        ids,
    ).subquery()
    query = (
        select(Note)
        .join(
            newest,
            (Note.account_id == newest.c.account_id)
            & Note.kind.is_not_distinct_from(newest.c.kind)
            & (Note.note_date == newest.c.day),
        )
        .order_by(Note.id)
    )
    for note in session.scalars(query):
        # Of several notes of a kind on its newest day, the first by id is kept, so reruns
        # agree.
        if note.account_id in data:
            data[note.account_id].newest_notes.setdefault(note.kind, note)
