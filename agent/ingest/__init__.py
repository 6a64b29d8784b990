"""Importers: CSV, JSON and JSONL tables, text and Markdown notes, and doc folders.

Public surface:
    import_path     import one file or folder of one kind into the store and the index.
    ImportReport    what an import did: counts, encoding, ignored columns, warnings, errors.
    RowError        one rejected row: file, row, field, value, message.
    KINDS           the kinds `csm import --kind` accepts.
    kind_fields     the fields (table columns) of one kind.
    reindex_all     rebuild the index sources from the whole store.
"""

from agent.ingest.importer import import_path
from agent.ingest.indexing import reindex_all, sources_from_store
from agent.ingest.kinds import KINDS, kind_fields
from agent.ingest.report import ImportReport, RowError

__all__ = [
    "KINDS",
    "ImportReport",
    "RowError",
    "import_path",
    "kind_fields",
    "reindex_all",
    "sources_from_store",
]
