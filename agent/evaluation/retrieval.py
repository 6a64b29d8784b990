"""Score retrieval: does each question's answering source come back near the top?

The corpus is the sample business plus three real sources, loaded into a home folder of
its own: the Plausible Analytics docs, the AMI meeting transcripts (as call notes of one
account) and the CFPB complaints (as tickets of another). Each question names the source
ids that answer it. A search's passages are collapsed to their sources, best first, and
the rank of the first answering source gives hit@1, hit@3, hit@5 and the reciprocal rank.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from agent.config import Settings
from agent.errors import InputError
from agent.retrieval.fusion import DEFAULT_FUSION, FUSIONS
from agent.retrieval.types import KINDS
from agent.store import Store

log = logging.getLogger(__name__)

# The accounts of the sample business that the real transcripts and complaints attach to:
# neither source names a customer of its own.
TRANSCRIPT_ACCOUNT = "MW-A003"
COMPLAINT_ACCOUNT = "MW-A004"
REAL_SOURCES = (
    # (corpus, path under the data folder, kind, account)
    ("plausible", "docs/plausible", "docs", None),
    ("ami", "calls/ami", "notes", TRANSCRIPT_ACCOUNT),
    ("cfpb", "tickets/cfpb_complaints_sample.csv", "tickets", COMPLAINT_ACCOUNT),
)
CUTOFFS = (1, 3, 5)
# Passages fetched per question: enough that five distinct sources survive collapsing.
DEPTH = 30
# Reciprocal rank counts answers within this many sources; below it a question scores 0.
MRR_DEPTH = 10


class RetrievalCase(BaseModel):
    """One question and the sources that answer it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    style: Literal["paraphrase", "keyword", "id", "account"]
    account: str | None = None
    kind: Literal["notes", "tickets", "docs"] | None = None
    answers: list[str]
    corpus: Literal["sample", "plausible", "ami", "cfpb"]


@dataclass
class Score:
    """hit@k counts and the reciprocal-rank sum over a set of questions."""

    questions: int = 0
    hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(CUTOFFS, 0))
    reciprocal_sum: float = 0.0

    def add(self, rank: int | None) -> None:
        self.questions += 1
        for cutoff in CUTOFFS:
            self.hits[cutoff] += rank is not None and rank <= cutoff
        if rank is not None and rank <= MRR_DEPTH:
            self.reciprocal_sum += 1.0 / rank

    def hit_at(self, cutoff: int) -> float:
        return self.hits[cutoff] / self.questions if self.questions else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal_sum / self.questions if self.questions else 0.0

    def to_dict(self) -> dict:
        return {
            "questions": self.questions,
            **{f"hit@{cutoff}": round(self.hit_at(cutoff), 4) for cutoff in CUTOFFS},
            "mrr": round(self.mrr, 4),
        }


@dataclass
class MethodResult:
    """One retrieval method's scores, overall and by question style and corpus."""

    name: str
    overall: Score = field(default_factory=Score)
    by_style: dict[str, Score] = field(default_factory=dict)
    by_corpus: dict[str, Score] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)

    def add(self, case: RetrievalCase, rank: int | None, got: list[str]) -> None:
        self.overall.add(rank)
        self.by_style.setdefault(case.style, Score()).add(rank)
        self.by_corpus.setdefault(case.corpus, Score()).add(rank)
        if rank is None or rank > CUTOFFS[-1]:
            self.misses.append({"id": case.id, "question": case.question, "got": got[:3]})

    def to_dict(self) -> dict:
        return {
            "method": self.name,
            **self.overall.to_dict(),
            "by_style": {name: score.to_dict() for name, score in sorted(self.by_style.items())},
            "by_corpus": {name: score.to_dict() for name, score in sorted(self.by_corpus.items())},
            "misses": self.misses,
        }


def methods() -> dict[str, dict]:
    """The retrieval methods compared: dense, keyword, and hybrid under each fusion rule.

    `hybrid` is the default fusion, the one `csm search` uses; the other rules are listed
    under their own names so that the choice stays measured.
    """
    compared = {"dense": {"mode": "dense"}, "keyword": {"mode": "keyword"}}
    for rule in sorted(FUSIONS, key=lambda rule: rule != DEFAULT_FUSION):
        compared[hybrid_method(rule)] = {"mode": "hybrid", "fusion": rule}
    return compared


def hybrid_method(rule: str) -> str:
    """Name the hybrid method that fuses with `rule`: plain `hybrid` for the default rule."""
    return "hybrid" if rule == DEFAULT_FUSION else f"hybrid-{rule}"


def check_methods(names: Iterable[str]) -> None:
    """Raise InputError naming the first unknown method."""
    compared = methods()
    unknown = [name for name in names if name not in compared]
    if unknown:
        raise InputError(f"Unknown method {unknown[0]!r}; use one of {', '.join(compared)}.")


def load_cases(path: Path) -> list[RetrievalCase]:
    """Read one JSON question a line.

    Raises:
        InputError: the file is missing, or a line is not a valid question (file and line
            named), or two questions share an id.
    """
    if not path.is_file():
        problem = "is a folder" if path.is_dir() else "does not exist"
        raise InputError(f"{path} {problem}. Pass --cases with a JSONL question file.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path} is not UTF-8 text (byte {error.start}). Save the question file as UTF-8."
        ) from None
    cases: list[RetrievalCase] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = RetrievalCase.model_validate(json.loads(line))
        except json.JSONDecodeError as error:
            raise InputError(f"{path}:{number}: not valid JSON ({error}).") from None
        except ValidationError as error:
            first = error.errors()[0]
            field_name = ".".join(str(part) for part in first["loc"]) or "the line"
            raise InputError(
                f"{path}:{number}: field {field_name!r}: {first['msg']}. Each line needs id, "
                "question, style, account, kind, answers and corpus."
            ) from None
        bad = [answer for answer in case.answers if answer.partition(":")[0] not in KINDS]
        if not case.answers or bad:
            raise InputError(
                f"{path}:{number}: answers must be source ids such as docs:export-glb, "
                f"got {case.answers!r}."
            )
        cases.append(case)
    if not cases:
        raise InputError(f"{path} contains no questions. Write one JSON question a line.")
    ids = [case.id for case in cases]
    if len(set(ids)) != len(ids):
        repeated = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
        raise InputError(f"{path}: question ids repeat: {', '.join(repeated)}.")
    return cases


# Written into a home that `csm eval retrieval` built, so that it never imports its corpus
# into a CSM's own book.
CORPUS_MARK = "eval-retrieval-corpus"


def check_eval_home(home: Path) -> None:
    """Reject a home that contains a store the evaluation did not build.

    Raises:
        InputError: the home has a store and no CORPUS_MARK.
    """
    if (home / "csm.sqlite3").exists() and not (home / CORPUS_MARK).exists():
        raise InputError(
            f"{home} contains a csm store that csm eval retrieval did not build, and the "
            "evaluation would import its corpus into it. Pass --home with a new folder."
        )


def eval_settings(settings: Settings, home: Path) -> Settings:
    """The settings of the evaluation's own home: an embedded index, the same model cache."""
    return replace(settings, home=home, chroma_url=None)


def prepare_corpus(
    settings: Settings, store: Store, data_dir: Path | None, say: Callable[[str], None]
) -> list[str]:
    """Load the sample business and the real sources found under `data_dir` into the store.

    Imports are idempotent and the index skips unchanged sources, so a second run only
    checks. Returns the corpora loaded.
    """
    from agent.ingest import import_path
    from agent.sample import load_sample

    (settings.home / CORPUS_MARK).touch()
    load_sample(settings, store, say)
    loaded = ["sample"]
    if data_dir is None:
        return loaded
    for corpus, relative, kind, account in REAL_SOURCES:
        path = data_dir / relative
        if not path.exists():
            say(f"{path} is missing: questions on {corpus} are left out.")
            continue
        say(f"Importing {corpus} ({kind}) from {path} ...")
        import_path(settings, store, path, kind, account=account)
        loaded.append(corpus)
    return loaded


def evaluate(
    settings: Settings, cases: Iterable[RetrievalCase], method_names: Iterable[str] | None = None
) -> list[MethodResult]:
    """Run every question through each method and score where its answer ranks."""
    from agent.retrieval.index import Index

    compared = methods()
    names = list(method_names or compared)
    check_methods(names)
    results = {name: MethodResult(name) for name in names}
    with Index(settings) as index:
        for case in cases:
            for name in names:
                options = {"account_id": case.account, "kind": case.kind, **compared[name]}
                hits = index.search(case.question, k=DEPTH, **options)
                ranked = list(dict.fromkeys(hit.source_id for hit in hits))
                rank = next(
                    (number for number, source in enumerate(ranked, 1) if source in case.answers),
                    None,
                )
                results[name].add(case, rank, ranked)
    return list(results.values())


def missing_answers(settings: Settings, cases: Iterable[RetrievalCase]) -> list[str]:
    """Return the answer ids that the index does not hold, as `question id: source id`."""
    from agent.retrieval.index import Index

    with Index(settings) as index:
        present = index.source_ids()
    return [
        f"{case.id}: {answer}" for case in cases for answer in case.answers if answer not in present
    ]
