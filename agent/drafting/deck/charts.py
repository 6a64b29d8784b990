"""Charts for QBR/EBR decks: weekly usage events and tickets opened and closed per month.

matplotlib is imported lazily and always with the file-only "Agg" backend, so a deck can be
built on a server with no display.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from agent.store import Store, Ticket
from agent.store.tables import UsageRecord


def _pyplot():  # noqa: ANN202 - matplotlib is imported lazily
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def weekly_usage(store: Store, account_id: str, start: date, end: date) -> list[tuple[date, int]]:
    """Sum usage events per full week (Monday to Sunday) between `start` and `end`.

    Weeks cut by either end are left out, because a partial week would look like a drop in use.
    """
    with store.session() as session:
        rows = session.execute(
            select(UsageRecord.usage_date, func.sum(UsageRecord.usage_count))
            .where(
                UsageRecord.account_id == account_id,
                UsageRecord.usage_date >= start,
                UsageRecord.usage_date <= end,
            )
            .group_by(UsageRecord.usage_date)
        ).all()
    weeks: dict[date, int] = defaultdict(int)
    week = start + timedelta(days=(7 - start.weekday()) % 7)
    while week + timedelta(days=6) <= end:
        weeks[week] = 0
        week += timedelta(days=7)
    for day, events in rows:
        monday = day - timedelta(days=day.weekday())
        if monday in weeks:
            weeks[monday] += int(events or 0)
    return sorted(weeks.items())


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_tickets(
    store: Store, account_id: str, start: date, end: date
) -> list[tuple[str, int, int]]:
    """Count tickets opened and tickets closed in each month from `start` to `end`."""
    low = datetime.combine(start, datetime.min.time())
    high = datetime.combine(end, datetime.max.time())
    with store.session() as session:
        tickets = session.scalars(select(Ticket).where(Ticket.account_id == account_id)).all()
    opened: dict[tuple[int, int], int] = defaultdict(int)
    closed: dict[tuple[int, int], int] = defaultdict(int)
    for ticket in tickets:
        if ticket.submitted_at and low <= ticket.submitted_at <= high:
            opened[(ticket.submitted_at.year, ticket.submitted_at.month)] += 1
        if ticket.closed_at and low <= ticket.closed_at <= high:
            closed[(ticket.closed_at.year, ticket.closed_at.month)] += 1
    return [(f"{y}-{m:02d}", opened[(y, m)], closed[(y, m)]) for y, m in _months(start, end)]


def usage_chart(points: list[tuple[date, int]], path: Path, title: str) -> Path:
    """Draw weekly usage events as a line chart and save it as a PNG."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 4), dpi=100)
    axes.plot([week for week, _ in points], [events for _, events in points], marker="o")
    axes.set_title(title)
    axes.set_ylabel("Usage events per week")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    plt.close(figure)
    return path


def tickets_chart(rows: list[tuple[str, int, int]], path: Path, title: str) -> Path:
    """Draw tickets opened and closed per month as grouped bars and save it as a PNG."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(8, 4), dpi=100)
    positions = list(range(len(rows)))
    axes.bar([p - 0.2 for p in positions], [r[1] for r in rows], width=0.4, label="Opened")
    axes.bar([p + 0.2 for p in positions], [r[2] for r in rows], width=0.4, label="Closed")
    axes.set_xticks(positions, [r[0] for r in rows])
    axes.set_title(title)
    axes.set_ylabel("Tickets")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    plt.close(figure)
    return path
