"""Pydantic models that validate one imported row per kind; field names are the table columns.

Each model leaves out the `source` column, which the importer sets to the imported file. A
model fills in what the source may lack: the id (from a hash of the row's identifying
fields) and a ticket's status.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    field_validator,
    model_validator,
)

from agent.ingest.derive import derive_id
from agent.ingest.values import (
    parse_bool,
    parse_date,
    parse_datetime,
    parse_float,
    parse_int,
    parse_non_negative,
    parse_text,
)
from agent.store import tables

# Maximum length of one text value, in characters. Text columns have no length limit in
# the store. A longer value is more often a whole file read into one cell (after an
# unclosed quote) than real text, and embedding it for search would take minutes.
MAX_TEXT_CHARS = 1_000_000

Text = Annotated[str | None, BeforeValidator(parse_text)]
RequiredText = Annotated[str, BeforeValidator(parse_text)]
Bool = Annotated[bool | None, BeforeValidator(parse_bool)]
Float = Annotated[float | None, BeforeValidator(parse_float)]
RequiredFloat = Annotated[float, BeforeValidator(parse_float)]
Count = Annotated[int | None, BeforeValidator(parse_int), AfterValidator(parse_non_negative)]
RequiredCount = Annotated[int, BeforeValidator(parse_int), AfterValidator(parse_non_negative)]
Amount = Annotated[float | None, BeforeValidator(parse_float), AfterValidator(parse_non_negative)]
Date = Annotated[date | None, BeforeValidator(parse_date)]
RequiredDate = Annotated[date, BeforeValidator(parse_date)]
DateTime = Annotated[datetime | None, BeforeValidator(parse_datetime)]
RequiredDateTime = Annotated[datetime, BeforeValidator(parse_datetime)]


def _choice(allowed: tuple[str, ...], synonyms: dict[str, str] | None = None) -> Callable:
    """Build a parser that lower-cases a value and accepts only `allowed` or a synonym."""
    synonyms = synonyms or {}

    def parse(value: Any) -> str | None:
        text = parse_text(value)
        if text is None:
            return None
        word = text.casefold()
        word = synonyms.get(word, word)
        if word not in allowed:
            raise ValueError(f"not one of {', '.join(allowed)}")
        return word

    return parse


def _ticket_status(value: Any) -> str | None:
    text = parse_text(value)
    if text is not None and text.casefold().startswith("closed"):
        return "closed"
    return _choice(
        ("open", "pending", "closed"),
        {
            "new": "open",
            "in progress": "open",
            "reopened": "open",
            "waiting": "pending",
            "on hold": "pending",
            "resolved": "closed",
            "solved": "closed",
            "done": "closed",
        },
    )(text)


TicketStatus = Annotated[str | None, BeforeValidator(_ticket_status)]
NoteKind = Annotated[
    str | None,
    BeforeValidator(
        _choice(
            ("call", "meeting", "email", "transcript", "note"),
            {"notes": "note", "calls": "call", "meetings": "meeting", "emails": "email"},
        )
    ),
]
SurveyKind = Annotated[str, BeforeValidator(_choice(("nps", "csat")))]
ContactRole = Annotated[
    str | None, BeforeValidator(_choice(("champion", "sponsor", "admin", "user")))
]
LifecycleStage = Annotated[
    str | None, BeforeValidator(_choice(("onboarding", "adoption", "steady")))
]


class Record(BaseModel):
    """Fields shared by every kind: the row id, derived from `key_fields` when absent."""

    model_config = ConfigDict(extra="ignore")

    table: ClassVar[type[tables.Base]]
    id_prefix: ClassVar[str]
    key_fields: ClassVar[tuple[str, ...]]

    id: Text = None

    @field_validator("*", mode="after")
    @classmethod
    def _fits_column(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            column = cls.table.__table__.columns.get(info.field_name)
            length = getattr(column.type, "length", None) if column is not None else None
            limit = length or MAX_TEXT_CHARS
            if len(value) > limit:
                fix = "Shorten the value" if length else "Split the text into several rows"
                raise ValueError(
                    f"{len(value):,} characters long, over the limit of {limit:,} for this "
                    f"field. {fix}"
                )
        return value

    @model_validator(mode="after")
    def _fill_id(self) -> Record:
        if self.id is None:
            values = [getattr(self, name) for name in self.key_fields]
            self.id = derive_id(self.id_prefix, values)
        return self


class AccountRecord(Record):
    table = tables.Account
    id_prefix = "account"
    key_fields = ("name",)

    name: RequiredText
    industry: Text = None
    country: Text = None
    signup_date: Date = None
    referral_source: Text = None
    plan_tier: Text = None
    seats: Count = None
    is_trial: Bool = None
    churned: Bool = None
    lifecycle_stage: LifecycleStage = None
    segment: Text = None
    csm_name: Text = None
    csm_email: Text = None


class ContactRecord(Record):
    table = tables.Contact
    id_prefix = "contact"
    key_fields = ("account_id", "email", "name")

    account_id: RequiredText
    name: RequiredText
    email: Text = None
    title: Text = None
    role: ContactRole = None
    timezone: Text = None
    is_active: Bool = None
    left_on: Date = None


class SubscriptionRecord(Record):
    table = tables.Subscription
    id_prefix = "subscription"
    key_fields = ("account_id", "start_date", "plan_tier")

    account_id: RequiredText
    start_date: Date = None
    end_date: Date = None
    renewal_date: Date = None
    plan_tier: Text = None
    seats: Count = None
    mrr: Amount = None
    arr: Amount = None
    is_trial: Bool = None
    upgrade_flag: Bool = None
    downgrade_flag: Bool = None
    churn_flag: Bool = None
    billing_frequency: Text = None
    auto_renew: Bool = None


class UsageRecordModel(Record):
    table = tables.UsageRecord
    id_prefix = "usage"
    key_fields = ("account_id", "subscription_id", "usage_date", "feature")

    account_id: RequiredText
    subscription_id: Text = None
    usage_date: RequiredDate
    feature: RequiredText
    usage_count: RequiredCount
    duration_secs: Count = None
    error_count: Count = None
    active_users: Count = None
    is_beta: Bool = None


class TicketRecord(Record):
    table = tables.Ticket
    id_prefix = "ticket"
    key_fields = ("account_id", "submitted_at", "subject")

    account_id: RequiredText
    submitted_at: RequiredDateTime
    closed_at: DateTime = None
    priority: Text = None
    status: TicketStatus = None
    escalated: Bool = None
    subject: Text = None
    body: Text = None
    category: Text = None
    first_response_minutes: Amount = None
    resolution_hours: Amount = None
    satisfaction_score: Float = None

    @field_validator("satisfaction_score")
    @classmethod
    def _csat_scale(cls, value: float | None) -> float | None:
        if value is not None and not 1 <= value <= 5:
            raise ValueError("satisfaction score must be on the 1-5 CSAT scale")
        return value

    @model_validator(mode="after")
    def _derive_status(self) -> TicketRecord:
        if self.status is None:
            self.status = "closed" if self.closed_at is not None else "open"
        return self


class NoteRecord(Record):
    table = tables.Note
    id_prefix = "note"
    key_fields = ("account_id", "note_date", "title")

    account_id: RequiredText
    note_date: RequiredDate
    kind: NoteKind = None
    title: Text = None
    author: Text = None
    body: RequiredText


class DocRecord(Record):
    table = tables.Doc
    id_prefix = "doc"
    key_fields = ("title",)

    title: RequiredText
    description: Text = None
    body: RequiredText
    updated: Date = None


class ChurnRecord(Record):
    table = tables.ChurnEvent
    id_prefix = "churn"
    key_fields = ("account_id", "churn_date")

    account_id: RequiredText
    churn_date: RequiredDate
    reason_code: Text = None
    refund_amount: Amount = None
    preceding_upgrade: Bool = None
    preceding_downgrade: Bool = None
    is_reactivation: Bool = None
    feedback: Text = None


SCORE_SCALES = {"nps": (0.0, 10.0), "csat": (1.0, 5.0)}


class SurveyRecord(Record):
    table = tables.Survey
    id_prefix = "survey"
    key_fields = ("account_id", "contact_id", "response_date", "kind")

    account_id: RequiredText
    contact_id: Text = None
    response_date: RequiredDate
    kind: SurveyKind
    score: RequiredFloat
    comment: Text = None

    @field_validator("score")
    @classmethod
    def _score_on_scale(cls, value: float, info: ValidationInfo) -> float:
        kind = info.data.get("kind")
        if kind in SCORE_SCALES:
            low, high = SCORE_SCALES[kind]
            if not low <= value <= high:
                raise ValueError(f"a {kind} score must be between {low:g} and {high:g}")
        return value
