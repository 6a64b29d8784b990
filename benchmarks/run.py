"""Measure start-up, loading, import and query times; print them and write docs/benchmarks.md.

Usage: .venv/bin/python benchmarks/run.py [--repeat N] [--shared-data PATH]

Each figure is the median of N runs (wall-clock seconds), on a fresh CSM_HOME in a temporary
folder. The machine's core count is recorded with the figures, since shared cores are noisy.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import page

ROOT = Path(__file__).resolve().parents[1]
CSM = [sys.executable, "-m", "agent.cli.main"]
RAVENSTACK = (
    ("accounts", "ravenstack_accounts.csv"),
    ("subscriptions", "ravenstack_subscriptions.csv"),
    ("usage", "ravenstack_feature_usage.csv"),
    ("tickets", "ravenstack_support_tickets.csv"),
    ("churn", "ravenstack_churn_events.csv"),
)


def _timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def _median(args: list[str], env: dict[str, str], repeat: int) -> float:
    return statistics.median(_timed(args, env) for _ in range(repeat))


def _fresh_env(base: Path, name: str) -> dict[str, str]:
    env = dict(os.environ)
    env["CSM_HOME"] = str(base / name)
    return env


def measure(repeat: int, shared_data: Path) -> list[tuple[str, float, str]]:
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env = _fresh_env(base, "help")
        rows.append(("`csm --help`", _median(CSM + ["--help"], env, repeat), "median"))

        env = _fresh_env(base, "demo")
        rows.append(
            (
                "`csm init --demo` (generate, import, index)",
                _timed(CSM + ["init", "--demo"], env),
                "one run, fresh home",
            )
        )
        rows.append(
            (
                "`csm init --demo` again (nothing changes)",
                _timed(CSM + ["init", "--demo"], env),
                "one run",
            )
        )
        rows.append(
            (
                "`csm accounts --at-risk`",
                _median(CSM + ["accounts", "--at-risk"], env, repeat),
                "median",
            )
        )
        rows.append(
            (
                '`csm health "Northwind Studios"`',
                _median(CSM + ["health", "Northwind Studios"], env, repeat),
                "median",
            )
        )
        rows.append(
            (
                '`csm search "GLB export is slow"`',
                _median(CSM + ["search", "GLB export is slow"], env, repeat),
                "median",
            )
        )
        rows.append(
            (
                '`csm draft email "Northwind Studios"`',
                _median(CSM + ["draft", "email", "Northwind Studios"], env, repeat),
                "median",
            )
        )

        raven = shared_data / "ravenstack"
        if raven.is_dir():
            env = _fresh_env(base, "raven")
            subprocess.run(CSM + ["init"], env=env, check=True, capture_output=True)
            total = 0.0
            for kind, name in RAVENSTACK:
                total += _timed(CSM + ["import", str(raven / name), "--kind", kind], env)
            rows.append(("RavenStack, all five tables (32,600 rows)", total, "one run"))
            rows.append(
                (
                    "`csm accounts` on RavenStack (500 accounts)",
                    _median(CSM + ["accounts"], env, repeat),
                    "median",
                )
            )
    return rows


COMMANDS_HEADING = "Commands"


def commands_section(rows: list[tuple[str, float, str]], repeat: int) -> str:
    lines = [
        f"Measured on {date.today()} with `.venv/bin/python benchmarks/run.py --repeat {repeat}`",
        f"on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "Each command runs as a new process, so the figures include interpreter start-up and",
        "library imports. Medians are over the repeats; one-run figures say so. The cores are",
        "shared with other work, so runs vary by tens of percent: compare medians and ratios.",
        "`csm init --demo` is dominated by embedding about 600 passages for the search index.",
        "",
        "| what | seconds | how |",
        "| --- | ---: | --- |",
    ]
    lines += [f"| {what} | {seconds:.2f} | {how} |" for what, seconds, how in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--shared-data", type=Path, default=ROOT.parent / "shared" / "data")
    options = parser.parse_args()
    rows = measure(options.repeat, options.shared_data)
    body = commands_section(rows, options.repeat)
    page.write_section(COMMANDS_HEADING, body)
    print(body)


if __name__ == "__main__":
    main()
