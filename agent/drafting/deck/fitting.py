"""Fit text into a slide's text box: choose a font size, shorten long bullets, or split.

Widths are measured with the metrics of DejaVu Sans, which ships with matplotlib. Its letters
are wider than those of Calibri, the theme font of python-pptx's default template, and of
Carlito, the metric-compatible font LibreOffice uses for Calibri, so text that fits by this
measure fits when either renders it. LibreOffice falls back to DejaVu Sans itself when neither
is installed, and then the measure is exact.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from agent.drafting.deck.document import Bullet

ELLIPSIS = "\u2026"
# Line height as a multiple of the font size. The slides set this exact spacing, so a
# renderer's own default spacing does not change how many lines fit.
LINE_SPACING = 1.2
# Space before every paragraph but the first, as a multiple of its font size.
PARAGRAPH_GAP = {0: 0.5, 1: 0.2}
# Left margin of the text of each bullet level, in points: the default template's marL of
# 0.375 in and 0.8125 in.
BULLET_INDENT = {0: 27.0, 1: 58.5}
# Sub-bullets are set this many points smaller than their section's bullets.
SUB_BULLET_STEP = 2
# Font sizes tried for section bullets, largest first. 16 pt is the smallest size used, so
# a slide stays readable from the back of a meeting room.
BODY_SIZES = (24, 22, 20, 18, 16)
# A bullet longer than this many lines at the chosen size is shortened with an ellipsis.
MAX_BULLET_LINES = 3


@dataclass(frozen=True)
class TextBox:
    """The area text may fill, in points, inside the shape's insets."""

    width: float
    height: float
    bulleted: bool = True

    def line_width(self, level: int) -> float:
        return self.width - (BULLET_INDENT[level] if self.bulleted else 0.0)


@dataclass
class FittedText:
    """Paragraphs fitted into one text box at one font size."""

    size: int
    bullets: list[Bullet]
    # The full text of each bullet that was shortened to fit, for the speaker notes.
    shortened: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def _font():  # noqa: ANN202 - matplotlib.ft2font.FT2Font
    import matplotlib
    from matplotlib import ft2font

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    font = ft2font.FT2Font(str(path))
    # Measure at 100 pt and 72 dpi, so one pixel is one point; widths scale with the size.
    font.set_size(100, 72)
    return font


@functools.lru_cache(maxsize=8192)
def _width_at_100(text: str) -> float:
    font = _font()
    font.set_text(text, 0.0)
    # FreeType reports widths in 1/64 pixel.
    return font.get_width_height()[0] / 64.0


def text_width(text: str, size: float) -> float:
    """Return the width of one line of text at `size` points, in points."""
    words = text.split(" ")
    total = sum(_width_at_100(word) for word in words if word)
    spaces = len(words) - 1
    return (total + spaces * _space_width()) * size / 100.0


@functools.lru_cache(maxsize=1)
def _space_width() -> float:
    # A lone space has no ink, so measure it as the difference it makes between two letters.
    return _width_at_100("n n") - _width_at_100("nn")


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into lines no wider than `width` points, greedily at spaces.

    A word wider than a whole line is broken between characters, as renderers do.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current, size) > width and len(current) > 1:
            cut = _longest_prefix(current, width, size)
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines or [""]


def _longest_prefix(word: str, width: float, size: float) -> int:
    cut = 1
    while cut < len(word) and text_width(word[: cut + 1], size) <= width:
        cut += 1
    return cut


def shorten(text: str, width: float, size: float, max_lines: int) -> str:
    """Cut the text at a word boundary and end it with an ellipsis so it takes `max_lines`.

    Only whole words are dropped, so a number, date or id is either kept whole or left out.
    """
    if len(wrap(text, width, size)) <= max_lines:
        return text
    words = text.split()
    low, high = 0, len(words)
    # Binary search for the most words whose shortened form still fits.
    while low < high:
        middle = (low + high + 1) // 2
        if len(wrap(_cut(words, middle), width, size)) <= max_lines:
            low = middle
        else:
            high = middle - 1
    return _cut(words, low) if low else ELLIPSIS


def _cut(words: list[str], count: int) -> str:
    return " ".join(words[:count]).rstrip(",;:(") + ELLIPSIS


def bullet_size(size: int, level: int) -> int:
    return size - SUB_BULLET_STEP * level


def paragraph_height(bullet: Bullet, box: TextBox, size: int, first: bool) -> float:
    """Return the height of one paragraph in points, with the space before it."""
    points = bullet_size(size, bullet.level)
    lines = len(wrap(bullet.text, box.line_width(bullet.level), points))
    gap = 0.0 if first else PARAGRAPH_GAP[bullet.level] * points
    return gap + lines * points * LINE_SPACING


def text_height(bullets: list[Bullet], box: TextBox, size: int) -> float:
    return sum(
        paragraph_height(bullet, box, size, index == 0) for index, bullet in enumerate(bullets)
    )


def bullet_lines(bullet: Bullet, box: TextBox, size: int) -> int:
    points = bullet_size(size, bullet.level)
    return len(wrap(bullet.text, box.line_width(bullet.level), points))


def _fits(bullets: list[Bullet], box: TextBox, size: int, max_lines: int) -> bool:
    if any(bullet_lines(bullet, box, size) > max_lines for bullet in bullets):
        return False
    return text_height(bullets, box, size) <= box.height


def _shortened(
    bullets: list[Bullet], box: TextBox, size: int, max_lines: int
) -> list[tuple[Bullet, str | None]]:
    """Shorten each bullet to `max_lines`; pair it with its full text when it was cut."""
    pairs: list[tuple[Bullet, str | None]] = []
    for bullet in bullets:
        points = bullet_size(size, bullet.level)
        text = shorten(bullet.text, box.line_width(bullet.level), points, max_lines)
        pairs.append((Bullet(text, bullet.level), bullet.text if text != bullet.text else None))
    return pairs


def _page(size: int, pairs: list[tuple[Bullet, str | None]]) -> FittedText:
    return FittedText(
        size=size,
        bullets=[bullet for bullet, _full in pairs],
        shortened=[full for _bullet, full in pairs if full is not None],
    )


def fit_text(
    bullets: list[Bullet],
    box: TextBox,
    sizes: tuple[int, ...] = BODY_SIZES,
    max_lines: int = MAX_BULLET_LINES,
) -> list[FittedText]:
    """Fit the bullets into the box, on as many boxes (slides) as they need.

    The first choice is the largest size at which every bullet fits whole. The next is the
    largest size at which the bullets fit once each is shortened to `max_lines`. The last is
    shortened bullets split over the fewest boxes, at the largest size that needs no more
    boxes, with each sub-bullet kept on the same box as its bullet where it fits.
    """
    for size in sizes:
        if _fits(bullets, box, size, max_lines):
            return [FittedText(size=size, bullets=list(bullets))]
    for size in sizes:
        fitted = _page(size, _shortened(bullets, box, size, max_lines))
        if text_height(fitted.bullets, box, size) <= box.height:
            return [fitted]
    # Splitting anyway: use the largest size that needs no more boxes than the smallest.
    splits = [_split(_shortened(bullets, box, size, max_lines), box, size) for size in sizes]
    fewest = min(len(pages) for pages in splits)
    return next(pages for pages in splits if len(pages) == fewest)


def _blocks(pairs: list[tuple[Bullet, str | None]]) -> list[list[tuple[Bullet, str | None]]]:
    """Group each level-0 bullet with the sub-bullets under it."""
    blocks: list[list[tuple[Bullet, str | None]]] = []
    for pair in pairs:
        if pair[0].level == 0 or not blocks:
            blocks.append([pair])
        else:
            blocks[-1].append(pair)
    return blocks


def _split(pairs: list[tuple[Bullet, str | None]], box: TextBox, size: int) -> list[FittedText]:
    pages: list[list[tuple[Bullet, str | None]]] = [[]]

    def overflows(extra: list[tuple[Bullet, str | None]]) -> bool:
        bullets = [bullet for bullet, _full in pages[-1] + extra]
        return bool(pages[-1]) and text_height(bullets, box, size) > box.height

    for block in _blocks(pairs):
        if overflows(block):
            pages.append([])
        for pair in block:
            # A block taller than a whole box continues on the next one.
            if overflows([pair]):
                pages.append([])
            pages[-1].append(pair)
    return [_page(size, page) for page in pages]
