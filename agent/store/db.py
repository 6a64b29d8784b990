"""Opening the store and resolving account names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from agent.config import Settings
from agent.errors import ConfigError, CsmError, InputError, NotFoundError, RuntimeFailure
from agent.store.tables import Account, Base


def _enable_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DB-API connection
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def _is_store_failure(error: BaseException) -> bool:
    # IntegrityError and its siblings are DatabaseError subclasses that callers handle per
    # row. A failure of the database itself (cannot open, damaged, locked, read-only, disk
    # I/O) arrives as OperationalError or as a bare DatabaseError.
    return isinstance(error, OperationalError) or type(error) is DatabaseError


def _describe_url(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return f"the store {parsed.database or '(in memory)'}"
    return f"the store at {parsed.render_as_string(hide_password=True)}"


def store_failure(url: str, error: DatabaseError) -> CsmError | RuntimeFailure:
    """Turn a failure of the database itself into a one-line error that names the fix."""
    where = _describe_url(url)
    subject = where[:1].upper() + where[1:]
    reason = (str(getattr(error, "orig", None) or error).strip().splitlines() or ["?"])[0]
    lowered = reason.casefold()
    if "not a database" in lowered or "malformed" in lowered:
        return RuntimeFailure(
            f"{subject} is damaged ({reason}). Restore it from a backup, or move it aside and "
            "run `csm init` to start an empty one, then import your data again."
        )
    if "readonly" in lowered or "read-only" in lowered:
        return ConfigError(
            f"{subject} is read-only ({reason}). Make the file and its folder (CSM_HOME) "
            "writable, or point CSM_HOME at a writable copy."
        )
    if "unable to open" in lowered:
        return ConfigError(
            f"Cannot open {where} ({reason}). Check that CSM_HOME is a folder you can read and "
            "write: SQLite keeps its journal files beside the store."
        )
    if "locked" in lowered or "busy" in lowered:
        return RuntimeFailure(
            f"{subject} is locked by another process ({reason}). Wait for the other csm command "
            "to finish, then run this one again."
        )
    return RuntimeFailure(
        f"{subject} failed ({reason}). Check the disk and the permissions of CSM_HOME, or set "
        "CSM_DATABASE_URL to a working database."
    )


class Store:
    """A handle on the book of business.

    Failures of the database itself (it cannot be opened, is damaged, locked or read-only)
    are raised as ConfigError or RuntimeFailure with the fix, from here and from `session`.
    """

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url)
        if url.startswith("sqlite"):
            _enable_sqlite_pragmas(self.engine)
        try:
            Base.metadata.create_all(self.engine)
        except DatabaseError as error:
            self.engine.dispose()
            if not _is_store_failure(error):
                raise
            raise store_failure(url, error) from error
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException as error:
            self._rollback(session)
            if isinstance(error, DatabaseError) and _is_store_failure(error):
                raise store_failure(self.url, error) from error
            raise
        finally:
            session.close()

    @staticmethod
    def _rollback(session: Session) -> None:
        # A damaged or vanished database can fail the rollback too. The error that caused
        # the rollback is the one worth reporting, so this one is dropped.
        with suppress(DatabaseError):
            session.rollback()

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


# rapidfuzz ratio (0-100) at or above which a misspelt name matches its account.
CLOSE_SPELLING_MIN = 88


def _words(text: str) -> list[str]:
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).split()


def match_account(query: str, accounts: list[Account]) -> Account:
    """Match `query` against account ids and names, ignoring case, spacing and punctuation."""
    from rapidfuzz import fuzz, process

    wanted = query.strip()
    if not wanted:
        raise InputError(
            "The account name is empty. Give an account name or id (`csm accounts` lists them)."
        )
    if not accounts:
        raise NotFoundError(
            f"Account {query!r} not found: the store has no accounts. "
            "Run `csm init --demo` for the sample business or `csm import` to load yours."
        )
    for account in accounts:
        if account.id.casefold() == wanted.casefold():
            return account
    key = _normalise(wanted)
    exact = [a for a in accounts if _normalise(a.name) == key]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        # A leading part of a name ("Northwind" for "Northwind Studios") or a close spelling
        # of the whole name ("Northwnd Studios") counts when it points at one account.
        words = _words(wanted)
        exact = [a for a in accounts if words and _words(a.name)[: len(words)] == words]
    if not exact:
        close = [(fuzz.ratio(key, _normalise(a.name)), a) for a in accounts]
        best = max((score for score, _account in close), default=0)
        if best >= CLOSE_SPELLING_MIN:
            exact = [a for score, a in close if score == best]
    if len(exact) == 1:
        return exact[0]
    names = {a.id: a.name for a in accounts}
    ranked = process.extract(wanted, names, scorer=fuzz.WRatio, processor=str.casefold, limit=5)
    if exact:
        listing = ", ".join(f"{a.name} ({a.id})" for a in exact[:5])
        raise NotFoundError(
            f"Account name {query!r} is ambiguous: it matches {listing}. Use the full name "
            "or the account id.",
            [a.name for a in exact],
        )
    suggestions = [f"{name} ({account_id})" for name, score, account_id in ranked if score >= 60]
    hint = f" Did you mean {', '.join(repr(s) for s in suggestions[:3])}?" if suggestions else ""
    raise NotFoundError(
        f"Account {query!r} not found.{hint} Run `csm accounts` to list them.",
        suggestions,
    )


def _check_home_is_folder(home: Path) -> None:
    if home.exists() and not home.is_dir():
        raise ConfigError(
            f"CSM_HOME={home} is a file, not a folder. Point CSM_HOME at a folder (the default "
            "is ~/.csm), or move the file away."
        )


def create_home(settings: Settings) -> Path:
    """Create the home folder if needed and return it.

    Raises:
        ConfigError: the home (or a parent of it) is a file, or the folder cannot be created.
    """
    home = settings.home
    _check_home_is_folder(home)
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(
            f"Cannot create the csm home CSM_HOME={home} ({error.strerror or error}). Set "
            "CSM_HOME to a folder you can write to."
        ) from None
    return home


def open_store(settings: Settings) -> Store:
    """Open (and create if needed) the store under the settings' home folder."""
    home: Path = settings.home
    _check_home_is_folder(home)
    if settings.db_url.startswith("sqlite:///") and not home.exists():
        raise CsmError(
            f"No csm home at {home}. Run `csm init` (or `csm init --demo` for the sample "
            "business) first, or set CSM_HOME to an existing one."
        )
    return Store(settings.db_url)
