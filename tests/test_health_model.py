"""The health model file: validation errors that name the file and key, and which file is used."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli.main import app
from agent.errors import ConfigError
from agent.insights.health_model import (
    BUILT_IN_PATH,
    CURVE_MEASURES,
    MEASURE_NAMES,
    active_model,
    load_model,
    model_path,
    parse_model,
)
from agent.store import Account, open_store

BUILT_IN = BUILT_IN_PATH.read_text(encoding="utf-8")
runner = CliRunner()


def _error(text: str, path: Path = Path("/models/mine.toml")) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_model(text, path)
    return str(caught.value)


def _edit(old: str, new: str) -> str:
    assert BUILT_IN.count(old) == 1, old
    return BUILT_IN.replace(old, new)


def test_built_in_model_is_valid():
    model = load_model()

    assert model.version == 1
    assert model.source == "built-in"
    assert list(model.profiles) == ["onboarding", "free", "enterprise", "steady"]
    assert (model.bands.red_max, model.bands.yellow_max) == (50, 75)
    assert len(model.digest) == 12


def test_built_in_weights_sum_to_one():
    for name, profile in load_model().profiles.items():
        weights = profile.weights.as_dict()
        assert list(weights) == list(MEASURE_NAMES), name
        assert sum(weights.values()) == pytest.approx(1.0), name


def test_bands_are_0_50_51_75_76_100():
    bands = load_model().bands

    assert bands.band_for(0) == "red"
    assert bands.band_for(50) == "red"
    assert bands.band_for(51) == "yellow"
    assert bands.band_for(75) == "yellow"
    assert bands.band_for(76) == "green"
    assert bands.band_for(100) == "green"


# Each case: an edit of the built-in file, the key the error must name, and words of the fix.
INVALID_FILES = [
    ("per_open = 8", "per_opn = 8", "measures.support.per_opn", "did you mean `per_open`"),
    ("min_prior_days = 7\n", "", "measures.usage_trend.min_prior_days", "is missing: add it"),
    (
        "[[0.1, 0], [0.4, 50], [0.8, 100]]",
        "[[0.5, 0], [0.4, 50], [0.8, 100]]",
        "measures.seat_use.cut_points",
        "list the pairs in increasing order",
    ),
    (
        "[[0.1, 0], [0.4, 50], [0.8, 100]]",
        "[[0.1, 0], [0.4, 50], [0.8, 120]]",
        "measures.seat_use.cut_points",
        "scores run 0 to 100",
    ),
    (
        "[[0.1, 0], [0.4, 50], [0.8, 100]]",
        "[[0.1, 0]]",
        "measures.seat_use.cut_points",
        "at least two",
    ),
    ("version = 1", "version = 2", "version", "set `version = 1`"),
    ("red_max = 50", "red_max = 80", "bands", "red_max < yellow_max < 100"),
    ("yellow_max = 75", "yellow_max = 100", "bands", "red_max < yellow_max < 100"),
    (
        "weights = { usage_trend = 0.10, seat_use = 0.20",
        "weights = { usage_trend = 0.15, seat_use = 0.20",
        "profiles.onboarding.weights",
        "sum to 1.05: make them sum to 1",
    ),
    (
        "weights = { usage_trend = 0.10, seat_use = 0.20",
        "weights = { usage_trend = -0.10, seat_use = 0.20",
        "profiles.onboarding.weights.usage_trend",
        "greater than or equal to 0",
    ),
    (
        "last_touch = 0.15 }",
        "last_tuch = 0.15 }",
        "profiles.onboarding.weights.last_tuch",
        "did you mean `last_touch`",
    ),
    (
        "last_touch = [[7, 100]",
        "support = [[7, 100]",
        "profiles.onboarding.cut_points.support",
        "keys allowed here are usage_trend",
    ),
    ('stage = "onboarding"', 'stage = "trial"', "profiles.onboarding.stage", "'onboarding'"),
    (
        'description = "Every other account in steady state."\nstage = "steady"\ntiers = []',
        'description = "Every other account in steady state."\nstage = "steady"\ntiers = ["Pro"]',
        "profiles",
        "no profile fits every account in stage 'steady'",
    ),
    ("onboarding_days = 90", "onboarding_days = -1", "lifecycle.onboarding_days", "0"),
    (
        'kinds = ["call", "meeting"',
        'kinds = ["cal", "meeting"',
        "measures.last_touch.kinds[0]",
        "'call', 'meeting', 'email', 'transcript' or 'note'",
    ),
    (
        'kinds = ["call", "meeting", "email", "transcript"]',
        "kinds = []",
        "measures.last_touch.kinds",
        "at least 1 item",
    ),
    (
        "min_history_days = 60",
        "min_history_days = 20",
        "measures.feature_breadth.min_history_days",
        "greater than or equal to 31",
    ),
]


@pytest.mark.parametrize(("old", "new", "key", "fix"), INVALID_FILES)
def test_invalid_model_names_file_key_and_fix(old: str, new: str, key: str, fix: str):
    message = _error(_edit(old, new))

    assert message.startswith("Invalid health model /models/mine.toml: ")
    assert f"key `{key}`" in message
    assert fix in message
    assert "\n" not in message


def test_shadowed_profile_is_rejected():
    shadowing = '[profiles.early]\nstage = "steady"\n' + _weights_line() + "\n"
    text = _edit("[profiles.free]", shadowing + "[profiles.free]")

    message = _error(text)

    assert "key `profiles`" in message
    assert "profile 'free' never applies, because 'early' comes before it" in message


def _weights_line() -> str:
    weights = ", ".join(f"{name} = {1 / len(MEASURE_NAMES)!r}" for name in MEASURE_NAMES)
    return f"weights = {{ {weights} }}"


def test_invalid_toml_names_line():
    line = BUILT_IN[: BUILT_IN.index("red_max = 50")].count("\n") + 1

    message = _error(_edit("red_max = 50", "red_max = = 50"))

    assert message.startswith("Invalid health model /models/mine.toml: not valid TOML")
    assert f"line {line}," in message


def test_misspelt_top_level_table_suggests_name():
    message = _error(_edit("[lifecycle]", "[lifecycles]"))

    assert "key `lifecycles` is unknown: did you mean `lifecycle`?" in message
    assert "1 more problem after this one" in message


def test_default_file_round_trips():
    assert tomllib.loads(BUILT_IN)["version"] == 1
    assert set(CURVE_MEASURES) < set(MEASURE_NAMES)


def test_model_path_prefers_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    home_file = Path(os.environ["CSM_HOME"]) / "health_model.toml"
    home_file.parent.mkdir(parents=True)
    home_file.write_text(BUILT_IN)
    named = tmp_path / "named.toml"
    named.write_text(BUILT_IN)

    assert model_path() == home_file
    monkeypatch.setenv("CSM_HEALTH_MODEL", str(named))
    assert model_path() == named


def test_model_path_defaults_to_built_in():
    assert model_path() == BUILT_IN_PATH
    assert active_model().source == "built-in"


def test_model_path_rejects_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CSM_HEALTH_MODEL", str(tmp_path / "absent.toml"))

    with pytest.raises(ConfigError, match="CSM_HEALTH_MODEL=.*absent.toml is not a file"):
        model_path()


def test_edited_model_file_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "mine.toml"
    path.write_text(BUILT_IN)
    monkeypatch.setenv("CSM_HEALTH_MODEL", str(path))
    first = active_model()

    path.write_text(_edit("red_max = 50", "red_max = 40"))
    os.utime(path, ns=(first_ns := path.stat().st_mtime_ns + 10**9, first_ns))
    second = active_model()

    assert first.bands.red_max == 50
    assert second.bands.red_max == 40
    assert second.source == str(path)
    assert second.digest != first.digest


def test_health_command_reports_invalid_model(settings, tmp_path: Path, monkeypatch):
    store = open_store(settings)
    with store.session() as session:
        session.add(Account(id="A", name="Model Co"))
    store.close()
    path = tmp_path / "mine.toml"
    path.write_text(_edit("per_open = 8", "per_open = -8"))
    monkeypatch.setenv("CSM_HEALTH_MODEL", str(path))

    result = runner.invoke(app, ["health", "Model Co"])

    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: Invalid health model {path}: ")
    assert "key `measures.support.per_open`" in result.stderr
    assert result.stderr.count("\n") == 1


def test_model_command_summarises_profiles():
    result = runner.invoke(app, ["health", "model"])

    assert result.exit_code == 0, result.output
    assert "Health model version 1, built-in" in result.stdout
    assert "Bands: red 0-50, yellow 51-75, green 76-100." in result.stdout
    assert "  onboarding (stage onboarding; every tier)" in result.stdout
    assert "  free (stage steady; Free)" in result.stdout


def test_model_command_default_prints_built_in():
    result = runner.invoke(app, ["health", "model", "--default"])

    assert result.exit_code == 0, result.output
    assert result.stdout == BUILT_IN


def test_model_command_rejects_invalid_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "mine.toml"
    path.write_text(_edit("version = 1", "version = 3"))
    monkeypatch.setenv("CSM_HEALTH_MODEL", str(path))

    result = runner.invoke(app, ["health", "model"])

    assert result.exit_code == 1
    assert "key `version` is invalid: version 3 is not supported" in result.stderr


def test_model_command_json_names_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import json

    path = tmp_path / "mine.toml"
    path.write_text(BUILT_IN)
    monkeypatch.setenv("CSM_HEALTH_MODEL", str(path))

    result = runner.invoke(app, ["health", "model", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["source"] == str(path)
    assert document["profiles"]["steady"]["weights"]["usage_trend"] == 0.2
