"""Opening the store and resolving account names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from agent.config import Settings
from agent.errors import CsmError, NotFoundError
from agent.store.tables import Account, Base


def _enable_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DB-API connection
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


class Store:
    """A handle on the book of business."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url)
        if url.startswith("sqlite"):
            _enable_sqlite_pragmas(self.engine)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def resolve_account(self, name_or_id: str) -> Account:
        """Find one account by id or forgivingly by name.

        Raises:
            NotFoundError: no account matches, or several match equally well; the message
                lists the closest names.
        """
        with self.session() as session:
            accounts = session.scalars(select(Account)).all()
        return match_account(name_or_id, accounts)

    def close(self) -> None:
        self.engine.dispose()


def _normalise(text: str) -> str:
    text = text.casefold()
    text = re.sub(r"\b(inc|llc|ltd|gmbh|corp|corporation|co|company)\b\.?", " ", text)
    return re.sub(r"[^0-9a-z]+", "", text)


def match_account(query: str, accounts: list[Account]) -> Account:
    """Match `query` against account ids and names, ignoring case, spacing and punctuation."""
    from rapidfuzz import fuzz, process

    if not accounts:
        raise NotFoundError(
            f"Account {query!r} not found: the store has no accounts. "
            "Run `csm init --demo` for the sample business or `csm import` to load yours."
        )
    wanted = query.strip()
    for account in accounts:
        if account.id.casefold() == wanted.casefold():
            return account
    key = _normalise(wanted)
    exact = [a for a in accounts if _normalise(a.name) == key]
    if len(exact) == 1:
        return exact[0]
    names = {a.id: a.name for a in accounts}
    ranked = process.extract(wanted, names, scorer=fuzz.WRatio, processor=str.casefold, limit=5)
    if exact:
        listing = ", ".join(f"{a.name} ({a.id})" for a in exact)
        raise NotFoundError(
            f"Account name {query!r} is ambiguous: {listing}. Use the account id.",
            [a.name for a in exact],
        )
    suggestions = [f"{name} ({account_id})" for name, score, account_id in ranked if score >= 60]
    hint = f" Did you mean {', '.join(repr(s) for s in suggestions[:3])}?" if suggestions else ""
    raise NotFoundError(
        f"Account {query!r} not found.{hint} Run `csm accounts` to list them.",
        suggestions,
    )


def open_store(settings: Settings) -> Store:
    """Open (and create if needed) the store under the settings' home folder."""
    home: Path = settings.home
    if settings.db_url.startswith("sqlite:///") and not home.exists():
        raise CsmError(
            f"No csm home at {home}. Run `csm init` (or `csm init --demo` for the sample "
            "business) first, or set CSM_HOME to an existing one."
        )
    return Store(settings.db_url)
