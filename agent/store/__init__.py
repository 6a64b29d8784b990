"""The book of business: SQLite (or any SQLAlchemy URL) through SQLAlchemy."""

from agent.store.db import Store, open_store
from agent.store.tables import (
    Account,
    Base,
    ChurnEvent,
    Contact,
    Doc,
    HealthOverride,
    HealthSnapshot,
    Note,
    Subscription,
    Survey,
    Ticket,
    UsageRecord,
)

__all__ = [
    "Account",
    "Base",
    "ChurnEvent",
    "Contact",
    "Doc",
    "HealthOverride",
    "HealthSnapshot",
    "Note",
    "Store",
    "Subscription",
    "Survey",
    "Ticket",
    "UsageRecord",
    "open_store",
]
