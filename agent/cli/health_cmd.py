"""`csm health NAME`, its snapshots, model, override and backtest, as one group."""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from agent.cli import insight_cmds, metrics_cmd
from agent.cli.common import handle_errors, open_context, parse_date, print_json, stderr
from agent.errors import InputError


class DefaultCommandGroup(TyperGroup):
    """A group that sends a first argument naming no subcommand to its `show` command.

    So `csm health "Northwind Studios"` means `csm health show "Northwind Studios"`, while
    `csm health backtest` runs the backtest. An account literally named `backtest` is
    reached by its id or through `csm health show`.
    """

    def resolve_command(self, ctx, args):  # noqa: ANN001, ANN201 - Click's signature
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=DefaultCommandGroup,
    help="Explain an account's health (`csm health NAME`), override it, record daily "
    "snapshots, show the health model, or backtest it.",
    no_args_is_help=True,
)
app.command("show")(insight_cmds.health_command)
app.command("backtest")(metrics_cmd.backtest_command)


@app.command("override")
@handle_errors
def override_command(
    name: str = typer.Argument(..., help="Account name or id."),
    score: int = typer.Option(None, "--score", help="Your score for the account, 0 to 100."),
    note: str = typer.Option(None, "--note", help="Why: shown with every explanation."),
    days: int = typer.Option(90, "--days", help="Days until the override lapses."),
    clear: bool = typer.Option(False, "--clear", help="End the account's override now."),
) -> None:
    """Set or clear your own health score for an account, with a note and an expiry."""
    import os

    from agent.insights.book import default_as_of
    from agent.insights.overrides import clear_override, set_override

    _settings, store = open_context()
    account = store.resolve_account(name)
    if clear:
        count = clear_override(store, account.id)
        typer.echo(f"Cleared {count} override(s) of {account.name}.")
        return
    if score is None or note is None:
        raise InputError("Give --score N and --note TEXT, or --clear.")
    author = os.environ.get("CSM_SENDER_NAME") or account.csm_name
    with store.session() as session:
        # Dated in the book's time (today, or the newest data of a book that ends earlier),
        # so the override applies to the scores shown by default.
        start = default_as_of(session)
    override = set_override(store, account.id, score, note, days, author, start)
    typer.echo(
        f"{account.name}: health set to {override.score} until {override.expires_on} "
        f"({override.note})."
    )


@app.command("snapshot")
@handle_errors
def snapshot_command(
    as_of: str = typer.Option(
        None,
        "--as-of",
        help="Record the snapshots of this date (YYYY-MM-DD); default: today, or the newest "
        "data in the store if older.",
    ),
    backfill: int = typer.Option(
        0,
        "--backfill",
        min=0,
        max=3650,
        help="Also record the snapshots of this many days before --as-of, recomputed from the "
        "store; days that have one keep it.",
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Replace the snapshots that backfilled days already have."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Record every account's health snapshot for a day, and optionally the days before it."""
    from dataclasses import asdict

    from agent.insights.trend import record_snapshots

    _settings, store = open_context()
    run = record_snapshots(store, parse_date(as_of, "--as-of"), backfill, replace, progress=stderr)
    if as_json:
        print_json(asdict(run))
        return
    span = str(run.as_of) if run.first_day == run.as_of else f"{run.first_day} to {run.as_of}"
    lines = [f"Saved {run.saved} health snapshots for {span} (model version {run.model_version})."]
    if run.kept_existing:
        lines.append(
            f"Kept {run.kept_existing} earlier snapshots of those days; --replace redoes them."
        )
    if run.not_yet_customers:
        lines.append(
            f"Left out {run.not_yet_customers} account-days before the account's first "
            "subscription start, sign-up or first use."
        )
    typer.echo("\n".join(lines))


@app.command("model")
@handle_errors
def model_command(
    default: bool = typer.Option(
        False, "--default", help="Print the built-in model file, to copy and edit."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Check and summarise the health model in force (CSM_HEALTH_MODEL or CSM_HOME's file)."""
    from agent.insights.health_model import BUILT_IN_PATH, active_model

    if default:
        typer.echo(BUILT_IN_PATH.read_text(encoding="utf-8"), nl=False)
        return
    model = active_model()
    if as_json:
        print_json(
            {
                "source": model.source,
                "digest": model.digest,
                **model.model_dump(mode="json"),
            }
        )
        return
    bands = model.bands
    lines = [
        f"Health model version {model.version}, {model.source} (digest {model.digest}): valid.",
        f"Bands: red 0-{bands.red_max}, yellow {bands.red_max + 1}-{bands.yellow_max}, "
        f"green {bands.yellow_max + 1}-100. Onboarding lasts {model.lifecycle.onboarding_days} "
        "days from the first subscription start.",
        "Profiles, tried in this order:",
    ]
    for name, profile in model.profiles.items():
        tiers = ", ".join(profile.tiers) if profile.tiers else "every tier"
        weights = ", ".join(
            f"{measure} {weight:.0%}" for measure, weight in profile.weights.as_dict().items()
        )
        lines.append(f"  {name} (stage {profile.stage}; {tiers}): {weights}")
    typer.echo("\n".join(lines))
