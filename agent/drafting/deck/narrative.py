"""The deck's narrative parts written by the model from the fact sheet, verified like emails.

The model writes the executive summary, the wins and the next steps; results, open issues
and goals stay computed. Each part is checked on its own. A part that fails is requested once
more with its unsupported claims named, and a part that fails again keeps its template text,
marked as such.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from agent.drafting.deck.document import Bullet, Deck, Section
from agent.drafting.facts import FactSheet
from agent.drafting.verify import Rejection, verify_draft
from agent.prompts import load_prompt, quote_data

# The parts the model writes: the JSON key, the section it replaces, and what to put in it.
PART_REQUESTS = {
    "summary": (
        "Executive summary",
        "3 to 5 bullets: where the account stands (health, and usage against the previous "
        "quarter) and the decisions requested from the customer, such as confirming a renewal, "
        "adding seats or agreeing how to resolve an escalated ticket.",
    ),
    "wins": (
        "Wins",
        "1 to 4 bullets: measured improvements in the quarter, such as usage growth, resolved "
        "tickets or a higher health score. With none in the facts, one bullet saying so.",
    ),
    "next_steps": (
        "Next steps",
        "2 to 4 bullets: who does what next, each naming its owner (the CSM, the customer or "
        "both sides).",
    ),
}
# A reply with more bullets than this for one part is not used, because a slide has room for
# about six.
MAX_PART_BULLETS = 6


@dataclass
class _Attempt:
    """The parts of one model reply that passed verification, and those rejected."""

    accepted: dict[str, list[str]]
    rejected: list[Rejection]


def write_narrative(
    model,  # noqa: ANN001 - a LangChain chat model
    model_name: str,
    deck: Deck,
    sheet: FactSheet,
    others: set[str],
) -> None:
    """Replace the deck's narrative parts with the model's text where it passes verification.

    Args:
        model: the chat model; it is called once, and once more if a part fails.
        model_name: recorded in each section's `written_by`.
        deck: the deck with its template sections; changed in place.
        sheet: the facts the model may use, which verification checks against.
        others: names of other accounts and their people, never allowed in the text.
    """
    requested = list(PART_REQUESTS)
    written: dict[str, list[str]] = {}
    problem = None
    for attempt in (1, 2):
        reply = model.invoke(_messages(deck, sheet, requested, problem))
        result = _check_reply(str(reply.content), requested, sheet, others, attempt)
        written.update(result.accepted)
        deck.rejected += result.rejected
        requested = [r.part for r in result.rejected]
        if not requested:
            break
        problem = _retry_request(result.rejected)
    by_title = {section.title: section for section in deck.sections}
    for part, (title, _request) in PART_REQUESTS.items():
        section = by_title[title]
        if part in written:
            section.bullets = [Bullet(text) for text in written[part]]
            section.written_by = f"model:{model_name}"
        else:
            _keep_template(deck, section, [r for r in deck.rejected if r.part == part])


def _keep_template(deck: Deck, section: Section, rejected: list[Rejection]) -> None:
    claims = sorted({claim for r in rejected for claim in r.unsupported})
    reason = f"unsupported claims: {', '.join(claims)}" if claims else rejected[-1].reason
    section.note = f"Template text: the model's text failed verification twice ({reason})."
    deck.warnings.append(
        f"{section.title}: the model's text failed verification twice ({reason}); the "
        "template text is kept."
    )


def _messages(
    deck: Deck, sheet: FactSheet, parts: list[str], problem: str | None
) -> list[tuple[str, str]]:
    facts = sheet.model_dump_json(indent=1, exclude={"facts"})
    sources = json.dumps([fact.model_dump() for fact in sheet.facts], indent=1)
    deck_name = (
        "QBR (quarterly business review)"
        if deck.kind == "qbr"
        else ("EBR (executive business review)")
    )
    recipient = deck.recipient_name or "the account team"
    if deck.recipient_role:
        recipient += f", the {deck.recipient_role}"
    user = load_prompt("deck_request.md").format(
        deck_name=deck_name,
        account_name=deck.account_name,
        quarter=deck.quarter.label,
        as_of=deck.as_of.isoformat(),
        recipient=recipient,
        parts="\n".join(f"- {part}: {PART_REQUESTS[part][1]}" for part in parts),
        facts=quote_data(facts),
        sources=quote_data(sources),
    )
    if problem:
        user += "\n\n" + problem
    return [("system", load_prompt("deck_system.md")), ("human", user)]


def _parse_reply(text: str) -> dict | None:
    cleaned = text.strip().removeprefix("```json").removeprefix("```").removesuffix("```")
    try:
        document = json.loads(cleaned)
    except json.JSONDecodeError:
        return None
    return document if isinstance(document, dict) else None


def _bullets(value: object) -> list[str] | None:
    """Return the part's bullets, or None unless it is a short list of non-empty strings."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_PART_BULLETS:
        return None
    if not all(isinstance(item, str) and item.strip() for item in value):
        return None
    # A bullet is one paragraph on a slide.
    return [" ".join(item.split()) for item in value]


def _check_reply(
    text: str, parts: list[str], sheet: FactSheet, others: set[str], attempt: int
) -> _Attempt:
    result = _Attempt(accepted={}, rejected=[])
    document = _parse_reply(text)
    for part in parts:
        if document is None:
            result.rejected.append(Rejection(attempt=attempt, part=part, reason="invalid reply"))
            continue
        bullets = _bullets(document.get(part))
        if bullets is None:
            result.rejected.append(Rejection(attempt=attempt, part=part, reason="missing part"))
            continue
        check = verify_draft("\n".join(bullets), sheet, others)
        if check.ok:
            result.accepted[part] = bullets
        else:
            result.rejected.append(
                Rejection(
                    attempt=attempt,
                    part=part,
                    reason="unsupported claims",
                    unsupported=check.unsupported,
                )
            )
    return result


def _retry_request(rejected: list[Rejection]) -> str:
    """Name what failed in each part, so the second reply can avoid it."""
    lines = ["Your previous reply could not be used:"]
    for rejection in rejected:
        if rejection.unsupported:
            claims = ", ".join(rejection.unsupported)
            lines.append(f"- {rejection.part}: claims that are not in the facts: {claims}.")
        else:
            lines.append(f"- {rejection.part}: {rejection.reason}; give it as a list of strings.")
    keys = ", ".join(f'"{r.part}"' for r in rejected)
    lines.append(
        f"Rewrite only these parts using only the facts given. Reply with only a JSON object "
        f"with the keys {keys}."
    )
    return "\n".join(lines)
