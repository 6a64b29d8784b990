"""`csm eval`: score the assistant against the evaluation sets under `evals/`."""

from __future__ import annotations

from pathlib import Path

import typer

from agent.cli.common import handle_errors, open_context, print_json

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
    """Score the no-model router's choice of tool and arguments on the sample business."""
    from agent.evaluation.routing import evaluate_router, load_cases

    _settings, store = open_context()
    result = evaluate_router(store, load_cases(cases_file))
    if as_json:
        print_json(
            {
                "router": "keywords (no model)",
                "cases": result.cases,
                "tool_accuracy": result.tool_accuracy,
                "argument_accuracy": result.argument_accuracy,
                "misses": result.misses,
            }
        )
        return
    typer.echo(f"No-model router on {result.cases} requests from {cases_file.name}:")
    typer.echo(f"  tool accuracy      {result.tool_accuracy:.0%} ({result.tool_correct})")
    typer.echo(f"  argument accuracy  {result.argument_accuracy:.0%} ({result.arguments_correct})")
    for miss in result.misses:
        typer.echo(f"  miss: {miss['request']!r}: expected {miss['expected']}, got {miss['got']}")


SENTIMENT_SET = (
    EVALS_DIR.parent.parent / "shared" / "data" / "sentiment" / "uci_amazon_cells_labelled.tsv"
)


@app.command("sentiment")
@handle_errors
def sentiment_command(
    labelled_file: Path = typer.Option(
        SENTIMENT_SET, "--file", help="TSV of sentence and label (1 positive, 0 negative)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Score VADER sentiment against labelled sentences: accuracy, precision, recall."""
    from dataclasses import asdict

    from agent.evaluation.sentiment import evaluate_vader, load_labelled

    result = evaluate_vader(load_labelled(labelled_file))
    if as_json:
        print_json({"file": str(labelled_file), **asdict(result)})
        return
    typer.echo(f"{result.classifier}\non {result.sentences} sentences from {labelled_file.name}:")
    typer.echo(
        f"  accuracy  {result.accuracy:.1%}  ({result.neutral} scored neutral, counted wrong)"
    )
    for label, scores in result.classes.items():
        typer.echo(
            f"  {label:<9} precision {scores.precision:.1%}  recall {scores.recall:.1%}  "
            f"({scores.support} sentences)"
        )
