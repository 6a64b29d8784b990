"""The fact sheet: everything a draft may state about an account, each fact with its source."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field
from sqlalchemy import select

from agent.config import Settings
from agent.errors import InputError, NotFoundError
from agent.insights.components import is_active_on
from agent.insights.health import HealthReport, health_for
from agent.store import Contact, Note, Store, Ticket
from agent.store.tables import Account

# Contact roles each purpose writes to, in order of preference.
RECIPIENT_ROLES = {
    "checkin": ("champion", "admin", "sponsor", "user"),
    "renewal": ("sponsor", "champion", "admin", "user"),
    "onboarding": ("admin", "champion", "sponsor", "user"),
    "risk": ("champion", "sponsor", "admin", "user"),
    "followup": ("champion", "admin", "sponsor", "user"),
}
PURPOSES = tuple(RECIPIENT_ROLES)


class Fact(BaseModel):
    """One statement a draft may make, and where it came from."""

    name: str = Field(description="Machine name of the fact, e.g. `renewal_date`.")
    value: str = Field(description="The value as it may appear in a draft.")
    source: str = Field(description="Where the value comes from: a table row, ticket or note.")


class TicketFact(BaseModel):
    id: str
    subject: str
    submitted: date
    priority: str | None
    escalated: bool


class ContactFact(BaseModel):
    name: str
    role: str | None
    title: str | None
    email: str | None
    is_active: bool


class NoteFact(BaseModel):
    id: str
    title: str
    note_date: date


class FactSheet(BaseModel):
    """The facts about one account that a draft may use, as of one date."""

    account_id: str
    account_name: str
    as_of: date
    csm_name: str | None
    csm_email: str | None
    company_name: str | None
    recipient_name: str | None
    recipient_first_name: str | None
    recipient_email: str | None
    recipient_role: str | None
    contacts: list[ContactFact]
    plan_tier: str | None
    renewal_date: date | None
    days_to_renewal: int | None
    # Change in usage events, last window against the one before, in whole percent.
    usage_change_percent: int | None
    usage_window_days: int | None
    # The comparison behind the change, e.g. `the 30 days before`.
    usage_compared_with: str | None
    health_score: int | None
    health_band: str
    main_driver: str
    signals: list[str]
    open_tickets: list[TicketFact]
    recent_notes: list[NoteFact]
    facts: list[Fact]

    def value(self, name: str) -> str | None:
        for fact in self.facts:
            if fact.name == name:
                return fact.value
        return None


def _named_recipient(contacts: list[Contact], wanted: str, account: Account) -> Contact:
    """Find the contact a CSM named by email, full name, first name or role."""
    key = wanted.strip().casefold()
    for test in (
        lambda c: (c.email or "").casefold() == key,
        lambda c: c.name.casefold() == key,
        lambda c: c.name.split()[0].casefold() == key,
        lambda c: (c.role or "").casefold() == key,
    ):
        found = [c for c in contacts if test(c)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listing = ", ".join(f"{c.name} <{c.email}>" for c in found)
            raise InputError(f"--to {wanted!r} matches several contacts: {listing}.")
    known = ", ".join(f"{c.name} ({c.role or 'no role'})" for c in contacts) or "none"
    raise NotFoundError(
        f"No contact of {account.name} matches --to {wanted!r}. Its contacts: {known}."
    )


def _pick_recipient(contacts: list[Contact], purpose: str) -> Contact | None:
    active = [c for c in contacts if is_active_on(c, date.today()) and c.email]
    for role in RECIPIENT_ROLES[purpose]:
        for contact in active:
            if contact.role == role:
                return contact
    return active[0] if active else None


def _facts_from_health(report: HealthReport) -> list[Fact]:
    facts: list[Fact] = []
    if report.score is not None:
        facts.append(Fact(name="health_score", value=str(report.score), source="health model"))
    for component in report.components:
        if component.score is None:
            continue
        source = ", ".join(component.sources) or "health model"
        facts.append(Fact(name=component.name, value=component.detail, source=source))
    if report.renewal_date is not None:
        facts.append(
            Fact(
                name="renewal_date",
                value=report.renewal_date.isoformat(),
                source="subscriptions",
            )
        )
    if report.arr is not None:
        facts.append(Fact(name="arr", value=f"{report.arr:,.0f}", source="subscriptions"))
    return facts


def build_fact_sheet(
    store: Store,
    account: Account,
    purpose: str = "checkin",
    settings: Settings | None = None,
    to: str | None = None,
) -> FactSheet:
    """Gather the account's facts for a draft of the given purpose.

    The account's own CSM signs the draft; `settings` gives the sender for accounts that name
    none, and the company name. `to` names the recipient (email, name or role) instead of
    the contact the purpose picks.
    """
    report = health_for(store, account.id)
    with store.session() as session:
        contacts = list(session.scalars(select(Contact).where(Contact.account_id == account.id)))
        tickets = session.scalars(
            select(Ticket)
            .where(Ticket.account_id == account.id, Ticket.status != "closed")
            .where(Ticket.submitted_at <= datetime.combine(report.as_of, datetime.max.time()))
            .order_by(Ticket.escalated.desc(), Ticket.submitted_at)
        ).all()
        notes = session.scalars(
            select(Note)
            .where(Note.account_id == account.id, Note.note_date <= report.as_of)
            .order_by(Note.note_date.desc())
            .limit(3)
        ).all()
    if to:
        recipient = _named_recipient(contacts, to, account)
    else:
        recipient = _pick_recipient(contacts, purpose)
    by_name = {component.name: component for component in report.components}
    usage = by_name["usage_trend"].facts
    renewal_days = by_name["renewal"].facts.get("days")
    open_tickets = [
        TicketFact(
            id=t.id,
            subject=t.subject or "(no subject)",
            submitted=t.submitted_at.date(),
            priority=t.priority,
            escalated=bool(t.escalated),
        )
        for t in tickets
        if t.closed_at is None
    ]
    recent_notes = [
        NoteFact(id=n.id, title=n.title or "call notes", note_date=n.note_date) for n in notes
    ]
    return FactSheet(
        account_id=account.id,
        account_name=account.name,
        as_of=report.as_of,
        csm_name=account.csm_name or (settings.sender_name if settings else None),
        csm_email=account.csm_email or (settings.sender_email if settings else None),
        company_name=settings.company_name if settings else None,
        recipient_name=recipient.name if recipient else None,
        recipient_first_name=recipient.name.split()[0] if recipient else None,
        recipient_email=recipient.email if recipient else None,
        recipient_role=recipient.role if recipient else None,
        contacts=[
            ContactFact(
                name=c.name,
                role=c.role,
                title=c.title,
                email=c.email,
                is_active=is_active_on(c, date.today()),
            )
            for c in contacts
        ],
        plan_tier=report.plan_tier,
        renewal_date=report.renewal_date if renewal_days is not None else None,
        days_to_renewal=renewal_days,
        usage_change_percent=(
            round(usage["change"] * 100) if usage.get("change") is not None else None
        ),
        usage_compared_with=usage.get("compared_with"),
        usage_window_days=usage.get("window_days"),
        health_score=report.score,
        health_band=report.band,
        main_driver=report.main_driver,
        signals=[signal.name for signal in report.signals],
        open_tickets=open_tickets[:3],
        recent_notes=recent_notes,
        facts=_facts_from_health(report),
    )
