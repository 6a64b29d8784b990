"""Charts for QBR/EBR decks: weekly usage events and tickets opened and closed per month.

matplotlib is imported lazily and always with the file-only "Agg" backend, so a deck can be
built on a server with no display.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from agent.insights.health_chart import daily_usage, pyplot
from agent.store import Store, Ticket


def weekly_usage(store: Store, account_id: str, start: date, end: date) -> list[tuple[date, int]]:
    """Sum usage events per full week (Monday to Sunday) between `start` and `end`.

    Weeks cut by either end are left out, because a partial week would look like a drop in use.
    """
    weeks: dict[date, int] = {}
    week = start + timedelta(days=(7 - start.weekday()) % 7)
    while week + timedelta(days=6) <= end:
        weeks[week] = 0
        week += timedelta(days=7)
    for day, events in daily_usage(store, account_id, start, end):
        monday = day - timedelta(days=day.weekday())
        if monday in weeks:
            weeks[monday] += events
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


# The PNGs are drawn at 10 by 5 inches to fill a 16:9 slide below its title, at a resolution
# that stays sharp on a projector.
FIGURE_SIZE = (10.0, 5.0)
DPI = 150
FONT_SIZE = 14
# Dark blue and dark orange: both above a 3:1 contrast ratio against the white background.
OPENED_COLOR = "#1f4e79"
CLOSED_COLOR = "#b35900"


def _mark_empty(axes, message: str) -> None:  # noqa: ANN001 - matplotlib Axes
    """Give an all-zero chart a 0-to-1 scale and state in the plot that there is no data."""
    axes.set_ylim(0, 1)
    axes.text(0.5, 0.55, message, transform=axes.transAxes, ha="center", fontsize=FONT_SIZE + 2)


def _save(plt, figure, path: Path) -> Path:  # noqa: ANN001
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    plt.close(figure)
    return path


def usage_chart(points: list[tuple[date, int]], path: Path) -> Path:
    """Draw weekly usage events as a line chart and save it as a PNG.

    The chart has no title: the slide or the Markdown caption above it names it.
    """
    plt = pyplot()
    with plt.rc_context({"font.size": FONT_SIZE}):
        figure, axes = plt.subplots(figsize=FIGURE_SIZE, dpi=DPI)
        axes.plot(
            [week for week, _ in points],
            [events for _, events in points],
            marker="o",
            color=OPENED_COLOR,
        )
        axes.set_ylabel("Usage events per week")
        axes.set_ylim(bottom=0)
        axes.yaxis.get_major_locator().set_params(integer=True)
        if not any(events for _, events in points):
            _mark_empty(axes, "No usage events recorded in these weeks")
        axes.grid(alpha=0.3)
        figure.autofmt_xdate()
        return _save(plt, figure, path)


def tickets_chart(rows: list[tuple[str, int, int]], path: Path) -> Path:
    """Draw tickets opened and closed per month as grouped bars and save it as a PNG.

    The chart has no title: the slide or the Markdown caption above it names it.
    """
    plt = pyplot()
    with plt.rc_context({"font.size": FONT_SIZE}):
        figure, axes = plt.subplots(figsize=FIGURE_SIZE, dpi=DPI)
        positions = list(range(len(rows)))
        opened = [r[1] for r in rows]
        closed = [r[2] for r in rows]
        left = [p - 0.2 for p in positions]
        right = [p + 0.2 for p in positions]
        axes.bar(left, opened, width=0.4, label="Opened", color=OPENED_COLOR)
        axes.bar(right, closed, width=0.4, label="Closed", color=CLOSED_COLOR)
        axes.set_xticks(positions, [r[0] for r in rows])
        axes.set_ylabel("Tickets")
        axes.set_ylim(bottom=0)
        axes.yaxis.get_major_locator().set_params(integer=True)
        if not any(opened) and not any(closed):
            _mark_empty(axes, "No tickets opened or closed in these months")
        axes.legend(loc="upper left")
        return _save(plt, figure, path)
