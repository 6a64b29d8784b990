"""Actions with side effects, held until the CSM confirms them.

A tool that would change something (schedule a follow-up email, write a health override)
only proposes the change here. The change runs when the CSM types `/confirm N` in chat,
a line the chat reads from the keyboard and never from model output, so neither the
model nor text it was shown (a ticket, a note) can confirm anything. `csm ask` has no
confirmation step: its proposals are listed with the command that would carry them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from agent.errors import InputError

# How far ahead a follow-up may be scheduled.
MAX_FOLLOWUP_DAYS = 365
SCHEDULED_FOLDER = "scheduled"


@dataclass
class PendingAction:
    """A proposed change: what it does, for which account, and the values to apply."""

    number: int
    kind: str  # "schedule_followup" or "set_health_override"
    account_id: str
    account_name: str
    summary: str
    command: str  # the csm command that does the same from the shell
    values: dict[str, Any]


@dataclass
class ActionQueue:
    """The actions proposed in one chat session, numbered from 1."""

    pending: dict[int, PendingAction] = field(default_factory=dict)
    _next: int = 1

    def propose(self, **details: Any) -> PendingAction:
        action = PendingAction(number=self._next, **details)
        self.pending[action.number] = action
        self._next += 1
        return action

    @property
    def last_number(self) -> int:
        """The number of the newest proposal, pending or not; 0 before the first."""
        return self._next - 1

    def take(self, number: int) -> PendingAction:
        """Remove and return one pending action.

        Raises:
            InputError: no pending action has that number.
        """
        if number not in self.pending:
            listed = ", ".join(str(n) for n in self.pending) or "none"
            raise InputError(f"No pending action {number}. Pending: {listed}.")
        return self.pending.pop(number)


def parse_followup_date(value: str, today: date | None = None) -> date:
    """Read a follow-up date (YYYY-MM-DD) that lies between today and a year ahead.

    Raises:
        InputError: the value is not a date, or lies outside that range.
    """
    start = today or date.today()
    try:
        when = date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"Follow-up date {value!r} is not a date; write YYYY-MM-DD.") from None
    if not start <= when <= start + timedelta(days=MAX_FOLLOWUP_DAYS):
        raise InputError(
            f"Follow-up date {when} must lie between today ({start}) and "
            f"{MAX_FOLLOWUP_DAYS} days ahead."
        )
    return when


def save_scheduled(draft, outbox: Path, send_on: date, now: datetime | None = None) -> Path:  # noqa: ANN001
    """Save a confirmed follow-up as an .eml in `<outbox>/scheduled`, marked with its date.

    Nothing reads this folder to send mail: a campaign that sends it must apply its own
    approval rule first.
    """
    from agent.drafting.outbox import save_draft

    headers = {"X-CSM-Send-On": send_on.isoformat()}
    return save_draft(draft, outbox, now, folder_name=SCHEDULED_FOLDER, headers=headers)
