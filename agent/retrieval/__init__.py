"""The Chroma index over call notes, tickets and product docs.

Public surface:
    SourceText  one source (a note, a ticket, a doc page) to index.
    Hit         one ranked passage with its citation.
    open_index  the persistent index under CSM_HOME.
"""

from agent.retrieval.types import Hit, IndexStats, SourceText

__all__ = ["Hit", "IndexStats", "SourceText", "open_index"]


def open_index(settings):  # noqa: ANN001, ANN201 - lazy import keeps `csm --help` fast
    """Open the persistent index under `settings.index_dir`."""
    from agent.retrieval.index import Index

    return Index(settings)
