"""Sentiment rolled up for one account over its recent notes, tickets and comments."""

from __future__ import annotations

from datetime import date

from agent.insights.book import default_as_of, load_book
from agent.insights.components import scored_items
from agent.insights.sentiment import RolledUpSentiment, roll_up
from agent.store import Store


def account_sentiment(
    store: Store, account_id: str, as_of: date | None = None
) -> RolledUpSentiment | None:
    """Return the recency-weighted sentiment of the account's last 180 days, or None if silent."""
    with store.session() as session:
        when = as_of or default_as_of(session)
        (data,) = load_book(session, when, [account_id])
        return roll_up(scored_items(data), when)
