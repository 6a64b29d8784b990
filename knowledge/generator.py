"""Generate the Meshwright sample business as CSV files and a JSON file of stories.

Usage: python knowledge/generator.py OUT_DIR [--seed N] [--as-of YYYY-MM-DD]

The output depends only on the seed and the reference date: the same arguments always give
byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, datetime
from pathlib import Path

if __name__ == "__main__" and not __package__:
    # Run as a script: make the repository root importable so `knowledge` resolves.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.accounts import Account, build_accounts
from knowledge.notes import Note, write_notes
from knowledge.outcomes import ChurnEvent, Survey, churn_events_for, summarise, surveys_for
from knowledge.tickets import Ticket, plan_tickets, write_ticket_text
from knowledge.usage import simulate_usage

DEFAULT_SEED = 20261130
DEFAULT_AS_OF = date(2026, 11, 30)
DOCS_DIR = Path(__file__).resolve().parent / "docs"

COLUMNS = {
    "accounts": (
        "id",
        "name",
        "industry",
        "country",
        "signup_date",
        "referral_source",
        "plan_tier",
        "seats",
        "is_trial",
        "churned",
        "lifecycle_stage",
        "segment",
        "csm_name",
        "csm_email",
    ),
    "contacts": (
        "id",
        "account_id",
        "name",
        "email",
        "title",
        "role",
        "timezone",
        "is_active",
        "left_on",
    ),
    "subscriptions": (
        "id",
        "account_id",
        "start_date",
        "end_date",
        "renewal_date",
        "plan_tier",
        "seats",
        "mrr",
        "arr",
        "is_trial",
        "upgrade_flag",
        "downgrade_flag",
        "churn_flag",
        "billing_frequency",
        "auto_renew",
    ),
    "usage": (
        "id",
        "account_id",
        "subscription_id",
        "usage_date",
        "feature",
        "usage_count",
        "duration_secs",
        "error_count",
        "active_users",
        "is_beta",
    ),
    "tickets": (
        "id",
        "account_id",
        "submitted_at",
        "closed_at",
        "priority",
        "status",
        "escalated",
        "subject",
        "body",
        "category",
        "first_response_minutes",
        "resolution_hours",
        "satisfaction_score",
    ),
    "notes": ("id", "account_id", "note_date", "kind", "title", "author", "body"),
    "surveys": ("id", "account_id", "contact_id", "response_date", "kind", "score", "comment"),
    "churn": (
        "id",
        "account_id",
        "churn_date",
        "reason_code",
        "refund_amount",
        "preceding_upgrade",
        "preceding_downgrade",
        "is_reactivation",
        "feedback",
    ),
}


def generate(
    out_dir: Path, seed: int = DEFAULT_SEED, as_of: date = DEFAULT_AS_OF
) -> dict[str, Path]:
    """Write the sample business into `out_dir`.

    Args:
        out_dir: folder for the files; created if missing, existing files are replaced.
        seed: seed of every random choice; the same seed and `as_of` give identical files.
        as_of: the reference date ("today" in the data); usage covers the 365 days up to it.

    Returns:
        The path of each file, keyed by table name (`accounts`, `contacts`, `subscriptions`,
        `usage`, `tickets`, `notes`, `surveys`, `churn`) and `stories`.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    accounts = build_accounts(seed, as_of)

    usage_rows: list[dict] = []
    daily: dict[str, dict] = {}
    for account in accounts:
        rows, daily[account.id] = simulate_usage(account, seed, as_of)
        usage_rows.extend(rows)
    for number, row in enumerate(usage_rows, start=1):
        row["id"] = f"MW-U{number:06d}"

    tickets = _tickets(accounts, daily, seed, as_of)
    tickets_by_account: dict[str, list[Ticket]] = {account.id: [] for account in accounts}
    for ticket in tickets:
        tickets_by_account[ticket.account.id].append(ticket)

    notes: list[Note] = []
    surveys: list[Survey] = []
    churn_events: list[ChurnEvent] = []
    stories = {}
    for account in accounts:
        own_tickets = tickets_by_account[account.id]
        notes.extend(write_notes(account, own_tickets, daily[account.id], seed, as_of))
        surveys.extend(surveys_for(account, own_tickets, seed, as_of))
        churn_events.extend(churn_events_for(account, seed))
        stories[account.id] = {
            "story": account.story,
            "summary": summarise(account, own_tickets, daily[account.id], as_of),
        }
    _number(notes, lambda note: (note.note_date, note.account.id), "MW-N{:04d}")
    _number(surveys, lambda s: (s.response_date, s.account.id, s.contact.id), "MW-R{:04d}")
    _number(churn_events, lambda event: (event.churn_date, event.account.id), "MW-X{:03d}")

    tables = {
        "accounts": [_account_row(account) for account in accounts],
        "contacts": [_contact_row(account, c) for account in accounts for c in account.contacts],
        "subscriptions": [
            _subscription_row(account, s) for account in accounts for s in account.subscriptions
        ],
        "usage": usage_rows,
        "tickets": [_ticket_row(ticket) for ticket in tickets],
        "notes": [_note_row(note) for note in notes],
        "surveys": [_survey_row(survey) for survey in surveys],
        "churn": [_churn_row(event) for event in churn_events],
    }
    paths = {
        name: _write_csv(out_dir / f"{name}.csv", COLUMNS[name], rows)
        for name, rows in tables.items()
    }
    paths["stories"] = out_dir / "stories.json"
    paths["stories"].write_text(json.dumps(stories, indent=2) + "\n", encoding="utf-8")
    return paths


def _tickets(accounts: list[Account], daily: dict, seed: int, as_of: date) -> list[Ticket]:
    """Plan every ticket, number them in order of submission, then write their text."""
    tickets = [ticket for account in accounts for ticket in plan_tickets(account, seed, as_of)]
    tickets.sort(key=lambda ticket: (ticket.submitted_at, ticket.account.id))
    for number, ticket in enumerate(tickets, start=1001):
        ticket.id = f"MW-{number}"
    for ticket in tickets:
        write_ticket_text(ticket, seed, daily[ticket.account.id])
    return tickets


def _number(items: list, key, pattern: str) -> None:
    items.sort(key=key)
    for number, item in enumerate(items, start=1):
        item.id = pattern.format(number)


def _account_row(account: Account) -> dict:
    spec = account.spec
    current = account.current
    return {
        "id": account.id,
        "name": spec.name,
        "industry": spec.industry,
        "country": spec.country,
        "signup_date": account.signup,
        "referral_source": spec.referral,
        "plan_tier": current.plan,
        "seats": current.seats,
        "is_trial": current.is_trial,
        "churned": account.churn_date is not None,
        "lifecycle_stage": account.lifecycle,
        "segment": account.segment,
        "csm_name": account.csm.name,
        "csm_email": account.csm.email,
    }


def _contact_row(account: Account, contact) -> dict:
    return {
        "id": contact.id,
        "account_id": account.id,
        "name": contact.name,
        "email": contact.email,
        "title": contact.title,
        "role": contact.role,
        "timezone": contact.timezone,
        "is_active": contact.is_active,
        "left_on": contact.left_on,
    }


def _subscription_row(account: Account, subscription) -> dict:
    return {
        "id": subscription.id,
        "account_id": account.id,
        "start_date": subscription.start,
        "end_date": subscription.end,
        "renewal_date": subscription.renewal,
        "plan_tier": subscription.plan,
        "seats": subscription.seats,
        "mrr": f"{subscription.mrr:.2f}",
        "arr": f"{subscription.mrr * 12:.2f}",
        "is_trial": subscription.is_trial,
        "upgrade_flag": subscription.upgrade,
        "downgrade_flag": subscription.downgrade,
        "churn_flag": subscription.churn,
        "billing_frequency": subscription.billing,
        "auto_renew": subscription.auto_renew,
    }


def _ticket_row(ticket: Ticket) -> dict:
    return {
        "id": ticket.id,
        "account_id": ticket.account.id,
        "submitted_at": ticket.submitted_at,
        "closed_at": ticket.closed_at,
        "priority": ticket.priority,
        "status": ticket.status,
        "escalated": ticket.escalated,
        "subject": ticket.subject,
        "body": ticket.body,
        "category": ticket.category,
        "first_response_minutes": ticket.first_response_minutes,
        "resolution_hours": ticket.resolution_hours,
        "satisfaction_score": ticket.satisfaction,
    }


def _note_row(note: Note) -> dict:
    return {
        "id": note.id,
        "account_id": note.account.id,
        "note_date": note.note_date,
        "kind": note.kind,
        "title": note.title,
        "author": note.account.csm.name,
        "body": note.body,
    }


def _survey_row(survey: Survey) -> dict:
    return {
        "id": survey.id,
        "account_id": survey.account.id,
        "contact_id": survey.contact.id,
        "response_date": survey.response_date,
        "kind": survey.kind,
        "score": survey.score,
        "comment": survey.comment,
    }


def _churn_row(event: ChurnEvent) -> dict:
    return {
        "id": event.id,
        "account_id": event.account.id,
        "churn_date": event.churn_date,
        "reason_code": event.reason_code,
        "refund_amount": f"{event.refund_amount:.2f}",
        "preceding_upgrade": event.preceding_upgrade,
        "preceding_downgrade": event.preceding_downgrade,
        "is_reactivation": event.is_reactivation,
        "feedback": event.feedback,
    }


def _cell(value: object) -> str:
    """Format one CSV cell: ISO dates, lowercase booleans, empty for missing values."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row[column]) for column in columns])
    return path


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, generate the files and print each path with its row count."""
    parser = argparse.ArgumentParser(description="Generate the Meshwright sample business.")
    parser.add_argument("out_dir", type=Path, help="folder to write the CSV and JSON files to")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=DEFAULT_AS_OF,
        help=f"reference date, YYYY-MM-DD (default {DEFAULT_AS_OF})",
    )
    args = parser.parse_args(argv)
    paths = generate(args.out_dir, seed=args.seed, as_of=args.as_of)
    for name, path in paths.items():
        if path.suffix == ".csv":
            with path.open(encoding="utf-8") as handle:
                count = sum(1 for _ in csv.reader(handle)) - 1
        else:
            count = len(json.loads(path.read_text(encoding="utf-8")))
        print(f"{name}\t{count}\t{path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
