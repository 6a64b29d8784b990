"""The deck as data: its sections, bullets and sources, independent of the output format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from agent.drafting.deck.quarter import Quarter
from agent.drafting.facts import Fact
from agent.drafting.verify import Rejection, Verification, long_date

SECTION_TITLES = (
    "Executive summary",
    "Results",
    "Wins",
    "Open issues",
    "Goals for next quarter",
    "Next steps",
)


@dataclass
class Bullet:
    """One bullet of a section; level 1 is a sub-bullet of the level-0 bullet before it."""

    text: str
    level: int = 0


@dataclass
class Section:
    title: str
    bullets: list[Bullet]
    sources: list[str]
    # `template`, or `model:<name>` when a model wrote the bullets and they passed verification.
    written_by: str = "template"
    # Set when the model's text failed verification and the template text was kept.
    note: str | None = None


@dataclass
class Chart:
    """A chart drawn as a PNG, with the caption both formats show above it."""

    path: Path
    caption: str
    source: str


@dataclass
class Deck:
    account_id: str
    account_name: str
    kind: str
    quarter: Quarter
    as_of: date
    recipient_name: str | None
    recipient_role: str | None
    presenter: str | None
    sections: list[Section]
    facts: list[Fact]
    charts: list[Chart] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    verification: Verification | None = None
    # The model's text for the deck's parts that failed verification.
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def title(self) -> str:
        name = "Quarterly business review" if self.kind == "qbr" else "Executive business review"
        return f"{self.account_name}: {name}, {self.quarter.label}"

    def text(self) -> str:
        """Return the deck's words and sources: the text that verification checks."""
        lines = [self.title, self.subtitle()]
        for section in self.sections:
            lines.append(section.title)
            lines += [bullet.text for bullet in section.bullets]
            lines.append("Sources: " + "; ".join(section.sources))
        return "\n".join(lines)

    def subtitle(self) -> str:
        to = self.recipient_name or "the account team"
        role = f" ({self.recipient_role})" if self.recipient_role else ""
        by = f", presented by {self.presenter}" if self.presenter else ""
        return f"For {to}{role}{by}. Data as of {long_date(self.as_of)}."


def verification_line(deck: Deck) -> str:
    check = deck.verification
    if check is None or check.ok:
        return "Verification: every figure matches the account's facts."
    return "Verification: FAILED, unsupported claims: " + ", ".join(check.unsupported)
