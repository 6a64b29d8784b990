"""`csm eval`: score the assistant against the evaluation sets under `evals/`."""

from __future__ import annotations

from pathlib import Path

import typer

from agent.cli.common import command_store, handle_errors, open_context, print_json, stderr

app = typer.Typer(help="Score the assistant against the evaluation sets.", no_args_is_help=True)

EVALS_DIR = Path(__file__).resolve().parents[2] / "evals"


@app.command("routing")
@handle_errors
def routing_command(
    cases_file: Path = typer.Option(
        EVALS_DIR / "routing.jsonl", "--cases", help="JSONL file of request, tool and arguments."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Score the choice of tool and arguments: the no-model router, and the configured model."""
    from agent.assistant.tools import ToolContext
    from agent.evaluation.routing import evaluate_model, evaluate_router, load_cases
    from agent.llm import chat_model, model_name

    settings, store = open_context()
    cases = load_cases(cases_file)
    results = [("keywords (no model)", evaluate_router(store, cases))]
    model = chat_model(settings)
    if model is not None:
        name = model_name(settings)
        stderr(f"Asking {name} to route {len(cases)} requests ...")
        results.append(
            (f"model {name}", evaluate_model(ToolContext(settings, store, model, name), cases))
        )
    if as_json:
        print_json(
            {
                "cases": len(cases),
                "backends": [
                    {
                        "backend": backend,
                        "tool_accuracy": result.tool_accuracy,
                        "argument_accuracy": result.argument_accuracy,
                        "misses": result.misses,
                    }
                    for backend, result in results
                ],
            }
        )
        return
    for backend, result in results:
        typer.echo(f"{backend} on {result.cases} requests from {cases_file.name}:")
        typer.echo(f"  tool accuracy      {result.tool_accuracy:.0%} ({result.tool_correct})")
        typer.echo(
            f"  argument accuracy  {result.argument_accuracy:.0%} ({result.arguments_correct})"
        )
        for miss in result.misses:
            typer.echo(
                f"  miss: {miss['request']!r}: expected {miss['expected']}, got {miss['got']}"
            )


SHARED_DATA = EVALS_DIR.parent.parent / "shared" / "data"
SENTIMENT_SET = SHARED_DATA / "sentiment" / "uci_amazon_cells_labelled.tsv"


@app.command("sentiment")
@handle_errors
def sentiment_command(
    labelled_file: Path = typer.Option(
        SENTIMENT_SET, "--file", help="TSV of sentence and label (1 positive, 0 negative)."
    ),
    limit: int = typer.Option(
        None, "--limit", min=1, help="Only the first N sentences (each costs a model request)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Score sentiment against labelled sentences: VADER, and the configured model."""
    from dataclasses import asdict

    from agent.config import load_settings
    from agent.evaluation.sentiment import evaluate_model, evaluate_vader, load_labelled
    from agent.llm import chat_model, model_name

    rows = load_labelled(labelled_file)[:limit]
    results = [evaluate_vader(rows)]
    settings = load_settings()
    model = chat_model(settings)
    if model is not None:
        stderr(f"Asking {model_name(settings)} to label {len(rows)} sentences ...")
        results.append(evaluate_model(rows, model, model_name(settings)))
    if as_json:
        document = {"file": str(labelled_file), **asdict(results[0])}
        document["classifiers"] = [asdict(result) for result in results]
        print_json(document)
        return
    for result in results:
        typer.echo(
            f"{result.classifier}\non {result.sentences} sentences from {labelled_file.name}:"
        )
        typer.echo(
            f"  accuracy  {result.accuracy:.1%}  ({result.neutral} scored neutral, counted wrong)"
        )
        if result.fallbacks:
            typer.echo(f"  {result.fallbacks} unreadable model replies were labelled by VADER")
        for label, scores in result.classes.items():
            typer.echo(
                f"  {label:<9} precision {scores.precision:.1%}  recall {scores.recall:.1%}  "
                f"({scores.support} sentences)"
            )


@app.command("retrieval")
@handle_errors
def retrieval_command(
    cases_file: Path = typer.Option(
        EVALS_DIR / "retrieval.jsonl", "--cases", help="JSONL file of questions and answers."
    ),
    data_dir: Path = typer.Option(
        SHARED_DATA,
        "--data",
        help="Folder holding docs/plausible, calls/ami and tickets/cfpb_complaints_sample.csv; "
        "questions on a source that is missing are left out.",
    ),
    home: Path = typer.Option(
        None,
        "--home",
        help="Home folder of the evaluation corpus (default: eval-retrieval under the cache "
        "folder). Built on the first run, checked on later ones.",
    ),
    method: list[str] = typer.Option(
        None, "--method", help="Only this method (dense, keyword, hybrid, ...); repeatable."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Score dense, keyword and hybrid search: hit@1, hit@3, hit@5 and MRR per method."""
    from agent.config import load_settings
    from agent.errors import InputError
    from agent.evaluation.retrieval import (
        check_eval_home,
        check_methods,
        eval_settings,
        evaluate,
        load_cases,
        missing_answers,
        prepare_corpus,
    )
    from agent.store.db import create_home

    cases = load_cases(cases_file)
    check_methods(method or [])
    base = load_settings()
    settings = eval_settings(base, home or base.cache_dir / "eval-retrieval")
    if home is not None:
        check_eval_home(home)
    create_home(settings)
    store = command_store(settings)
    try:
        stderr(f"Preparing the evaluation corpus in {settings.home} ...")
        loaded = prepare_corpus(settings, store, data_dir if data_dir.is_dir() else None, stderr)
    finally:
        store.close()
    if not data_dir.is_dir():
        stderr(f"{data_dir} is not a folder: only the sample business questions run.")
    cases = [case for case in cases if case.corpus in loaded]
    missing = missing_answers(settings, cases)
    if missing:
        raise InputError(
            f"{len(missing)} answer(s) in {cases_file} are not in the corpus, e.g. "
            f"{', '.join(missing[:3])}. Fix the ids in the file."
        )
    results = evaluate(settings, cases, method or None)
    if as_json:
        print_json(
            {
                "cases": str(cases_file),
                "questions": len(cases),
                "corpora": loaded,
                "methods": [result.to_dict() for result in results],
            }
        )
        return
    typer.echo(f"Retrieval on {len(cases)} questions from {cases_file.name} ({', '.join(loaded)}):")
    typer.echo(f"  {'method':<16} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'MRR':>6}")
    for result in results:
        score = result.overall
        typer.echo(
            f"  {result.name:<16} {score.hit_at(1):>6.1%} {score.hit_at(3):>6.1%} "
            f"{score.hit_at(5):>6.1%} {score.mrr:>6.3f}"
        )
    styles = sorted(results[0].by_style)
    typer.echo(f"\n  hit@3 by question style: {'  '.join(f'{name:>10}' for name in styles)}")
    for result in results:
        row = "  ".join(f"{result.by_style[name].hit_at(3):>10.1%}" for name in styles)
        typer.echo(f"  {result.name:<24} {row}")


@app.command("grounding")
@handle_errors
def grounding_command(
    account: list[str] = typer.Option(
        None, "--account", "-a", help="Only this account (name or id); repeatable."
    ),
    kind: list[str] = typer.Option(
        None,
        "--kind",
        "-k",
        help="Only this draft: checkin, renewal, onboarding, risk, followup or qbr; repeatable.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Draft every email purpose and a QBR for every account, and score their verification.

    Drafts come from the configured model, or from the templates with no model. Nothing is
    saved or sent.
    """
    from sqlalchemy import select

    from agent.evaluation.grounding import DRAFT_KINDS, evaluate_grounding
    from agent.llm import chat_model, model_name
    from agent.store.tables import Account

    settings, store = open_context()
    if account:
        accounts = [store.resolve_account(name) for name in account]
    else:
        with store.session() as session:
            accounts = list(session.scalars(select(Account).order_by(Account.id)))
    model = chat_model(settings)
    if model is not None:
        stderr(f"Drafting with the model {model_name(settings)}: one or two requests a draft.")
    result = evaluate_grounding(
        store, settings, accounts, tuple(kind or DRAFT_KINDS), model, model_name(settings)
    )
    if as_json:
        print_json(result.to_dict())
        return
    _print_grounding(result)


def _print_grounding(result) -> None:  # noqa: ANN001 - GroundingResult
    writer = "the templates" if result.writer == "templates" else f"the {result.writer}"
    typer.echo(
        f"Grounding of {result.drafts} drafts written by {writer}, in {result.seconds:.1f} s:"
    )
    typer.echo(
        f"  passed verification  {result.pass_share:.1%} ({result.passed} of {result.drafts})"
    )
    for kind, (passed, total) in result.by_kind().items():
        typer.echo(f"  {kind:<11} {passed:>4} of {total}")
    if result.writer != "templates":
        share = result.model_outputs_passed / result.model_outputs if result.model_outputs else 0
        typer.echo(
            f"  model outputs passing {share:.1%} ({result.model_outputs_passed} of "
            f"{result.model_outputs}; an email or a deck part each, retries included)"
        )
    for failure in result.failures():
        claims = ", ".join(failure["unsupported"])
        typer.echo(f"  FAILED {failure['account']} {failure['kind']}: {claims}")
    for caught in result.caught():
        claims = ", ".join(caught["unsupported"]) or caught["reason"]
        typer.echo(
            f"  caught in {caught['account']} {caught['kind']} ({caught['part']}, attempt "
            f"{caught['attempt']}): {claims}"
        )
