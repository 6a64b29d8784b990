"""Measure the search index at scale: ingest throughput, query latency and memory.

Usage:
    .venv/bin/python benchmarks/retrieval.py --corpus HOME [--sizes 10000,100000]
        [--queries N] [--write]

HOME is a csm home whose index holds real passages, such as the one `csm eval retrieval`
builds (eval-retrieval under the cache folder). Each size runs in a fresh process with a
fresh index in a temporary folder. Its passages are that corpus's passages, reused in turn
with their sentences rotated and a running number added, so every passage is distinct and
lengths follow the real ones. One passage in ten is a doc; the rest belong to 500 accounts.

Embedding takes most of the ingest time and costs the same per passage at any size, so sizes
above `--embed-limit` (default 20,000) embed only the distinct real passages and give each
reuse its base passage's vector plus a little noise: the index then holds as many distinct
vectors as passages, and its write and query figures are real, while the ingest rate
there leaves out embedding. The page says which sizes did so.

Figures per size: ingest throughput (passages per second through `Index.upsert`, which
embeds, writes Chroma and writes the keyword index), the latency of dense, keyword and
hybrid queries (median and 95th percentile over the retrieval set's questions, each asked
unscoped and scoped to one account), the process's peak resident memory, and the index's
size on disk. `--write` puts them in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import page

ROOT = Path(__file__).resolve().parents[1]
HEADING = "Search index at scale"
ACCOUNTS = 500
BATCH = 1000  # sources per upsert call
MODES = ("dense", "keyword", "hybrid")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def corpus_texts(home: Path) -> list[str]:
    """Read the passages of the index under `home`."""
    from agent.config import load_settings
    from agent.evaluation.retrieval import eval_settings
    from agent.retrieval.index import Index

    with Index(eval_settings(load_settings(), home)) as index:
        stored = index._collection.get(include=["documents"])
    return [text for text in stored["documents"] if text.strip()]


def synthetic_sources(texts: list[str], size: int):  # noqa: ANN201 - list[SourceText]
    """Build `size` distinct one-passage sources from the real passage texts."""
    from agent.retrieval.types import SourceText

    sources = []
    for number in range(size):
        base = texts[number % len(texts)]
        sentences = _SENTENCE_END.split(base)
        turn = (number // len(texts)) % len(sentences)
        text = " ".join(sentences[turn:] + sentences[:turn]) + f" Reference {number}."
        if number % 10 == 0:
            kind, account = "docs", None
        else:
            kind, account = ("notes", "tickets")[number % 2], f"A-{number % ACCOUNTS:04d}"
        sources.append(
            SourceText(f"{kind}:B-{number}", kind, account, "2026-01-01", f"Passage {number}", text)
        )
    return sources


def questions(limit: int) -> list[str]:
    lines = (ROOT / "evals" / "retrieval.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()][:limit]


class ReusedVectors:
    """Embed each real passage once; a reused passage gets its base's vector plus noise."""

    NOISE = 0.02  # standard deviation per dimension before normalising

    def __init__(self, real, texts: list[str], sources: list) -> None:  # noqa: ANN001
        import numpy as np

        self.real = real
        self.model_name, self.dimension = real.model_name, real.dimension
        base = np.asarray(real.embed_documents(texts), dtype=np.float32)
        self._base = {source.text: base[n % len(texts)] for n, source in enumerate(sources)}
        self._random = np.random.default_rng(0)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        # A passage cut in two by the chunker has no base vector: embed its pieces for real.
        missing = [text for text in texts if text not in self._base]
        if missing:
            embedded = self.real.embed_documents(missing)
            self._base.update(zip(missing, np.asarray(embedded, dtype=np.float32), strict=True))
        vectors = np.stack([self._base[text] for text in texts])
        vectors = vectors + self._random.normal(0, self.NOISE, vectors.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)


def measure_size(corpus: Path, size: int, query_limit: int, embed_limit: int) -> dict:
    """Build an index of `size` passages in a temporary home and time it; one process."""
    from agent.config import load_settings
    from agent.evaluation.retrieval import eval_settings
    from agent.retrieval.embeddings import get_embedder
    from agent.retrieval.index import Index

    texts = corpus_texts(corpus)
    sources = synthetic_sources(texts, size)
    with tempfile.TemporaryDirectory(prefix="csm-bench-") as folder:
        settings = eval_settings(load_settings(), Path(folder))
        embedder = get_embedder(settings)
        reused = size > embed_limit
        if reused:
            embedder = ReusedVectors(embedder, texts, sources)
        with Index(settings, embedder) as index:
            index.embedder.embed_query("warm up")  # load the model outside the timing
            start = time.perf_counter()
            for first in range(0, size, BATCH):
                index.upsert(sources[first : first + BATCH])
            ingest_seconds = time.perf_counter() - start

        start = time.perf_counter()
        index = Index(settings, embedder)
        open_seconds = time.perf_counter() - start
        latencies: dict[str, list[float]] = {mode: [] for mode in MODES}
        with index:
            index.embedder.embed_query("warm up")
            for question in questions(query_limit):
                for account in (None, "A-0007"):
                    for mode in MODES:
                        start = time.perf_counter()
                        index.search(question, k=5, account_id=account, mode=mode)
                        latencies[mode].append(time.perf_counter() - start)
        disk = sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file())
    return {
        "size": size,
        "embedded": not reused,
        "ingest_seconds": ingest_seconds,
        "passages_per_second": size / ingest_seconds,
        "open_seconds": open_seconds,
        "queries": {mode: _spread(values) for mode, values in latencies.items()},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "disk_mb": disk / 1e6,
    }


def _spread(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "count": len(ordered),
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": p95 * 1000,
    }


def section(results: list[dict], command: str) -> str:
    lines = [
        f"Measured on {date.today()} with `{command}`",
        f"on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},",
        f"embedded Chroma, {os.environ.get('CSM_EMBED_THREADS', 'default')} embedding threads.",
        "Passages are the retrieval corpus's real passages, reused with their sentences",
        "rotated so each is distinct. Where ingest leaves out embedding, the passages reuse",
        "the real passages' vectors with noise (see the script's description).",
        "Queries are the retrieval set's questions, each unscoped and scoped to one account.",
        "",
        "| passages | ingest (passages/s) | ingest includes | open (s) | peak memory (MB) "
        "| disk (MB) |",
        "| ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for result in results:
        included = "embedding, Chroma, keyword" if result["embedded"] else "Chroma, keyword"
        lines.append(
            f"| {result['size']:,} | {result['passages_per_second']:.0f} | {included} "
            f"| {result['open_seconds']:.2f} | {result['peak_rss_mb']:.0f} "
            f"| {result['disk_mb']:.0f} |"
        )
    lines += [
        "",
        "| passages | mode | queries | median (ms) | 95th percentile (ms) |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for result in results:
        for mode, spread in result["queries"].items():
            lines.append(
                f"| {result['size']:,} | {mode} | {spread['count']} "
                f"| {spread['median_ms']:.1f} | {spread['p95_ms']:.1f} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="csm home with an index")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=100, help="questions asked, at most")
    parser.add_argument(
        "--embed-limit", type=int, default=20_000, help="largest size embedded in full"
    )
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process's size
    options = parser.parse_args()

    if options.one:
        result = measure_size(options.corpus, options.one, options.queries, options.embed_limit)
        print(json.dumps(result))
        return
    results = []
    for size in (int(part) for part in options.sizes.split(",")):
        child = [sys.executable, __file__, "--corpus", str(options.corpus), "--one", str(size)]
        child += ["--queries", str(options.queries), "--embed-limit", str(options.embed_limit)]
        output = subprocess.run(child, capture_output=True, text=True, cwd=ROOT)
        if output.returncode != 0:
            sys.exit(f"measuring {size} passages failed:\n{output.stderr}")
        results.append(json.loads(output.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    command = "benchmarks/retrieval.py " + " ".join(sys.argv[1:])
    body = section(results, f".venv/bin/python {command}")
    print(body)
    if options.write:
        page.write_section(HEADING, body)


if __name__ == "__main__":
    main()
