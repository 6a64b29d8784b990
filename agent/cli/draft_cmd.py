"""`csm draft email` and `csm draft ebr`: emails and review decks built from an account's facts."""

from __future__ import annotations

import typer

from agent.cli.common import handle_errors, open_context, print_json, stderr

app = typer.Typer(
    help="Draft emails and QBR/EBR decks from an account's facts.", no_args_is_help=True
)


@app.command("email")
@handle_errors
def email_command(
    name: str = typer.Argument(..., help="Account name or id."),
    purpose: str = typer.Option(
        "checkin", "--purpose", "-p", help="checkin, renewal, onboarding, risk or followup."
    ),
    to: str = typer.Option(
        None,
        "--to",
        help="Recipient by email, name or role (champion, sponsor, admin); "
        "default: the contact the purpose calls for.",
    ),
    save: bool = typer.Option(
        True, "--save/--no-save", help="Save the draft as an .eml file in CSM_HOME/outbox/drafts."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Draft an email to the account's right contact, verified against its facts.

    The draft is saved for review, never sent: a draft that failed verification is saved
    with the header X-CSM-Verified: no.
    """
    from agent.assistant.tools import address
    from agent.drafting.email import draft_email
    from agent.drafting.outbox import save_draft
    from agent.llm import CONNECT_HINT, chat_model, model_name

    settings, store = open_context()
    account = store.resolve_account(name)
    model = chat_model(settings)
    draft = draft_email(
        store,
        account,
        purpose,
        model=model,
        model_name=model_name(settings),
        settings=settings,
        to=to,
    )
    saved = save_draft(draft, settings.outbox_dir) if save else None
    if as_json:
        print_json({**draft.model_dump(mode="json"), "saved_to": str(saved) if saved else None})
        return
    typer.echo(f"To: {address(draft.to_name, draft.to_email)}")
    typer.echo(f"From: {address(draft.from_name, draft.from_email)}")
    typer.echo(f"Subject: {draft.subject}\n")
    typer.echo(draft.body)
    status = (
        "verified"
        if draft.verification.ok
        else "FAILED verification: " + ", ".join(draft.verification.unsupported)
    )
    typer.echo(f"-- {draft.written_by} draft, {status} against the facts of {account.name}.")
    typer.echo("Sources: " + "; ".join(sorted({f.source for f in draft.facts.facts})))
    if saved:
        typer.echo(f"Saved for review (not sent): {saved}")
    for warning in draft.warnings:
        stderr(f"Warning: {warning}")
    if model is None:
        stderr(CONNECT_HINT)


@app.command("ebr")
@handle_errors
def ebr_command(
    name: str = typer.Argument(..., help="Account name or id."),
    kind: str = typer.Option(
        "ebr", "--kind", "-k", help="qbr (to the champion) or ebr (to the executive sponsor)."
    ),
    period: str = typer.Option(
        None, "--period", help="Quarter as YEARQn, e.g. 2026Q4; default: the book's quarter."
    ),
    fmt: str = typer.Option("md", "--format", "-f", help="md (with PNG charts) or pptx."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Build a QBR or EBR deck from the account's facts, with charts and sources.

    The deck is written to CSM_HOME/outbox/decks; one whose text has a claim the facts do not
    support is still written, marked as failing verification. With a model configured, the
    model writes the summary, wins and next steps, each verified like an email.
    """
    from agent.drafting.deck import write_deck
    from agent.llm import chat_model, model_name

    settings, store = open_context()
    account = store.resolve_account(name)
    model = chat_model(settings)
    deck, path = write_deck(
        store, account, settings, kind, period, fmt, model=model, model_name=model_name(settings)
    )
    verification = deck.verification
    if as_json:
        print_json(
            {
                "path": str(path),
                "format": path.suffix.lstrip("."),
                "kind": deck.kind,
                "period": deck.quarter.code,
                "verification": verification.model_dump(mode="json") if verification else None,
                "charts": [str(chart.path) for chart in deck.charts],
                "written_by": {section.title: section.written_by for section in deck.sections},
                "rejected": [rejection.model_dump() for rejection in deck.rejected],
                "warnings": deck.warnings,
            }
        )
        return
    typer.echo(str(path))
    if verification is not None and not verification.ok:
        stderr("FAILED verification: " + ", ".join(verification.unsupported))
    for warning in deck.warnings:
        stderr(f"Warning: {warning}")
