"""The benchmarks page, docs/benchmarks.md, written in sections by several scripts.

Each script owns the section under one `## ` heading and replaces only that section, so a
run of one script keeps the figures of the others.
"""

from __future__ import annotations

from pathlib import Path

PAGE = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
TITLE = "# Benchmarks"


def write_section(heading: str, body: str, page: Path = PAGE) -> None:
    """Replace the section under `## heading` with `body`, or append it; keep the rest."""
    text = page.read_text(encoding="utf-8") if page.exists() else TITLE + "\n"
    marker = f"## {heading}\n"
    new_section = marker + "\n" + body.strip() + "\n"
    if marker in text:
        before, _, rest = text.partition(marker)
        following = rest.find("\n## ")
        after = rest[following + 1 :] if following != -1 else ""
        text = before + new_section + ("\n" + after if after else "")
    else:
        text = text.rstrip() + "\n\n" + new_section
    page.parent.mkdir(exist_ok=True)
    page.write_text(text, encoding="utf-8")
