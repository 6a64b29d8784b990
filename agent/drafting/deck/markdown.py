"""Render a deck as Markdown, with the charts as images beside it."""

from __future__ import annotations

from agent.drafting.deck.document import Deck, verification_line


def render_markdown(deck: Deck) -> str:
    chart_sources = f"usage {deck.quarter.previous().start}..{deck.as_of}; tickets"
    lines = [f"# {deck.title}", "", deck.subtitle(), "", f"> {verification_line(deck)}", ""]
    for number, section in enumerate(deck.sections, start=1):
        lines += [f"## {number}. {section.title}", ""]
        lines += [f"- {bullet}" for bullet in section.bullets]
        lines += ["", f"Sources: {'; '.join(section.sources)}", ""]
        if section.title == "Results" and deck.charts:
            lines += [f"![{path.stem}]({path.name})" for path in deck.charts]
            lines += ["", f"Sources (charts): {chart_sources}", ""]
    return "\n".join(lines)
