"""Values an import fills in when the source does not carry them: row ids."""

from __future__ import annotations

import hashlib
from typing import Any


def derive_id(prefix: str, values: list[Any]) -> str:
    """Build a stable id from the values that identify a row, e.g. `note-3f9c0a1b2c4d`.

    The same values always give the same id, so re-importing a file without an id column
    finds the rows stored the first time.
    """
    key = "\x1f".join("" if value is None else str(value) for value in values)
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{digest}"
