"""Tables of the book of business.

Every row has a stable string id taken from its source (or derived from it), so that
importing the same file twice finds the same rows. `source` names the file or generator a
row came from, so every fact shown to a CSM can cite it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(50))
    signup_date: Mapped[date | None] = mapped_column(Date)
    referral_source: Mapped[str | None] = mapped_column(String(100))
    plan_tier: Mapped[str | None] = mapped_column(String(50))
    seats: Mapped[int | None] = mapped_column(Integer)
    is_trial: Mapped[bool | None] = mapped_column(Boolean)
    churned: Mapped[bool | None] = mapped_column(Boolean)
    # onboarding | adoption | steady, as the source states it. Email drafts read it; the
    # health profile takes its stage from subscription dates instead, so past scores agree.
    lifecycle_stage: Mapped[str | None] = mapped_column(String(30))
    segment: Mapped[str | None] = mapped_column(String(50))
    csm_name: Mapped[str | None] = mapped_column(String(200))
    csm_email: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(300))


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    # champion | sponsor | admin | user
    role: Mapped[str | None] = mapped_column(String(30))
    timezone: Mapped[str | None] = mapped_column(String(64))
    is_active: Mapped[bool | None] = mapped_column(Boolean)
    left_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(300))


class Subscription(Base):
    __tablename__ = "subscriptions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    renewal_date: Mapped[date | None] = mapped_column(Date)
    plan_tier: Mapped[str | None] = mapped_column(String(50))
    seats: Mapped[int | None] = mapped_column(Integer)
    mrr: Mapped[float | None] = mapped_column(Float)
    arr: Mapped[float | None] = mapped_column(Float)
    is_trial: Mapped[bool | None] = mapped_column(Boolean)
    upgrade_flag: Mapped[bool | None] = mapped_column(Boolean)
    downgrade_flag: Mapped[bool | None] = mapped_column(Boolean)
    churn_flag: Mapped[bool | None] = mapped_column(Boolean)
    billing_frequency: Mapped[str | None] = mapped_column(String(30))
    auto_renew: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str | None] = mapped_column(String(300))


class UsageRecord(Base):
    """One feature's use by one account (through one subscription) on one day."""

    __tablename__ = "usage"
    __table_args__ = (Index("ix_usage_account_date", "account_id", "usage_date"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    subscription_id: Mapped[str | None] = mapped_column(String(64))
    usage_date: Mapped[date] = mapped_column(Date)
    feature: Mapped[str] = mapped_column(String(100))
    usage_count: Mapped[int] = mapped_column(Integer)
    duration_secs: Mapped[int | None] = mapped_column(Integer)
    error_count: Mapped[int | None] = mapped_column(Integer)
    # Distinct users of the feature that day; absent in sources that only count events.
    active_users: Mapped[int | None] = mapped_column(Integer)
    is_beta: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str | None] = mapped_column(String(300))


class Ticket(Base):
    __tablename__ = "tickets"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    priority: Mapped[str | None] = mapped_column(String(20))
    # open | pending | closed
    status: Mapped[str | None] = mapped_column(String(20))
    escalated: Mapped[bool | None] = mapped_column(Boolean)
    subject: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(200))
    first_response_minutes: Mapped[float | None] = mapped_column(Float)
    resolution_hours: Mapped[float | None] = mapped_column(Float)
    # CSAT on a 1-5 scale.
    satisfaction_score: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(300))


class Note(Base):
    """A call note, meeting transcript or email thread about one account."""

    __tablename__ = "notes"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    note_date: Mapped[date] = mapped_column(Date)
    # call | meeting | email | transcript | note
    kind: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str | None] = mapped_column(String(500))
    author: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(300))


class Doc(Base):
    """A product documentation page, shared by all accounts."""

    __tablename__ = "docs"

    id: Mapped[str] = mapped_column(String(300), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    updated: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(300))


class ChurnEvent(Base):
    __tablename__ = "churn_events"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    churn_date: Mapped[date] = mapped_column(Date)
    reason_code: Mapped[str | None] = mapped_column(String(100))
    refund_amount: Mapped[float | None] = mapped_column(Float)
    preceding_upgrade: Mapped[bool | None] = mapped_column(Boolean)
    preceding_downgrade: Mapped[bool | None] = mapped_column(Boolean)
    is_reactivation: Mapped[bool | None] = mapped_column(Boolean)
    feedback: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(300))


class Survey(Base):
    """One NPS (0-10) or CSAT (1-5) response."""

    __tablename__ = "surveys"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(String(64))
    response_date: Mapped[date] = mapped_column(Date)
    # nps | csat
    kind: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(300))


class HealthOverride(Base):
    """A CSM's own judgement of an account's health, with the reason and an expiry."""

    __tablename__ = "health_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(200))
    created_on: Mapped[date] = mapped_column(Date)
    # The override stops applying on this date.
    expires_on: Mapped[date] = mapped_column(Date)
    cleared: Mapped[bool] = mapped_column(Boolean, default=False)


class HealthSnapshot(Base):
    """An account's health as the model scored it on one day: at most one row per day."""

    __tablename__ = "health_snapshots"
    __table_args__ = (UniqueConstraint("account_id", "snapshot_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    snapshot_date: Mapped[date] = mapped_column(Date, index=True)
    # The model's own score and band, before any CSM override; None with every input missing.
    score: Mapped[int | None] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(20))
    profile: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[int] = mapped_column(Integer)
    # Digest of the model's content: snapshots of another model are not compared with scores.
    model_digest: Mapped[str] = mapped_column(String(64))
    # JSON list of {name, label, score, weight, contribution, detail} per component.
    components: Mapped[str] = mapped_column(Text)
    # ranked (a command ranked the book) | recorded (`csm health snapshot`) | backfill
    origin: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
