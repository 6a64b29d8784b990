"""`csm health NAME --chart FILE.png`: the PNG, its size, and its days' sources."""

from __future__ import annotations

import struct
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli.main import app
from agent.errors import InputError
from agent.insights.health import health_for
from agent.insights.health_chart import daily_usage, write_health_chart
from agent.insights.trend import record_snapshots
from agent.store import Account, Store, UsageRecord, open_store

AS_OF = date(2026, 6, 30)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
runner = CliRunner()


def _book(store: Store) -> None:
    start = date(2026, 1, 1)
    rows = [Account(id="A", name="Chart Co", signup_date=date(2025, 6, 1), seats=5)]
    for offset in range((AS_OF - start).days + 1):
        day = start + timedelta(days=offset)
        # Weekdays only, falling by half over the last 45 days.
        if day.weekday() < 5:
            count = 20 if day <= AS_OF - timedelta(days=45) else 10
            rows.append(
                UsageRecord(
                    id=f"A-{day}",
                    account_id="A",
                    usage_date=day,
                    feature="text_to_3d",
                    usage_count=count,
                    active_users=3,
                )
            )
    with store.session() as session:
        session.add_all(rows)


@pytest.fixture
def book() -> Store:
    store = Store("sqlite://")
    _book(store)
    return store


def _png_size(path: Path) -> tuple[int, int]:
    """Return (width, height) from the PNG's IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE
    assert header[12:16] == b"IHDR"
    return struct.unpack(">II", header[16:24])


def test_chart_is_png_of_sensible_size(book: Store, tmp_path: Path):
    path = tmp_path / "health.png"

    write_health_chart(book, health_for(book, "A", AS_OF), path)

    width, height = _png_size(path)
    assert (width, height) == (1000, 600)
    assert 20_000 < path.stat().st_size < 500_000


def test_chart_draws_more_than_background(book: Store, tmp_path: Path):
    import matplotlib.image

    path = tmp_path / "health.png"
    write_health_chart(book, health_for(book, "A", AS_OF), path)

    pixels = matplotlib.image.imread(path)
    colours = {tuple(pixel) for row in pixels[::10] for pixel in row[::10]}
    assert len(colours) > 10


def test_chart_counts_snapshot_days(book: Store, tmp_path: Path):
    record_snapshots(book, AS_OF, backfill_days=9)

    result = write_health_chart(book, health_for(book, "A", AS_OF), tmp_path / "health.png")

    assert result.start == AS_OF - timedelta(days=89)
    assert result.end == AS_OF
    assert result.days_from_snapshots == 10
    assert result.days_recomputed == 80


def test_chart_rejects_other_suffix(book: Store, tmp_path: Path):
    with pytest.raises(InputError, match=r"must name a \.png file"):
        write_health_chart(book, health_for(book, "A", AS_OF), tmp_path / "health.jpg")


def test_chart_rejects_missing_folder(book: Store, tmp_path: Path):
    with pytest.raises(InputError, match="does not exist"):
        write_health_chart(book, health_for(book, "A", AS_OF), tmp_path / "no" / "health.png")


def test_daily_usage_fills_days_without_usage(book: Store):
    days = daily_usage(book, "A", date(2026, 6, 26), date(2026, 6, 29))

    # 2026-06-27 and 28 are a Saturday and a Sunday.
    assert days == [
        (date(2026, 6, 26), 10),
        (date(2026, 6, 27), 0),
        (date(2026, 6, 28), 0),
        (date(2026, 6, 29), 10),
    ]


def test_chart_cli_writes_file(settings, tmp_path: Path):
    store = open_store(settings)
    _book(store)
    store.close()
    path = tmp_path / "chart.png"

    result = runner.invoke(app, ["health", "Chart Co", "--chart", str(path)])

    assert result.exit_code == 0, result.output
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert f"Wrote {path}: 0 days from snapshots, 90 recomputed." in result.stderr
    assert result.stdout.startswith("Chart Co (A): health")


def test_chart_cli_json_names_file(settings, tmp_path: Path):
    import json

    store = open_store(settings)
    _book(store)
    store.close()
    path = tmp_path / "chart.png"

    result = runner.invoke(app, ["health", "Chart Co", "--chart", str(path), "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["chart"]["path"] == str(path)
    assert document["chart"]["days_recomputed"] == 90


def test_chart_cli_bad_suffix_is_one_line(settings, tmp_path: Path):
    store = open_store(settings)
    _book(store)
    store.close()

    result = runner.invoke(app, ["health", "Chart Co", "--chart", str(tmp_path / "chart.svg")])

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --chart")
    assert result.stderr.count("\n") == 1
