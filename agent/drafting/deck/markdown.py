"""Render a deck as Markdown, with the charts as images beside it."""

from __future__ import annotations

from agent.drafting.deck.document import Deck, verification_line


def render_markdown(deck: Deck) -> str:
    lines = [f"# {deck.title}", "", deck.subtitle(), "", f"> {verification_line(deck)}", ""]
    for number, section in enumerate(deck.sections, start=1):
        lines += [f"## {number}. {section.title}", ""]
        lines += [f"{'  ' * bullet.level}- {bullet.text}" for bullet in section.bullets]
        if section.note:
            lines += ["", f"> {section.note}"]
        lines += ["", f"Sources: {'; '.join(section.sources)}", ""]
        if section.title == "Results" and deck.charts:
            for chart in deck.charts:
                lines += [f"**{chart.caption}**", "", f"![{chart.path.stem}]({chart.path.name})"]
                lines += ["", f"Sources (chart): {chart.source}", ""]
    return "\n".join(lines)
