"""Print retrieval scores of each fusion rule across its parameter, on the retrieval set.

Run `csm eval retrieval` once first: it builds the corpus this reads. Usage:

    .venv/bin/python evals/fusion_sweep.py [HOME]

HOME defaults to eval-retrieval under the cache folder, where `csm eval retrieval` builds it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from agent.config import load_settings
from agent.evaluation.retrieval import (
    CUTOFFS,
    eval_settings,
    evaluate,
    hybrid_method,
    load_cases,
)
from agent.retrieval import fusion

SET = Path(__file__).resolve().parent / "retrieval.jsonl"
DENSE_WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)
RRF_CONSTANTS = (5, 20, 60, 100)


def main() -> None:
    base = load_settings()
    home = Path(sys.argv[1]) if len(sys.argv) > 1 else base.cache_dir / "eval-retrieval"
    settings = eval_settings(base, home)
    cases = load_cases(SET)
    header = "  ".join(f"hit@{cutoff}" for cutoff in CUTOFFS)
    print(f"{'rule':<10} {'parameter':>9}  {header}    MRR")
    for name in ("dense", "keyword"):
        print(_row(name, "", evaluate(settings, cases, [name])[0].overall))
    for weight in DENSE_WEIGHTS:
        fusion.DENSE_WEIGHT = weight
        result = evaluate(settings, cases, [hybrid_method("weighted")])
        print(_row("weighted", f"{weight:.1f}", result[0].overall))
    for constant in RRF_CONSTANTS:
        fusion.RRF_K = constant
        result = evaluate(settings, cases, [hybrid_method("rrf")])
        print(_row("rrf", str(constant), result[0].overall))


def _row(rule: str, parameter: str, score) -> str:  # noqa: ANN001 - evaluation.retrieval.Score
    hits = "  ".join(f"{score.hit_at(cutoff):>5.1%}" for cutoff in CUTOFFS)
    return f"{rule:<10} {parameter:>9}  {hits}  {score.mrr:.3f}"


if __name__ == "__main__":
    main()
