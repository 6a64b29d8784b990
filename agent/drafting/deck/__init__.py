"""QBR and EBR decks built from an account's facts, every figure with its source.

A QBR is operational and goes to the champion. An EBR is strategic and goes to the executive
sponsor. `verify_draft` checks the deck's text against the account's fact sheet plus each figure
the deck computes. A deck with an unsupported claim is still written, marked as failing.

`content` computes the sections, `markdown` and `slides` render them, and `charts` draws the
PNG charts both formats show.
"""

from __future__ import annotations

from pathlib import Path

from agent.config import Settings
from agent.drafting.deck.content import KINDS, build_deck, verify_deck
from agent.drafting.deck.document import SECTION_TITLES, Bullet, Chart, Deck, Section
from agent.drafting.deck.markdown import render_markdown
from agent.drafting.deck.quarter import Quarter, parse_period, quarter_of
from agent.drafting.deck.slides import render_pptx
from agent.errors import InputError
from agent.store import Store
from agent.store.tables import Account

__all__ = [
    "FORMATS",
    "KINDS",
    "SECTION_TITLES",
    "Bullet",
    "Chart",
    "Deck",
    "Quarter",
    "Section",
    "build_deck",
    "deck_dir",
    "draw_charts",
    "parse_period",
    "quarter_of",
    "render_markdown",
    "render_pptx",
    "verify_deck",
    "write_deck",
]

FORMATS = ("md", "pptx")


def deck_dir(settings: Settings) -> Path:
    return settings.outbox_dir / "decks"


def draw_charts(store: Store, deck: Deck, folder: Path) -> list[Chart]:
    """Draw the usage and ticket charts for the deck's last two quarters."""
    from agent.drafting.deck.charts import monthly_tickets, tickets_chart, usage_chart, weekly_usage

    start = deck.quarter.previous().start
    stem = f"{deck.account_id}-{deck.kind}-{deck.quarter.code}"
    span = f"{deck.quarter.previous().label} to {deck.quarter.label}"
    usage = usage_chart(
        weekly_usage(store, deck.account_id, start, deck.as_of), folder / f"{stem}-usage.png"
    )
    tickets = tickets_chart(
        monthly_tickets(store, deck.account_id, start, deck.as_of), folder / f"{stem}-tickets.png"
    )
    deck.charts = [
        Chart(usage, f"Weekly usage events (full weeks), {span}", f"usage {start}..{deck.as_of}"),
        Chart(
            tickets,
            f"Tickets opened and closed per month, {span}",
            f"tickets of {deck.account_id}, {start}..{deck.as_of}",
        ),
    ]
    return deck.charts


def write_deck(
    store: Store,
    account: Account,
    settings: Settings,
    kind: str = "qbr",
    period: str | None = None,
    fmt: str = "md",
    model=None,  # noqa: ANN001 - a LangChain chat model or None
    model_name: str = "",
) -> tuple[Deck, Path]:
    """Build, chart and write the deck to CSM_HOME/outbox/decks/; return it and its path."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise InputError(f"Invalid format {fmt!r}. Choose one of: md, pptx.")
    deck = build_deck(store, account, kind, period, settings, model, model_name)
    folder = deck_dir(settings)
    draw_charts(store, deck, folder)
    path = folder / f"{deck.account_id}-{deck.kind}-{deck.quarter.code}.{fmt}"
    if fmt == "md":
        path.write_text(render_markdown(deck), encoding="utf-8")
    else:
        render_pptx(deck, path)
    return deck, path
