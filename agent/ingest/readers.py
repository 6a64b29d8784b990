"""Read table files (CSV in any delimiter, JSON arrays, JSON Lines) into raw rows."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.errors import InputError
from agent.ingest.report import RowError, show_value

TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson"})
DELIMITERS = ",\t;|"
SNIFF_CHARS = 64 * 1024
# Leading bytes of the binary files most often exported or renamed by mistake.
BINARY_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive, such as an Excel .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls or Word .doc file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
BINARY_PROBE_BYTES = 8 * 1024
# The csv module rejects cells over 128 KiB by default, and long call notes and ticket
# threads can exceed that. The limit is process-wide, so it is raised once, here.
MAX_CELL_CHARS = 64 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_CHARS))


@dataclass
class RawRow:
    """One source row before mapping: its 1-based row number and its values by column."""

    row: int | None
    values: dict[str, Any]
    file: str


@dataclass
class TableFile:
    """A table file read into memory."""

    path: Path
    encoding: str
    header: list[str]
    rows: list[RawRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Lines of CSV rows with fewer cells than the header, whose missing cells read as empty.
    short_rows: list[int] = field(default_factory=list)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file contents as UTF-8 (with or without BOM) or UTF-16 with a BOM, else Latin-1.

    Latin-1 maps every byte to a character, so it is the fallback that never fails. The
    returned label names the encoding used, for the report.

    Returns:
        The text and the encoding label.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8 (with BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def binary_kind(data: bytes) -> str | None:
    """Name the kind of binary file `data` holds, or return None when it may be text.

    A known signature names the format. Otherwise a NUL byte in the first 8 KiB marks the
    data as binary, unless a UTF-16 byte-order mark explains the NUL bytes.
    """
    for signature, name in BINARY_SIGNATURES:
        if data.startswith(signature):
            return name
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if b"\x00" in data[:BINARY_PROBE_BYTES]:
        return "a binary file"
    return None


class UnreadableFileError(InputError):
    """A file that cannot be read as text; `reason` is the cause, without the file name."""

    def __init__(self, path: Path, reason: str):
        self.reason = reason
        super().__init__(f"{path}: {reason[:1].lower()}{reason[1:]}")


def read_text(path: Path) -> tuple[str, str]:
    """Read and decode a text file.

    Raises:
        UnreadableFileError: the file cannot be read, or it contains binary data such as
            an image, an archive or a spreadsheet workbook.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFileError(
            path, f"Cannot read the file: {error.strerror or error}."
        ) from None
    kind = binary_kind(data)
    if kind is not None:
        raise UnreadableFileError(
            path,
            f"Not a text file: it looks like {kind}. Export the data as CSV, TSV, JSON or "
            "JSONL (Markdown or plain text for notes and docs) and import that file.",
        )
    try:
        return decode_bytes(data)
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            path, f"The text does not match its byte-order mark ({error}). Save it as UTF-8."
        ) from None


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter: the only candidate in the header line, else csv.Sniffer's choice.

    Candidates are comma, tab, semicolon and pipe. Comma is the default when none is found.
    """
    header_line = text.split("\n", 1)[0]
    present = [d for d in DELIMITERS if d in header_line]
    if len(present) == 1:
        return present[0]
    try:
        found = csv.Sniffer().sniff(text[:SNIFF_CHARS], delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = None
    if found and found in header_line:
        return found
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _clean_header(cells: list[str], path: Path) -> list[str]:
    header = [cell.strip() for cell in cells]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise InputError(f"{path}: the header repeats the column {name!r}. Rename one of them.")
        seen.add(name)
    return header


def _first_nonblank_row(reader: Any, path: Path) -> list[str]:
    for cells in reader:
        if any(cell.strip() for cell in cells):
            return cells
    raise InputError(
        f"{path}: the file is empty or has only blank lines. Expected a header row first."
    )


def read_csv(path: Path, text: str, encoding: str) -> TableFile:
    """Read delimited text, numbering each row by the line where it starts (header = 1).

    Blank lines before the header are skipped. A quoted cell still open at the end of the
    file becomes a row error, because the lines after its opening quote were read into it.
    """
    delimiter = sniff_delimiter(text.lstrip("\r\n"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = _clean_header(_first_nonblank_row(reader, path), path)
        table = TableFile(path, encoding, header)
        previous_line = reader.line_num
        last: tuple[list[str], int] | None = None
        for cells in reader:
            start_line, previous_line = previous_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if last is not None:
                _add_csv_row(table, *last)
            last = (cells, start_line)
    except csv.Error as error:
        raise InputError(f"{path}: line {reader.line_num}: malformed CSV ({error}).") from None
    if last is not None:
        _add_last_csv_row(table, text, delimiter, *last, end_line=reader.line_num)
    return table


def _add_last_csv_row(
    table: TableFile, text: str, delimiter: str, cells: list[str], line: int, end_line: int
) -> None:
    """Add the file's last row, or a row error when its quoted cell never closes.

    The lenient reader ends an unclosed quoted cell at the end of the file, so the row is
    parsed again strictly, which raises on exactly that case.
    """
    tail = "".join(io.StringIO(text, newline="").readlines()[line - 1 :])
    try:
        list(csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            table.errors.append(
                RowError(
                    file=str(table.path),
                    row=line,
                    value=show_value(tail.strip()),
                    message=(
                        f"A quoted cell opens on line {line} and never closes, so lines "
                        f"{line}-{end_line} were read as one row and none of them was "
                        'loaded. Close the quote, or write a quote inside a cell as "".'
                    ),
                )
            )
            return
    _add_csv_row(table, cells, line)


def _add_csv_row(table: TableFile, cells: list[str], line: int) -> None:
    width = len(table.header)
    extra = cells[width:]
    if any(cell.strip() for cell in extra):
        table.errors.append(
            RowError(
                file=str(table.path),
                row=line,
                value=show_value(" | ".join(extra)),
                message=(
                    f"The row has {len(cells)} cells but the header has {width} columns. "
                    "Quote any cell that contains the delimiter, or remove the extra cells."
                ),
            )
        )
        return
    if len(cells) < width:
        table.short_rows.append(line)
    values = {name: cells[i] if i < len(cells) else None for i, name in enumerate(table.header)}
    values.pop("", None)
    table.rows.append(RawRow(line, values, str(table.path)))


def _records_from_json(document: Any, path: Path) -> list[Any]:
    if isinstance(document, dict):
        lists = [value for value in document.values() if isinstance(value, list)]
        if len(lists) == 1:
            return lists[0]
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        keys = ", ".join(repr(key) for key in list(document)[:5]) or "none"
        found = f"an object (keys: {keys}) with no single array of rows inside"
    else:
        found = f"a single value ({json.dumps(document)[:40]})"
    raise InputError(
        f"{path}: the top level is {found}. Expected a JSON array of objects, one per row, "
        "or JSON Lines with one object per line."
    )


def _add_json_record(table: TableFile, record: Any, row: int, seen: dict[str, None]) -> None:
    if not isinstance(record, dict):
        table.errors.append(
            RowError(
                file=str(table.path),
                row=row,
                value=show_value(json.dumps(record)),
                message="Expected a JSON object with one key per field.",
            )
        )
        return
    values = {str(key).strip(): value for key, value in record.items()}
    for key in values:
        seen.setdefault(key, None)
    table.rows.append(RawRow(row, values, str(table.path)))


def read_json(path: Path, text: str, encoding: str) -> TableFile:
    """Read a JSON array (row = element number) or JSON Lines (row = line number)."""
    table = TableFile(path, encoding, [])
    seen: dict[str, None] = {}
    if path.suffix.casefold() in (".jsonl", ".ndjson"):
        return _read_json_lines(table, text, seen)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        if path.suffix.casefold() == ".json" and error.msg != "Extra data":
            raise InputError(f"{path}: invalid JSON at line {error.lineno}: {error.msg}.") from None
        return _read_json_lines(table, text, seen)
    for number, record in enumerate(_records_from_json(document, path), start=1):
        _add_json_record(table, record, number, seen)
    table.header = list(seen)
    return table


def _read_json_lines(table: TableFile, text: str, seen: dict[str, None]) -> TableFile:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            table.errors.append(
                RowError(
                    file=str(table.path),
                    row=number,
                    value=show_value(line.strip()),
                    message=f"Invalid JSON: {error.msg}.",
                )
            )
            continue
        _add_json_record(table, record, number, seen)
    table.header = list(seen)
    return table


def read_table(path: Path) -> TableFile:
    """Read a CSV/TSV, JSON or JSONL file, choosing the format from the suffix or the content.

    Raises:
        InputError: the file cannot be read or parsed as a whole.
    """
    text, encoding = read_text(path)
    suffix = path.suffix.casefold()
    looks_like_json = text.lstrip()[:1] in ("[", "{")
    json_suffix = suffix in (".json", ".jsonl", ".ndjson")
    if json_suffix or (suffix not in TABLE_SUFFIXES and looks_like_json):
        return read_json(path, text, encoding)
    return read_csv(path, text, encoding)
