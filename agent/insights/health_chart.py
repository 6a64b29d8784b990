"""A PNG chart of one account: health score over the last 90 days above its daily usage.

matplotlib is imported lazily with the file-only "Agg" backend, so the chart can be drawn on
a machine with no display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from agent.errors import InputError
from agent.insights.health import HealthReport
from agent.insights.health_model import HealthModel, active_model
from agent.insights.trend import score_history
from agent.store import Store, UsageRecord

CHART_DAYS = 90
BAND_COLOURS = {"red": "#d9534f", "yellow": "#f0ad4e", "green": "#5cb85c"}


@dataclass
class ChartResult:
    """The chart written, and where its daily scores came from."""

    path: Path
    start: date
    end: date
    days_from_snapshots: int
    days_recomputed: int


def daily_usage(store: Store, account_id: str, start: date, end: date) -> list[tuple[date, int]]:
    """Sum usage events per day from `start` to `end`, with 0 on days without usage."""
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
    events = {day: int(total or 0) for day, total in rows}
    length = (end - start).days + 1
    return [(day, events.get(day, 0)) for day in (start + timedelta(n) for n in range(length))]


def _check_path(path: Path) -> None:
    if path.suffix.lower() != ".png":
        raise InputError(f"--chart {path} must name a .png file, e.g. --chart health.png.")
    if not path.parent.is_dir():
        raise InputError(f"--chart {path}: the folder {path.parent} does not exist. Create it.")


def pyplot():  # noqa: ANN202 - matplotlib is imported lazily
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_health_chart(
    store: Store,
    report: HealthReport,
    path: Path,
    model: HealthModel | None = None,
    days: int = CHART_DAYS,
) -> ChartResult:
    """Draw the account's health score and daily usage over the `days` days to its date.

    Raises:
        InputError: the path does not end in .png or its folder does not exist.
    """
    _check_path(path)
    model = model or active_model()
    end = report.as_of
    start = end - timedelta(days=days - 1)
    history = score_history(store, report.account_id, end, days, model)
    usage = daily_usage(store, report.account_id, start, end)

    plt = pyplot()
    figure, (score_axes, usage_axes) = plt.subplots(
        2, 1, sharex=True, figsize=(10, 6), gridspec_kw={"height_ratios": [3, 2]}
    )
    _draw_score(score_axes, history, model, report)
    _draw_usage(usage_axes, usage)
    # Half a day either side, so the first and last bars are whole and nothing else pads.
    usage_axes.set_xlim(start - timedelta(hours=12), end + timedelta(hours=12))
    figure.suptitle(f"{report.account_name}: health and daily usage, {start} to {end}")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    from_snapshots = sum(1 for point in history if point.source == "snapshot")
    return ChartResult(path, start, end, from_snapshots, len(history) - from_snapshots)


def _draw_score(axes, history, model: HealthModel, report: HealthReport) -> None:  # noqa: ANN001
    bands = model.bands
    spans = (
        ("red", 0, bands.red_max, f"red 0-{bands.red_max}"),
        (
            "yellow",
            bands.red_max,
            bands.yellow_max,
            f"yellow {bands.red_max + 1}-{bands.yellow_max}",
        ),
        ("green", bands.yellow_max, 100, f"green {bands.yellow_max + 1}-100"),
    )
    for band, low, high, caption in spans:
        axes.axhspan(low, high, color=BAND_COLOURS[band], alpha=0.15, linewidth=0, label=caption)
    days = [point.day for point in history]
    # A day without a score (every input missing) leaves a gap in the line.
    scores = [math.nan if point.score is None else point.score for point in history]
    axes.plot(days, scores, color="#1f3b73", linewidth=2, label="model score")
    stored = [(point.day, point.score) for point in history if point.source == "snapshot"]
    if stored:
        axes.plot(
            *zip(*stored, strict=True),
            "o",
            color="#1f3b73",
            markersize=3,
            label="from a daily snapshot",
        )
    if report.override:
        # From the day the override was set, or the chart's first day if that is earlier.
        since = max(date.fromisoformat(report.override["set_on"]), days[0])
        # The diamond on the last day shows an override set that very day.
        axes.plot(
            [since, days[-1]],
            [report.score, report.score],
            color="#555555",
            linestyle="--",
            linewidth=1,
            marker="D",
            markersize=4,
            markevery=[-1],
            clip_on=False,
            label=f"CSM override since {since}: {report.score}",
        )
    axes.set_ylim(0, 100)
    axes.set_ylabel("Health score")
    axes.grid(axis="y", alpha=0.3)
    # Above the plot, so the legend never covers the line wherever the score runs.
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncol=6, fontsize=8, frameon=False)


def _draw_usage(axes, usage: list[tuple[date, int]]) -> None:  # noqa: ANN001
    import matplotlib.dates as mdates
    from matplotlib.ticker import MaxNLocator

    axes.bar([day for day, _ in usage], [events for _, events in usage], width=0.8, color="#6c8ebf")
    axes.set_ylabel("Usage events per day")
    if not any(events for _, events in usage):
        # A flat zero would get an axis running from -0.05 to 0.05.
        axes.set_ylim(0, 1)
        axes.set_yticks([0, 1])
        axes.text(0.5, 0.5, "no usage on these days", transform=axes.transAxes, ha="center")
    else:
        axes.set_ylim(bottom=0)
        # Events are counts, so ticks at fractions would mislead.
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", alpha=0.3)
    locator = mdates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


__all__ = ["CHART_DAYS", "ChartResult", "daily_usage", "write_health_chart"]
