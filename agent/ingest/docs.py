"""Read product documentation pages from Markdown and MDX files into plain Markdown text.

MDX pages mix Markdown with JSX: `import` lines, components such as `<CtaBox ... />`, HTML
blocks and images. Cleaning keeps what a reader sees (Markdown text, the text inside tags,
image alt text) and drops what they do not (imports, tags, comments, scripts). Fenced code
blocks and inline code spans are kept exactly as written.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from agent.ingest.textfiles import split_front_matter, title_from_name

DOC_SUFFIXES = frozenset({".md", ".mdx", ".markdown", ".html", ".htm"})
HTML_SUFFIXES = frozenset({".html", ".htm"})

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
_MDX_IMPORT = re.compile(r"^import\s+(?:.+\s+from\s+)?['\"][^'\"]+['\"];?\s*$", re.MULTILINE)
_COMMENTS = re.compile(r"<!--.*?-->|\{/\*.*?\*/\}", re.DOTALL)
_SCRIPTS = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
# A JSX or HTML tag: the name, then attributes that may hold quoted strings and `{...}`
# expressions nested two levels deep (such as `style={{minWidth: '200px'}}`).
_TAG = re.compile(
    r"</?([A-Za-z][\w.:-]*)"
    r"((?:[^<>{}\"']|\"[^\"]*\"|'[^']*'|\{(?:[^{}]|\{[^{}]*\})*\})*)"
    r">",
    re.DOTALL,
)
_ALT = re.compile(r"\balt=(?:\"([^\"]*)\"|'([^']*)'|\{[\"']([^\"']*)[\"']\})")
_ADMONITION = re.compile(r"^:::[ \t]*(\w+)?[ \t]*(.*)$", re.MULTILINE)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_HTML_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.DOTALL | re.IGNORECASE)
_HTML_HEAD = re.compile(r"<head\b.*?</head\s*>|<!doctype[^>]*>", re.DOTALL | re.IGNORECASE)
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.DOTALL | re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    {"div", "p", "br", "hr", "tr", "table", "thead", "tbody", "ul", "ol", "li", "details"}
    | {"summary", "section", "blockquote", "pre", "figure", "figcaption", "video"}
    | {"h1", "h2", "h3", "h4", "h5", "h6"}
)


# Left where a tag was removed, so that the line's HTML indentation can be dropped too
# (four leading spaces would otherwise turn the text into a Markdown code block).
_TAG_MARK = "\x01"


def _replace_tag(match: re.Match[str]) -> str:
    name = match.group(1).casefold()
    if name == "img":
        alt = _ALT.search(match.group(2))
        text = next((group for group in alt.groups() if group), "") if alt else ""
    elif name in ("td", "th"):
        text = " "
    else:
        text = "\n" if name in _BLOCK_TAGS else ""
    return _TAG_MARK + text


def _clean_prose(text: str) -> str:
    spans: list[str] = []

    def protect(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\x00{len(spans) - 1}\x00"

    text = _INLINE_CODE.sub(protect, text)
    text = _MDX_IMPORT.sub("", text)
    text = _COMMENTS.sub("", text)
    text = _SCRIPTS.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub(_replace_tag, text)
    text = _ADMONITION.sub(lambda m: m.group(2), text)
    text = html.unescape(text)
    lines = [
        line.replace(_TAG_MARK, "").strip() if _TAG_MARK in line else line.rstrip()
        for line in text.split("\n")
    ]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return _PLACEHOLDER.sub(lambda m: spans[int(m.group(1))], text)


def _split_fenced(text: str) -> list[tuple[bool, str]]:
    """Split Markdown into (is_code, text) parts at fenced code block boundaries."""
    parts: list[tuple[bool, str]] = []
    current: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        marker = _FENCE.match(line)
        if fence is None and marker:
            parts.append((False, "\n".join(current)))
            current, fence = [line], marker.group(1)
        elif (
            fence is not None
            and line.strip().startswith(fence[0] * len(fence))
            and (line.strip().strip(fence[0]) == "")
        ):
            current.append(line)
            parts.append((True, "\n".join(current)))
            current, fence = [], None
        else:
            current.append(line)
    parts.append((fence is not None, "\n".join(current)))
    return parts


def clean_markdown(text: str) -> str:
    """Turn MDX or Markdown with HTML into plain Markdown, keeping fenced code as written."""
    pieces = [part if is_code else _clean_prose(part) for is_code, part in _split_fenced(text)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(pieces)).strip()


def doc_id_for(path: Path, root: Path | None) -> str:
    """Return a page's id: its path under the imported folder, without suffix.

    For example `proxy/introduction` for `proxy/introduction.md`; a single imported file
    gets its stem.
    """
    if root is None:
        return path.stem
    return path.relative_to(root).with_suffix("").as_posix()


def _html_title(page: str) -> str | None:
    match = _HTML_TITLE.search(page)
    title = " ".join(html.unescape(match.group(1)).split()) if match else ""
    return title or None


def _html_as_markdown(page: str) -> str:
    """Drop an HTML page's doctype and head, and write its headings as Markdown headings;
    the other tags are left to `clean_markdown`."""
    page = _HTML_HEAD.sub("", page)
    return _HTML_HEADING.sub(
        lambda m: "\n" + "#" * int(m.group(1)) + " " + " ".join(m.group(2).split()) + "\n", page
    )


def doc_from_text(path: Path, root: Path | None, text: str) -> dict[str, Any]:
    """Read one documentation page into raw doc values (id, title, description, body, updated).

    The title comes from the front matter `title:`, else the first `#` heading, else the
    file name.
    """
    meta, body = split_front_matter(text)
    if path.suffix.casefold() in HTML_SUFFIXES:
        body, meta["title"] = _html_as_markdown(body), meta.get("title") or _html_title(body)
    body = clean_markdown(body)
    heading = _HEADING.search(body)
    title = meta.get("title") or (heading.group(1) if heading else None) or title_from_name(path)
    return {
        "id": doc_id_for(path, root),
        "title": title,
        "description": meta.get("description"),
        "body": body,
        "updated": meta.get("updated") or meta.get("last_updated") or meta.get("date"),
    }
