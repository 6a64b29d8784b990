"""Score grounding: does every drafted email and deck state only what the account's facts hold?

For each account, one email of each purpose and one QBR are drafted, by the configured model
or the templates, and verified. The score is the share of final drafts that pass. With a
model, the model's own outputs are scored too, including those that verification rejected
and the fallback template replaced, with every unsupported claim they made.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from agent.config import Settings
from agent.drafting.deck import build_deck
from agent.drafting.deck.narrative import PART_REQUESTS
from agent.drafting.email import draft_email
from agent.drafting.facts import PURPOSES
from agent.drafting.verify import Rejection
from agent.errors import InputError
from agent.store import Store
from agent.store.tables import Account

DECK_KIND = "qbr"
DRAFT_KINDS = (*PURPOSES, DECK_KIND)


@dataclass
class DraftCheck:
    """One draft and what verification found in it."""

    account_id: str
    account_name: str
    kind: str
    # Who wrote the draft: `template` or `model:<name>` for an email, and one such entry per
    # narrative part for a deck written with a model.
    written_by: list[str]
    ok: bool
    unsupported: list[str]
    # Model outputs that failed verification and were not used as written.
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def model_outputs_accepted(self) -> int:
        return sum(writer.startswith("model:") for writer in self.written_by)


@dataclass
class GroundingResult:
    writer: str
    checks: list[DraftCheck]
    seconds: float

    @property
    def drafts(self) -> int:
        return len(self.checks)

    @property
    def passed(self) -> int:
        return sum(check.ok for check in self.checks)

    @property
    def pass_share(self) -> float:
        return self.passed / self.drafts if self.drafts else 0.0

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """Return passed and total drafts for each kind that was drafted."""
        counts: dict[str, tuple[int, int]] = {}
        for check in self.checks:
            passed, total = counts.get(check.kind, (0, 0))
            counts[check.kind] = (passed + check.ok, total + 1)
        return counts

    @property
    def model_outputs(self) -> int:
        """Count the model's outputs checked: an email each, or a deck part each."""
        return self.model_outputs_passed + sum(len(check.rejected) for check in self.checks)

    @property
    def model_outputs_passed(self) -> int:
        return sum(check.model_outputs_accepted for check in self.checks)

    def failures(self) -> list[dict]:
        """List the final drafts that failed, with their unsupported claims."""
        return [
            {"account": c.account_name, "kind": c.kind, "unsupported": c.unsupported}
            for c in self.checks
            if not c.ok
        ]

    def caught(self) -> list[dict]:
        """List every rejected model output with the claims that verification caught."""
        return [
            {"account": check.account_name, "kind": check.kind, **rejection.model_dump()}
            for check in self.checks
            for rejection in check.rejected
        ]

    def to_dict(self) -> dict:
        return {
            "writer": self.writer,
            "drafts": self.drafts,
            "passed": self.passed,
            "pass_share": self.pass_share,
            "by_kind": {
                kind: {"passed": passed, "drafts": total}
                for kind, (passed, total) in self.by_kind().items()
            },
            "model_outputs": self.model_outputs,
            "model_outputs_passed": self.model_outputs_passed,
            "failures": self.failures(),
            "caught": self.caught(),
            "seconds": round(self.seconds, 1),
            "checks": [
                {**asdict(check), "rejected": [r.model_dump() for r in check.rejected]}
                for check in self.checks
            ],
        }


def _check_email(
    store: Store,
    account: Account,
    purpose: str,
    settings: Settings,
    model,  # noqa: ANN001 - a LangChain chat model or None
    model_name: str,
) -> DraftCheck:
    draft = draft_email(store, account, purpose, model, model_name, settings)
    return DraftCheck(
        account_id=account.id,
        account_name=account.name,
        kind=purpose,
        written_by=[draft.written_by],
        ok=draft.verification.ok,
        unsupported=draft.verification.unsupported,
        rejected=draft.rejected,
    )


def _check_deck(
    store: Store,
    account: Account,
    settings: Settings,
    model,  # noqa: ANN001 - a LangChain chat model or None
    model_name: str,
) -> DraftCheck:
    deck = build_deck(store, account, DECK_KIND, None, settings, model, model_name)
    verification = deck.verification
    titles = {title for title, _request in PART_REQUESTS.values()}
    narrative = [s.written_by for s in deck.sections if s.title in titles]
    return DraftCheck(
        account_id=account.id,
        account_name=account.name,
        kind=DECK_KIND,
        written_by=narrative if model is not None else ["template"],
        ok=verification is not None and verification.ok,
        unsupported=verification.unsupported if verification else [],
        rejected=deck.rejected,
    )


def evaluate_grounding(
    store: Store,
    settings: Settings,
    accounts: list[Account],
    kinds: tuple[str, ...] = DRAFT_KINDS,
    model=None,  # noqa: ANN001 - a LangChain chat model or None
    model_name: str = "",
) -> GroundingResult:
    """Draft and verify each kind of draft for each account.

    Args:
        kinds: email purposes and `qbr`, in the order to draft them.
        model: the chat model that writes the drafts, or None for the templates.

    Raises:
        InputError: a kind is not an email purpose or `qbr`.
    """
    unknown = [kind for kind in kinds if kind not in DRAFT_KINDS]
    if unknown:
        raise InputError(
            f"Unknown draft kind {unknown[0]!r}. Choose from: {', '.join(DRAFT_KINDS)}."
        )
    started = time.perf_counter()
    checks: list[DraftCheck] = []
    for account in accounts:
        for kind in kinds:
            if kind == DECK_KIND:
                checks.append(_check_deck(store, account, settings, model, model_name))
            else:
                checks.append(_check_email(store, account, kind, settings, model, model_name))
    writer = f"model:{model_name}" if model is not None else "templates"
    return GroundingResult(writer, checks, time.perf_counter() - started)
