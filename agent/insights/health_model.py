"""The health model file: measures, cut-points, weights by profile, and bands, from TOML.

The built-in model is `health_model.toml` beside this module. A user's own file is read from
CSM_HEALTH_MODEL, else from CSM_HOME/health_model.toml. Every file is validated here, and a
mistake becomes one ConfigError line that names the file, the key and the fix.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import os
import tomllib
import types
import typing
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from agent.config import home_from_env
from agent.errors import ConfigError

BUILT_IN_PATH = Path(__file__).with_name("health_model.toml")
MODEL_ENV = "CSM_HEALTH_MODEL"
HOME_MODEL_FILE = "health_model.toml"
SUPPORTED_VERSIONS = (1,)
STAGES = ("onboarding", "steady")


def _check_cut_points(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    if len(points) < 2:
        raise ValueError(f"give at least two [input, score] pairs, not {len(points)}")
    for (x0, _), (x1, _) in zip(points, points[1:], strict=False):
        if x1 <= x0:
            raise ValueError(
                f"inputs must rise from one pair to the next, but {x1:g} follows {x0:g}: "
                "list the pairs in increasing order of input"
            )
    for x, y in points:
        if not 0 <= y <= 100:
            raise ValueError(f"the score of [{x:g}, {y:g}] is outside 0-100: scores run 0 to 100")
    return points


CutPoints = Annotated[list[tuple[float, float]], AfterValidator(_check_cut_points)]
Score = Annotated[float, Field(ge=0, le=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CurveMeasure(_Strict):
    """A measure scored by a piecewise-linear curve through its cut-points."""

    cut_points: CutPoints


class UsageTrendMeasure(CurveMeasure):
    min_prior_days: int = Field(ge=1, description="days of history needed before the window")


class FeatureBreadthMeasure(CurveMeasure):
    # The recent window is 30 days, so a shorter history would compare a window with itself.
    min_history_days: int = Field(ge=31, description="days from the first use before scoring")


NoteKind = Literal["call", "meeting", "email", "transcript", "note"]


class LastTouchMeasure(CurveMeasure):
    # The note kinds that count as contact with the customer.
    kinds: list[NoteKind] = Field(min_length=1)


class SupportMeasure(_Strict):
    """Points taken off 100 for each ticket open on the scoring date."""

    per_open: float = Field(ge=0)
    per_escalated: float = Field(ge=0)
    per_high_or_urgent: float = Field(ge=0)
    per_stale: float = Field(ge=0)
    stale_after_days: int = Field(ge=0)


class SurveysMeasure(_Strict):
    """NPS and CSAT: fixed mappings to 0-100, so nothing to set besides the weight."""


class StakeholdersMeasure(_Strict):
    champion_left: Score
    champion_left_days: int = Field(ge=1)
    no_champion: Score
    no_sponsor_penalty: Score


class Measures(_Strict):
    """Every measure's settings, in the order reports list them."""

    usage_trend: UsageTrendMeasure
    seat_use: CurveMeasure
    feature_breadth: FeatureBreadthMeasure
    support: SupportMeasure
    sentiment: CurveMeasure
    surveys: SurveysMeasure
    renewal: CurveMeasure
    stakeholders: StakeholdersMeasure
    last_touch: LastTouchMeasure


MEASURE_NAMES = tuple(Measures.model_fields)
CURVE_MEASURES = tuple(
    name
    for name, info in Measures.model_fields.items()
    if issubclass(info.annotation, CurveMeasure)
)
Weight = Annotated[float, Field(ge=0, le=1)]


class Weights(_Strict):
    """A weight for every measure; the weights of one profile sum to 1."""

    usage_trend: Weight
    seat_use: Weight
    feature_breadth: Weight
    support: Weight
    sentiment: Weight
    surveys: Weight
    renewal: Weight
    stakeholders: Weight
    last_touch: Weight

    @model_validator(mode="after")
    def _sum_to_one(self) -> Weights:
        total = sum(self.as_dict().values())
        if abs(total - 1.0) > 0.001:
            raise ValueError(f"the weights sum to {total:g}: make them sum to 1")
        return self

    def as_dict(self) -> dict[str, float]:
        return self.model_dump()


class CutPointOverrides(_Strict):
    """Cut-points that replace a measure's own within one profile."""

    usage_trend: CutPoints | None = None
    seat_use: CutPoints | None = None
    feature_breadth: CutPoints | None = None
    sentiment: CutPoints | None = None
    renewal: CutPoints | None = None
    last_touch: CutPoints | None = None


class Profile(_Strict):
    """Weights (and optionally cut-points) for the accounts of one stage and set of tiers."""

    description: str = ""
    stage: Literal["onboarding", "steady", "any"]
    # Plan tiers the profile fits, case ignored; empty fits every tier and no tier.
    tiers: list[str] = Field(default_factory=list)
    weights: Weights
    cut_points: CutPointOverrides = Field(default_factory=CutPointOverrides)

    def fits(self, stage: str, tier: str | None) -> bool:
        """Return whether the profile applies to an account of this stage and tier."""
        if self.stage not in ("any", stage):
            return False
        if not self.tiers:
            return True
        tier_key = (tier or "").casefold()
        return any(allowed.casefold() == tier_key for allowed in self.tiers)


class Lifecycle(_Strict):
    onboarding_days: int = Field(ge=0)


class Bands(_Strict):
    """Upper bounds of the red and yellow bands; scores above `yellow_max` are green."""

    red_max: int = Field(ge=0, le=100)
    yellow_max: int = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Bands:
        if not self.red_max < self.yellow_max < 100:
            raise ValueError(
                f"red_max {self.red_max} and yellow_max {self.yellow_max} must satisfy "
                "red_max < yellow_max < 100"
            )
        return self

    def band_for(self, score: int) -> str:
        if score <= self.red_max:
            return "red"
        if score <= self.yellow_max:
            return "yellow"
        return "green"


class HealthModel(_Strict):
    """A validated health model, with the file it came from and a digest of its content."""

    version: int
    description: str = ""
    lifecycle: Lifecycle
    bands: Bands
    measures: Measures
    profiles: dict[str, Profile] = Field(min_length=1)

    _source: str = PrivateAttr(default="built-in")
    _digest: str = PrivateAttr(default="")
    _measures: dict[str, Measures] = PrivateAttr(default_factory=dict)

    @field_validator("version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        if version not in SUPPORTED_VERSIONS:
            raise ValueError(
                f"version {version} is not supported: this csm reads version "
                f"{', '.join(map(str, SUPPORTED_VERSIONS))}; set `version = 1` and compare the "
                "keys with `csm health model --default`"
            )
        return version

    @field_validator("profiles")
    @classmethod
    def _every_account_has_a_profile(cls, profiles: dict[str, Profile]) -> dict[str, Profile]:
        for stage in STAGES:
            if not any(p.stage in ("any", stage) and not p.tiers for p in profiles.values()):
                raise ValueError(
                    f"no profile fits every account in stage {stage!r}: add a profile with "
                    f'stage = "{stage}" (or "any") and tiers = [] after the others'
                )
        names = list(profiles)
        for position, name in enumerate(names):
            shadow = _shadowing_profile(profiles, names[:position], profiles[name])
            if shadow is not None:
                raise ValueError(
                    f"profile {name!r} never applies, because {shadow!r} comes before it and "
                    f"fits every account it would: move {name!r} above {shadow!r}"
                )
        return profiles

    @property
    def source(self) -> str:
        """The file the model was read from, or `built-in`."""
        return self._source

    @property
    def digest(self) -> str:
        """The first 12 hex digits of the SHA-256 of the model's content, keys sorted."""
        return self._digest

    def profile_for(self, stage: str, tier: str | None) -> tuple[str, Profile]:
        """Return the first profile, in file order, that fits the stage and tier."""
        for name, profile in self.profiles.items():
            if profile.fits(stage, tier):
                return name, profile
        # Validation guarantees a profile without tiers for every stage.
        raise AssertionError(f"no profile for stage {stage!r}")

    def measures_for(self, profile_name: str) -> Measures:
        """Return the measures with the profile's cut-points in place of their own."""
        if profile_name not in self._measures:
            overrides = self.profiles[profile_name].cut_points.model_dump(exclude_none=True)
            replaced = {
                name: getattr(self.measures, name).model_copy(update={"cut_points": points})
                for name, points in overrides.items()
            }
            self._measures[profile_name] = self.measures.model_copy(update=replaced)
        return self._measures[profile_name]


def _shadowing_profile(
    profiles: dict[str, Profile], earlier: list[str], profile: Profile
) -> str | None:
    """Return an earlier profile without tiers that fits every stage `profile` fits."""
    for name in earlier:
        candidate = profiles[name]
        covers_stage = candidate.stage == "any" or candidate.stage == profile.stage
        if not candidate.tiers and covers_stage:
            return name
    return None


# Reading and validating a file


def _dotted(location: tuple) -> str:
    key = ""
    for part in location:
        if isinstance(part, int):
            key += f"[{part}]"
        else:
            key += f".{part}" if key else str(part)
    return key


def _field_model(annotation: object) -> type[BaseModel] | None:
    """Return the model class an annotation holds, looking through Optional and dict values."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, dict):
        for argument in typing.get_args(annotation):
            found = _field_model(argument)
            if found is not None:
                return found
    return None


def _allowed_keys(location: tuple) -> list[str]:
    """Return the keys the model accepts in the table at `location`."""
    model: type[BaseModel] | None = HealthModel
    parts = list(location)
    while parts and model is not None:
        part = parts.pop(0)
        info = model.model_fields.get(str(part))
        if info is None:
            return []
        if typing.get_origin(info.annotation) is dict and parts:
            # A table of named entries: the next part is the entry's name.
            parts.pop(0)
        model = _field_model(info.annotation)
    return list(model.model_fields) if model is not None else []


def _describe(error: dict) -> str:
    location = tuple(error["loc"])
    key = _dotted(location) or "(top level)"
    kind = error["type"]
    if kind == "missing":
        return f"key `{key}` is missing: add it (see `csm health model --default`)"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(location[:-1])
        close = difflib.get_close_matches(str(location[-1]), allowed, n=1)
        hint = f"did you mean `{close[0]}`? The" if close else "the"
        listing = ", ".join(allowed) if allowed else "none"
        return f"key `{key}` is unknown: {hint} keys allowed here are {listing}"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind.startswith(("greater_than", "less_than", "literal", "int_", "float_", "string_")):
        return f"key `{key}` is invalid: {message[:1].lower()}{message[1:]}, not {error['input']!r}"
    return f"key `{key}` is invalid: {message}"


def _invalid(path: Path, problem: str) -> ConfigError:
    return ConfigError(f"Invalid health model {path}: {problem}.".replace("\n", " "))


def parse_model(text: str, path: Path) -> HealthModel:
    """Validate the TOML text of a health model read from `path`.

    Raises:
        ConfigError: the text is not TOML or breaks a rule; one line naming the file, the
            first key at fault and the fix.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _invalid(path, f"not valid TOML ({error}): fix the syntax there") from None
    return validate_model(document, path)


def validate_model(document: dict, path: Path) -> HealthModel:
    """Validate a health model given as the table a TOML file holds.

    Raises:
        ConfigError: the document breaks a rule; one line naming the file, the first key at
            fault and the fix.
    """
    try:
        model = HealthModel.model_validate(document)
    except ValidationError as error:
        # An unknown key is most often a misspelt one, which also shows up as a missing key:
        # report the misspelling, whose message names the key meant.
        problems = sorted(error.errors(), key=lambda item: item["type"] != "extra_forbidden")
        more = len(problems) - 1
        suffix = f" ({more} more problem{'s' if more != 1 else ''} after this one)" if more else ""
        raise _invalid(path, _describe(problems[0]) + suffix) from None
    canonical = json.dumps(model.model_dump(mode="json"), sort_keys=True)
    model._digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
    model._source = "built-in" if path == BUILT_IN_PATH else str(path)
    return model


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path, _modified_ns: int, _size: int) -> HealthModel:
    # Keyed on the file's modification time and size, so an edited file is read again.
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _invalid(path, "not UTF-8 text: save it as UTF-8") from None
    return parse_model(text, path)


def load_model(path: Path | None = None) -> HealthModel:
    """Read and validate a model file (default: the built-in model)."""
    path = path or BUILT_IN_PATH
    try:
        status = path.stat()
    except OSError as error:
        raise ConfigError(
            f"Cannot read the health model {path} ({error.strerror or error}). Check the path."
        ) from None
    return _load_cached(path, status.st_mtime_ns, status.st_size)


def model_path() -> Path:
    """Return the model file in force: CSM_HEALTH_MODEL, else CSM_HOME's, else the built-in.

    Raises:
        ConfigError: CSM_HEALTH_MODEL names no file.
    """
    named = os.environ.get(MODEL_ENV, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(
                f"{MODEL_ENV}={named} is not a file. Point it at a health model TOML file, or "
                "unset it to use the built-in model."
            )
        return path
    home_file = home_from_env() / HOME_MODEL_FILE
    return home_file if home_file.is_file() else BUILT_IN_PATH


def active_model() -> HealthModel:
    """Return the validated model in force for this run."""
    return load_model(model_path())


__all__ = [
    "BUILT_IN_PATH",
    "CURVE_MEASURES",
    "MEASURE_NAMES",
    "HealthModel",
    "Measures",
    "Profile",
    "active_model",
    "load_model",
    "model_path",
    "parse_model",
    "validate_model",
]
