"""The CSM's voice for drafts: sign-off, tone and phrases to avoid, from `style.toml`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from agent.config import Settings
from agent.errors import ConfigError

# Filler that makes an email read as generated; drafts never use it, whatever the style file.
FILLER = (
    "I hope this email finds you well",
    "I hope this finds you well",
    "I hope you are doing well",
    "just checking in",
    "touch base",
    "circle back",
    "I wanted to reach out",
)
STYLE_FILE = "style.toml"


@dataclass(frozen=True)
class Style:
    """The voice of drafts. Every field has a default, so the file is optional."""

    sign_off: str = "Best,"
    tone: str = "warm, direct and specific"
    avoid: tuple[str, ...] = ()

    @property
    def avoided(self) -> tuple[str, ...]:
        return FILLER + self.avoid


def load_style(settings: Settings | None) -> Style:
    """Read `[style]` from `CSM_HOME/style.toml`; a missing file gives the default style.

    Raises:
        ConfigError: the file is not valid TOML or a value has the wrong type.
    """
    if settings is None:
        return Style()
    path = settings.home / STYLE_FILE
    if not path.is_file():
        return Style()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("style", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML ({error}). Fix or delete it.") from None
    sign_off = table.get("sign_off", Style.sign_off)
    tone = table.get("tone", Style.tone)
    avoid = table.get("avoid", [])
    if not isinstance(sign_off, str) or not isinstance(tone, str):
        raise ConfigError(f"{path}: sign_off and tone must be strings.")
    if not isinstance(avoid, list) or not all(isinstance(item, str) for item in avoid):
        raise ConfigError(f'{path}: avoid must be a list of strings, e.g. ["circle back"].')
    return Style(sign_off=sign_off, tone=tone, avoid=tuple(avoid))
