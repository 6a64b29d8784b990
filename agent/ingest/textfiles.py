"""Read notes from plain text and Markdown files: front matter, transcripts, file listing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NOTE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".mdx"})

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_SPEAKER_LINE = re.compile(r"^[A-Z][\w .'&-]{0,40}:\s+\S")
# AMI-style annotations inside transcripts: {vocalsound}, {disfmarker}, {gap}, {pause}.
_TRANSCRIPT_MARK = re.compile(r"\{[a-z_]+\}")
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split a leading `---` block of `key: value` lines from the rest of the text.

    This reads the flat subset of YAML that notes and docs use: one `key: value` per line,
    values optionally in single or double quotes. Nested mappings and lists are skipped.

    Returns:
        The keys (lower-cased) with their values, and the text after the block.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    values: dict[str, str] = {}
    for line in match.group(1).splitlines():
        if not line or line[0] in " \t-#":
            continue
        key, sep, value = line.partition(":")
        if sep and key.strip():
            values[key.strip().casefold()] = _unquote(value.strip())
    return values, text[match.end() :]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace('\\"', '"') if value[0] == '"' else inner.replace("''", "'")
    return value


def is_license_file(path: Path) -> bool:
    """Return True for licence files (LICENSE, LICENSE.md, LICENSE_CC-BY-SA-4.0.md, ...)."""
    return path.name.upper().startswith(("LICENSE", "LICENCE"))


def list_files(root: Path, suffixes: frozenset[str]) -> list[Path]:
    """List files under `root` with one of `suffixes`, recursively and sorted.

    Hidden files and folders and licence files are left out.
    """
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix.casefold() in suffixes and not is_license_file(path):
            found.append(path)
    return found


def looks_like_transcript(body: str) -> bool:
    """Return True when most non-empty lines read `Speaker: text`."""
    lines = [line for line in body.splitlines() if line.strip()]
    speaker_lines = sum(1 for line in lines if _SPEAKER_LINE.match(line))
    return len(lines) >= 3 and speaker_lines * 2 >= len(lines)


def clean_transcript(body: str) -> str:
    """Remove annotation marks such as `{vocalsound}` and the speaker lines left empty."""
    lines = []
    for line in body.splitlines():
        cleaned = re.sub(r"[ \t]{2,}", " ", _TRANSCRIPT_MARK.sub("", line)).strip()
        _speaker, sep, rest = cleaned.partition(":")
        if sep and _SPEAKER_LINE.match(line) and not rest.strip(" .,"):
            continue
        if cleaned:
            lines.append(cleaned)
    return "\n".join(lines)


def title_from_name(path: Path) -> str:
    """Make a title from a file name: `kickoff_call-notes.md` becomes `kickoff call notes`."""
    return re.sub(r"[-_]+", " ", path.stem).strip() or path.stem


def date_from_name(path: Path) -> str | None:
    """Return a `YYYY-MM-DD` date found in the file name, if any."""
    match = _DATE_IN_NAME.search(path.stem)
    return match.group(0) if match else None


@dataclass
class TextNote:
    """A note read from one text file, before validation."""

    values: dict[str, Any]
    date_in_source: bool


def note_from_text(path: Path, text: str) -> TextNote:
    """Read one note from a text or Markdown file.

    The id is `note-<file stem>`. Front matter may set account_id, date, title, kind and
    author. Without them the title comes from the file name, the date from a `YYYY-MM-DD`
    in the file name, and the kind is `transcript` when most lines read `Speaker: text`
    (annotation marks such as `{vocalsound}` are then removed), else `note`.
    """
    meta, body = split_front_matter(text)
    kind = meta.get("kind")
    if kind is None:
        kind = "transcript" if looks_like_transcript(body) else "note"
    if kind.casefold() == "transcript":
        body = clean_transcript(body)
    note_date = meta.get("date") or meta.get("note_date") or date_from_name(path)
    values = {
        "id": meta.get("id") or f"note-{path.stem}",
        "account_id": meta.get("account_id"),
        "note_date": note_date,
        "kind": kind,
        "title": meta.get("title") or title_from_name(path),
        "author": meta.get("author"),
        "body": body.strip(),
    }
    return TextNote(values, date_in_source=bool(note_date))
