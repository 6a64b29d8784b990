"""Drafts saved as RFC 5322 `.eml` files in the outbox under CSM_HOME, for review before sending."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from agent.drafting.email import EmailDraft

# Drafts wait here for the CSM's review; nothing in this folder is sent automatically.
DRAFTS_FOLDER = "drafts"


def to_message(draft: EmailDraft, now: datetime | None = None) -> EmailMessage:
    """Build the RFC 5322 message for a draft, with Date and Message-ID headers."""
    sent = now or datetime.now(UTC)
    message = EmailMessage(policy=SMTP)
    message["From"] = formataddr((draft.from_name or "", draft.from_email or ""))
    if draft.to_email:
        message["To"] = formataddr((draft.to_name or "", draft.to_email))
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(sent)
    domain = (draft.from_email or "csm.invalid").rpartition("@")[2] or "csm.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    message["X-CSM-Account"] = draft.account_id
    message["X-CSM-Purpose"] = draft.purpose
    message["X-CSM-Written-By"] = draft.written_by
    message["X-CSM-Verified"] = "yes" if draft.verification.ok else "no"
    message.set_content(draft.body)
    return message


def save_draft(
    draft: EmailDraft,
    outbox: Path,
    now: datetime | None = None,
    folder_name: str = DRAFTS_FOLDER,
    headers: dict[str, str] | None = None,
) -> Path:
    """Write the draft as `<outbox>/<folder_name>/<timestamp>-<account>-<purpose>.eml`.

    Args:
        headers: extra header fields to add, such as a date to send on.

    Returns:
        The path written.
    """
    message = to_message(draft, now)
    for name, value in (headers or {}).items():
        message[name] = value
    folder = outbox / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    account = re.sub(r"[^A-Za-z0-9_-]+", "_", draft.account_id)
    path = folder / f"{stamp}-{account}-{draft.purpose}.eml"
    temporary = path.with_suffix(".eml.tmp")
    temporary.write_bytes(message.as_bytes())
    temporary.replace(path)
    return path
