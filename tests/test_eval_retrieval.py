"""`csm eval retrieval`: the question set, the scoring, and hybrid against each retriever."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli.main import app
from agent.config import Settings
from agent.errors import InputError
from agent.evaluation.retrieval import RetrievalCase, Score, evaluate, load_cases
from agent.retrieval.index import Index
from agent.retrieval.types import SourceText

runner = CliRunner()
CASES = Path(__file__).resolve().parents[1] / "evals" / "retrieval.jsonl"


def case_line(**overrides) -> str:  # noqa: ANN003 - fields of a RetrievalCase
    record = {
        "id": "q1",
        "question": "How do I export to GLB?",
        "style": "paraphrase",
        "account": None,
        "kind": None,
        "answers": ["docs:export-glb"],
        "corpus": "sample",
        **overrides,
    }
    return json.dumps(record)


def test_score_counts_hits_and_reciprocal_rank():
    score = Score()
    for rank in (1, 2, None, 4, 12):
        score.add(rank)

    assert score.hit_at(1) == pytest.approx(1 / 5)
    assert score.hit_at(3) == pytest.approx(2 / 5)
    assert score.hit_at(5) == pytest.approx(3 / 5)
    # A rank past the reciprocal-rank depth of 10 counts 0, like a miss.
    assert score.mrr == pytest.approx((1 + 1 / 2 + 1 / 4) / 5)


def test_shipped_set_loads():
    cases = load_cases(CASES)

    assert len(cases) >= 60
    assert {case.style for case in cases} == {"paraphrase", "keyword", "id", "account"}
    assert {case.corpus for case in cases} == {"sample", "plausible", "ami", "cfpb"}
    assert all(case.account for case in cases if case.style == "account")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "cases.jsonl:2: not valid JSON"),
        (case_line(style="vague"), "cases.jsonl:2: field 'style'"),
        (case_line(answers=["export-glb"]), "cases.jsonl:2: answers must be source ids"),
        (case_line(answers=[]), "cases.jsonl:2: answers must be source ids"),
        (case_line(extra="x"), "cases.jsonl:2: field 'extra'"),
        (case_line(), "question ids repeat: q1"),
    ],
)
def test_load_cases_names_the_bad_line(tmp_path: Path, line: str, message: str):
    path = tmp_path / "cases.jsonl"
    path.write_text(case_line() + "\n" + line + "\n", encoding="utf-8")

    with pytest.raises(InputError, match=message):
        load_cases(path)


def test_evaluate_ranks_per_method(settings: Settings):
    sources = [
        SourceText(
            "docs:export-glb",
            "docs",
            None,
            None,
            "Export to GLB",
            "Choose File, then Export, then GLB to write a binary glTF file.",
        ),
        SourceText(
            "tickets:T-1",
            "tickets",
            "acme",
            None,
            "Login fails",
            "Login fails with error LX-4410 after the password reset.",
        ),
        SourceText(
            "tickets:T-2",
            "tickets",
            "globex",
            None,
            "Login fails",
            "Login fails with error LX-4410 after the password reset.",
        ),
    ]
    with Index(settings) as index:
        index.upsert(sources)
    cases = [
        RetrievalCase(
            id="a",
            question="write a binary glTF",
            style="paraphrase",
            answers=["docs:export-glb"],
            corpus="sample",
        ),
        RetrievalCase(
            id="b",
            question="LX-4410",
            style="account",
            account="globex",
            answers=["tickets:T-2"],
            corpus="sample",
        ),
    ]

    results = {result.name: result for result in evaluate(settings, cases)}

    assert set(results) == {"dense", "keyword", "hybrid", "hybrid-rrf"}
    for result in results.values():
        # The account scope leaves acme's identical ticket out, so both are found first.
        assert result.overall.hit_at(1) == 1.0, result.misses
        assert result.by_style["account"].questions == 1


def test_unknown_answer_rejected(tmp_path: Path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(case_line(answers=["docs:no-such-page"]) + "\n", encoding="utf-8")

    result = runner.invoke(
        app,
        [
            "eval",
            "retrieval",
            "--cases",
            str(cases),
            "--data",
            str(tmp_path / "none"),
            "--home",
            str(tmp_path / "eval-home"),
        ],
    )

    assert result.exit_code == 1
    assert "q1: docs:no-such-page" in result.stderr


def test_hybrid_beats_both_retrievers(shared_data: Path, tmp_path: Path):
    result = runner.invoke(
        app,
        [
            "eval",
            "retrieval",
            "--json",
            "--data",
            str(shared_data),
            "--home",
            str(tmp_path / "eval-home"),
        ],
    )

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["questions"] >= 60
    assert document["corpora"] == ["sample", "plausible", "ami", "cfpb"]
    methods = {method["method"]: method for method in document["methods"]}
    for measure in ("hit@3", "mrr"):
        assert methods["hybrid"][measure] > methods["dense"][measure], measure
        assert methods["hybrid"][measure] > methods["keyword"][measure], measure


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "contains no questions"), (b"\xff\xfe garbage\n", "is not UTF-8 text")],
    ids=["empty", "binary"],
)
def test_unreadable_case_files_rejected(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "cases.jsonl"
    path.write_bytes(content)

    with pytest.raises(InputError, match=message):
        load_cases(path)


def test_case_folder_rejected(tmp_path: Path):
    with pytest.raises(InputError, match="is a folder"):
        load_cases(tmp_path)


def test_eval_refuses_a_real_home(demo_settings: Settings):
    result = runner.invoke(app, ["eval", "retrieval", "--home", str(demo_settings.home)])

    assert result.exit_code == 1
    assert "did not build" in result.stderr
