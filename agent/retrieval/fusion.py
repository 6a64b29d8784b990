"""Rules that combine the dense and keyword rankings of one query into one ranking.

Both take each retriever's candidates as {chunk id: score}, higher better, and return fused
scores, higher better. `csm eval retrieval` measures each rule against dense and keyword
alone; DEFAULT_FUSION is the rule that measured best there (docs/retrieval.md has the
figures).
"""

from __future__ import annotations

from collections.abc import Callable

# The constant of reciprocal rank fusion (Cormack, Clarke and Buettcher, 2009): a passage at
# rank r in one list adds 1 / (RRF_K + r).
RRF_K = 60
# In weighted fusion, the share of the score that comes from cosine similarity. Chosen by
# `evals/fusion_sweep.py`: every weight from 0.4 to 0.7 beat dense and keyword alone on MRR,
# and 0.6 scored best on each measure.
DENSE_WEIGHT = 0.6

Scores = dict[str, float]


def reciprocal_rank(dense: Scores, keyword: Scores) -> Scores:
    """Sum 1 / (RRF_K + rank) over the lists a passage appears in; ranks start at 1."""
    fused: Scores = {}
    for ranking in (dense, keyword):
        ordered = sorted(ranking, key=ranking.__getitem__, reverse=True)
        for rank, chunk_id in enumerate(ordered, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
    return fused


def weighted(dense: Scores, keyword: Scores) -> Scores:
    """Mix cosine similarity with BM25 divided by the query's best BM25 score.

    Dividing by the best score puts BM25, whose scale depends on the query and the corpus,
    on the same 0-1 range as cosine similarity. A passage missing from one list scores 0
    there.
    """
    best = max(keyword.values(), default=0.0)
    fused: Scores = {}
    for chunk_id in dense.keys() | keyword.keys():
        lexical = keyword.get(chunk_id, 0.0) / best if best > 0 else 0.0
        fused[chunk_id] = DENSE_WEIGHT * dense.get(chunk_id, 0.0) + (1 - DENSE_WEIGHT) * lexical
    return fused


FUSIONS: dict[str, Callable[[Scores, Scores], Scores]] = {
    "rrf": reciprocal_rank,
    "weighted": weighted,
}
DEFAULT_FUSION = "weighted"
