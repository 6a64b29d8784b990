"""The kinds `csm import` loads: their record model, required columns and column aliases.

Aliases let known exports load without `--map`: the RavenStack SaaS tables, the CFPB
consumer complaint CSV, and the canonical column names of the store itself. Source columns
are compared after normalising (lower case, runs of other characters turned into `_`), so
`Complaint ID`, `complaint_id` and `COMPLAINT-ID` all match the alias `complaint_id`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agent.ingest.records import (
    AccountRecord,
    ChurnRecord,
    ContactRecord,
    DocRecord,
    NoteRecord,
    Record,
    SubscriptionRecord,
    SurveyRecord,
    TicketRecord,
    UsageRecordModel,
)
from agent.ingest.values import is_blank


def normalize_column(name: str) -> str:
    """Normalise a column name for alias lookup: `Complaint ID` becomes `complaint_id`."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().casefold()).strip("_")


@dataclass(frozen=True)
class Alias:
    """A source column name that feeds a field, with an optional value conversion."""

    field: str
    convert: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class KindSpec:
    """The definition of one import kind: its model, required fields and column aliases.

    Attributes:
        name: the `--kind` value.
        record: the pydantic model that validates a row.
        aliases: normalised source column name to the field it feeds.
        required: fields the file must provide, where a tuple of several names means any one.
        account_from_flag: whether `--account` may supply a missing account_id.
        index_kind: the index kind (notes, tickets, docs) for kinds whose text is searchable.
    """

    name: str
    record: type[Record]
    aliases: dict[str, Alias] = field(default_factory=dict)
    required: tuple[tuple[str, ...], ...] = ()
    account_from_flag: bool = False
    index_kind: str | None = None

    @property
    def fields(self) -> list[str]:
        return list(self.record.model_fields)


def _cfpb_id(value: Any) -> str | None:
    # CFPB complaint numbers are bare integers, so the prefix keeps them apart from ticket
    # ids of other sources.
    return None if is_blank(value) else f"CFPB-{str(value).strip()}"


def _cfpb_status(value: Any) -> str | None:
    # CFPB responses read "Closed with explanation", "Closed with monetary relief", and so
    # on. Anything else ("In progress", "Untimely response") leaves the complaint open.
    if is_blank(value):
        return None
    return "closed" if str(value).strip().casefold().startswith("closed") else "open"


def _aliases(**pairs: str | Alias) -> dict[str, Alias]:
    return {name: item if isinstance(item, Alias) else Alias(item) for name, item in pairs.items()}


ACCOUNTS = KindSpec(
    "accounts",
    AccountRecord,
    _aliases(
        account_id="id",
        account_name="name",
        company_name="name",
        customer_name="name",
        churn_flag="churned",
        is_churned="churned",
        csm="csm_name",
    ),
    required=(("id",), ("name",)),
)

CONTACTS = KindSpec(
    "contacts",
    ContactRecord,
    _aliases(
        contact_id="id",
        contact_name="name",
        full_name="name",
        email_address="email",
        job_title="title",
        active="is_active",
    ),
    required=(("account_id",), ("name",)),
)

SUBSCRIPTIONS = KindSpec(
    "subscriptions",
    SubscriptionRecord,
    _aliases(
        subscription_id="id",
        mrr_amount="mrr",
        arr_amount="arr",
        auto_renew_flag="auto_renew",
        plan="plan_tier",
        billing="billing_frequency",
    ),
    required=(("account_id",),),
)

USAGE = KindSpec(
    "usage",
    UsageRecordModel,
    _aliases(
        usage_id="id",
        feature_name="feature",
        usage_duration_secs="duration_secs",
        is_beta_feature="is_beta",
        date="usage_date",
        count="usage_count",
        errors="error_count",
    ),
    required=(("account_id", "subscription_id"), ("usage_date",), ("feature",), ("usage_count",)),
)

TICKETS = KindSpec(
    "tickets",
    TicketRecord,
    _aliases(
        ticket_id="id",
        resolution_time_hours="resolution_hours",
        first_response_time_minutes="first_response_minutes",
        escalation_flag="escalated",
        csat="satisfaction_score",
        created_at="submitted_at",
        description="body",
        title="subject",
        complaint_id=Alias("id", _cfpb_id),
        date_received="submitted_at",
        consumer_complaint_narrative="body",
        issue="subject",
        product="category",
        company_response_to_consumer=Alias("status", _cfpb_status),
    ),
    required=(("account_id",), ("submitted_at",)),
    account_from_flag=True,
    index_kind="tickets",
)

NOTES = KindSpec(
    "notes",
    NoteRecord,
    _aliases(note_id="id", date="note_date", text="body", content="body", note_type="kind"),
    required=(("account_id",), ("note_date",), ("body",)),
    account_from_flag=True,
    index_kind="notes",
)

DOCS = KindSpec(
    "docs",
    DocRecord,
    _aliases(doc_id="id", slug="id", content="body", text="body", last_updated="updated"),
    required=(("id",), ("title",), ("body",)),
    index_kind="docs",
)

CHURN = KindSpec(
    "churn",
    ChurnRecord,
    _aliases(
        churn_event_id="id",
        refund_amount_usd="refund_amount",
        preceding_upgrade_flag="preceding_upgrade",
        preceding_downgrade_flag="preceding_downgrade",
        feedback_text="feedback",
        reason="reason_code",
        date="churn_date",
    ),
    required=(("account_id",), ("churn_date",)),
)

SURVEYS = KindSpec(
    "surveys",
    SurveyRecord,
    _aliases(
        survey_id="id",
        response_id="id",
        date="response_date",
        survey_type="kind",
        type="kind",
        feedback="comment",
    ),
    required=(("account_id",), ("response_date",), ("kind",), ("score",)),
    account_from_flag=True,
)

KIND_SPECS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (ACCOUNTS, CONTACTS, SUBSCRIPTIONS, USAGE, TICKETS, NOTES, DOCS, CHURN, SURVEYS)
}
KINDS: tuple[str, ...] = tuple(KIND_SPECS)


def kind_fields(kind: str) -> list[str]:
    """Return the fields a kind stores, in table column order (without `source`)."""
    return get_spec(kind).fields


def get_spec(kind: str) -> KindSpec:
    """Look up a kind by name.

    Raises:
        InputError: the kind is not one of KINDS.
    """
    from agent.errors import InputError

    spec = KIND_SPECS.get(kind.strip().casefold())
    if spec is None:
        raise InputError(f"Unknown kind {kind!r}. Use one of: {', '.join(KINDS)}.")
    return spec
