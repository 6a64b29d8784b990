"""Check-in emails: from a template with no model, written by the model when one is set."""

from __future__ import annotations

import json
import logging
from datetime import date

from pydantic import BaseModel, Field

from agent.config import Settings
from agent.drafting.facts import PURPOSES, FactSheet, build_fact_sheet
from agent.drafting.style import Style, load_style
from agent.drafting.verify import Rejection, Verification, long_date, verify_draft
from agent.errors import InputError
from agent.prompts import load_prompt, prompts_dir, quote_data
from agent.store import Store
from agent.store.tables import Account

logger = logging.getLogger(__name__)


class EmailDraft(BaseModel):
    """A drafted email, the facts it was built from and the result of verifying it."""

    account_id: str
    account_name: str
    purpose: str
    to_name: str | None
    to_email: str | None
    from_name: str | None
    from_email: str | None
    subject: str
    body: str
    written_by: str = Field(description="`template` or `model:<name>`.")
    verification: Verification
    rejected: list[Rejection] = Field(
        default_factory=list, description="The model's drafts that failed verification."
    )
    warnings: list[str] = Field(default_factory=list)
    facts: FactSheet


def _environment():  # noqa: ANN202 - jinja2 is imported lazily
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(prompts_dir())),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )
    env.filters["longdate"] = lambda value: long_date(value) if isinstance(value, date) else value
    return env


def _split_subject(rendered: str) -> tuple[str, str]:
    first, _, rest = rendered.strip().partition("\n")
    if not first.startswith("Subject:"):
        raise InputError("An email template must start with a `Subject:` line.")
    body = "\n".join(line.rstrip() for line in rest.strip().splitlines())
    return first.removeprefix("Subject:").strip(), body + "\n"


def render_template(sheet: FactSheet, purpose: str, style: Style | None = None) -> tuple[str, str]:
    """Render `prompts/email/<purpose>.j2` with the fact sheet; return subject and body."""
    template = _environment().get_template(f"email/{purpose}.j2")
    rendered = template.render(
        **sheet.model_dump(),
        first_name=sheet.recipient_first_name or "there",
        sender_name=sheet.csm_name or "Your customer success manager",
        open_ticket=sheet.open_tickets[0] if sheet.open_tickets else None,
        recent_note=sheet.recent_notes[0] if sheet.recent_notes else None,
        sign_off=(style or Style()).sign_off,
    )
    return _split_subject(rendered)


def _model_messages(
    sheet: FactSheet, purpose: str, problem: str | None, style: Style
) -> list[tuple[str, str]]:
    facts = sheet.model_dump_json(indent=1, exclude={"facts"})
    user = load_prompt("email_request.md").format(
        purpose=purpose,
        facts=quote_data(facts),
        sources=quote_data(json.dumps([fact.model_dump() for fact in sheet.facts], indent=1)),
        tone=style.tone,
        sign_off=style.sign_off,
        avoid="; ".join(f'"{phrase}"' for phrase in style.avoided),
    )
    if problem:
        user += "\n\n" + problem
    return [("system", load_prompt("email_system.md")), ("human", user)]


def _parse_model_email(text: str) -> tuple[str, str] | None:
    cleaned = text.strip().removeprefix("```json").removeprefix("```").removesuffix("```")
    try:
        document = json.loads(cleaned)
    except json.JSONDecodeError:
        return None
    if not isinstance(document, dict):
        return None
    subject, body = document.get("subject"), document.get("body")
    if not isinstance(subject, str) or not isinstance(body, str):
        return None
    # A header cannot span lines, and a model sometimes wraps a long subject.
    return " ".join(subject.split()), body.strip() + "\n"


def _fit_warnings(sheet: FactSheet, account: Account, purpose: str) -> list[str]:
    """List what the CSM should know before sending: a missing recipient or sender, a misfit."""
    warnings: list[str] = []
    if sheet.recipient_email is None:
        warnings.append(
            "No active contact with an email address: import contacts with "
            "`csm import FILE --kind contacts`."
        )
    if sheet.csm_name is None:
        warnings.append(
            "The account names no CSM to sign the draft: import accounts with csm_name and "
            "csm_email, or set CSM_SENDER_NAME and CSM_SENDER_EMAIL."
        )
    stage = (account.lifecycle_stage or "").lower()
    if purpose == "onboarding" and stage and stage != "onboarding":
        warnings.append(f"The account is in the {stage} stage, not onboarding.")
    return warnings


def foreign_names(store: Store, account_id: str) -> set[str]:
    """Return the names of every other account and of their contacts."""
    from sqlalchemy import select

    from agent.store import Contact

    with store.session() as session:
        accounts = session.execute(select(Account.name).where(Account.id != account_id))
        contacts = session.execute(select(Contact.name).where(Contact.account_id != account_id))
        return {name for (name,) in accounts} | {name for (name,) in contacts}


def _write_with_model(  # noqa: ANN202
    model,  # noqa: ANN001 - a LangChain chat model
    sheet: FactSheet,
    purpose: str,
    others: set[str],
    style: Style,
    rejected: list[Rejection],
):
    """Ask the model for the email; on an unsupported claim, ask once more naming it.

    Each draft that fails is appended to `rejected`.
    """
    problem = None
    for attempt in (1, 2):
        reply = model.invoke(_model_messages(sheet, purpose, problem, style))
        parsed = _parse_model_email(str(reply.content))
        if parsed is None:
            rejected.append(Rejection(attempt=attempt, part="email", reason="invalid reply"))
            problem = 'Reply with only a JSON object: {"subject": "...", "body": "..."}.'
            continue
        subject, body = parsed
        check = verify_draft(subject + "\n" + body, sheet, others, style.avoided)
        if check.ok:
            return subject, body, check
        rejected.append(
            Rejection(
                attempt=attempt,
                part="email",
                reason="unsupported claims",
                unsupported=check.unsupported,
            )
        )
        problem = retry_request(check)
    return None


def retry_request(check: Verification) -> str:
    """Name what failed verification, so the model's second draft can avoid it."""
    claims = [c.text for c in check.claims if not c.supported and c.kind != "phrase"]
    phrases = [c.text for c in check.claims if not c.supported and c.kind == "phrase"]
    parts = []
    if claims:
        parts.append(f"Your draft stated claims that are not in the facts: {', '.join(claims)}.")
    if phrases:
        parts.append(f"Your draft used phrases to avoid: {', '.join(phrases)}.")
    return " ".join(parts) + " Rewrite it using only the facts given."


def draft_email(
    store: Store,
    account: Account,
    purpose: str = "checkin",
    model=None,  # noqa: ANN001 - a LangChain chat model or None
    model_name: str = "",
    settings: Settings | None = None,
    to: str | None = None,
) -> EmailDraft:
    """Draft an email of `purpose` to the account's right contact, verified against its facts."""
    if purpose not in PURPOSES:
        raise InputError(f"Unknown purpose {purpose!r}. Choose one of: {', '.join(PURPOSES)}.")
    sheet = build_fact_sheet(store, account, purpose, settings, to)
    warnings = _fit_warnings(sheet, account, purpose)
    written_by = "template"
    others = foreign_names(store, account.id)
    style = load_style(settings)
    result = None
    rejected: list[Rejection] = []
    if model is not None:
        result = _write_with_model(model, sheet, purpose, others, style, rejected)
    if result is not None:
        subject, body, check = result
        written_by = f"model:{model_name}"
    else:
        if model is not None:
            warnings.append(
                "The model's draft failed verification twice; this draft is from the template."
            )
        subject, body = render_template(sheet, purpose, style)
        check = verify_draft(subject + "\n" + body, sheet, others, style.avoided)
    return EmailDraft(
        account_id=account.id,
        account_name=account.name,
        purpose=purpose,
        to_name=sheet.recipient_name,
        to_email=sheet.recipient_email,
        from_name=sheet.csm_name,
        from_email=sheet.csm_email,
        subject=subject,
        body=body,
        written_by=written_by,
        verification=check,
        rejected=rejected,
        warnings=warnings,
        facts=sheet,
    )
