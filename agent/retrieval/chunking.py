"""Split text into overlapping token windows with character offsets into the original text.

Tokens are counted with tiktoken's cl100k_base, so a chunk's size in a prompt is known. A
window ends at a paragraph or sentence end when one lies within BREAK_WINDOW_TOKENS of the
target length, else at the target length. Each chunk's text is exactly
`text[chunk.start:chunk.end]`, with the whitespace at both ends left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from agent.offline import get_encoding

ENCODING = "cl100k_base"
# NOTE: all-MiniLM-L6-v2 reads at most 256 word pieces. On Markdown product docs and meeting
# transcripts, chunks of 200 cl100k_base tokens had a median of 201 word pieces, but 3% had more
# than 256. The embedding of such a chunk ignores its tail, and the next chunk repeats only the
# last OVERLAP_TOKENS of it.
CHUNK_TOKENS = 200  # target chunk length
OVERLAP_TOKENS = 40  # tokens repeated from the end of one chunk at the start of the next
BREAK_WINDOW_TOKENS = 50  # how far before the target length a paragraph or sentence end may win
START_SNAP_TOKENS = 8  # how far a chunk start inside a word may move forward to a word start

SENTENCE_END = ".!?"
CLOSING = "\"')]”’"
WHITESPACE_SCAN = 16  # characters looked at on each side of a break; enough for blank lines

# Break quality, best last.
_MID_WORD, _WORD, _LINE_OR_SENTENCE, _PARAGRAPH = range(4)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Chunk:
    """One window of a text.

    Attributes:
        index: position of the chunk in the text, from 0.
        text: `source[start:end]`.
        start: character offset of the first character in the source text.
        end: character offset just past the last character.
        token_count: cl100k_base tokens in the window, surrounding whitespace included.
    """

    index: int
    text: str
    start: int
    end: int
    token_count: int


def chunk_text(
    text: str, max_tokens: int = CHUNK_TOKENS, overlap_tokens: int = OVERLAP_TOKENS
) -> list[Chunk]:
    """Split `text` into chunks of at most `max_tokens` tokens that overlap by `overlap_tokens`.

    Empty or whitespace-only text gives no chunks. Time and memory grow linearly with the text.

    Raises:
        ValueError: `max_tokens` is below 1, or `overlap_tokens` is negative or not below
            `max_tokens`.
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    if not 0 <= overlap_tokens < max_tokens:
        raise ValueError(
            f"overlap_tokens must be between 0 and max_tokens - 1 ({max_tokens - 1}), "
            f"got {overlap_tokens}"
        )
    body_start = len(text) - len(text.lstrip())
    body_end = len(text.rstrip())
    if body_start >= body_end:
        return []
    splitter = _Splitter(text, body_start, body_end)
    return splitter.split(max_tokens, overlap_tokens)


class _Splitter:
    """Token boundaries of one text and the mapping from their byte offsets to characters."""

    def __init__(self, text: str, body_start: int, body_end: int):
        self.text = text
        body = replace_lone_surrogates(text[body_start:body_end])
        encoding = get_encoding(ENCODING)
        tokens = np.asarray(encoding.encode_ordinary(body), dtype=np.int64)
        token_bytes = _token_byte_lengths(ENCODING)[tokens]
        # boundaries[i] is the byte offset in `body` where token i starts; the last is the end.
        self.boundaries = np.concatenate([[0], np.cumsum(token_bytes)])
        data = np.frombuffer(body.encode("utf-8"), dtype=np.uint8)
        if self.boundaries[-1] != len(data):
            raise RuntimeError("tiktoken's tokens do not add up to the text's UTF-8 bytes")
        # UTF-8 continuation bytes are 10xxxxxx; every other byte starts a character.
        self.continuation = np.flatnonzero((data & 0xC0) == 0x80)
        self.offset = body_start
        self.token_count = len(tokens)

    def split(self, max_tokens: int, overlap_tokens: int) -> list[Chunk]:
        chunks: list[Chunk] = []
        first = 0
        while True:
            last = min(first + max_tokens, self.token_count)
            if last < self.token_count:
                last = self.best_break(first + overlap_tokens + 1, last)
            chunk = self.make_chunk(len(chunks), first, last)
            if chunk is not None:
                chunks.append(chunk)
            if last >= self.token_count:
                return chunks
            first = self.word_start(last - overlap_tokens, last)

    def best_break(self, lowest: int, target: int) -> int:
        """Pick the token boundary in [lowest, target] that ends a chunk best.

        The best quality wins and the later boundary breaks a tie. Quality below a line or
        sentence end counts only when the target itself falls inside a word.
        """
        lowest = max(lowest, target - BREAK_WINDOW_TOKENS)
        candidates = np.arange(lowest, target + 1)
        qualities = self.qualities(candidates)
        best = max(range(len(candidates)), key=lambda i: (qualities[i], i))
        if qualities[best] >= _LINE_OR_SENTENCE or qualities[-1] == _MID_WORD:
            return int(candidates[best])
        return target

    def word_start(self, candidate: int, last: int) -> int:
        """Move a chunk start that falls inside a word forward to the next word boundary.

        The start moves at most START_SNAP_TOKENS tokens, and stays put when no boundary is that
        near.
        """
        boundaries = np.arange(candidate, min(candidate + START_SNAP_TOKENS, last))
        for boundary, quality in zip(boundaries, self.qualities(boundaries), strict=True):
            if quality != _MID_WORD:
                return int(boundary)
        return candidate

    def qualities(self, tokens: np.ndarray) -> list[int]:
        """Rate the boundaries before the given token indexes as places to break."""
        byte_offsets = self.boundaries[tokens]
        floors = self.char_floor(byte_offsets)
        ceilings = self.char_ceil(byte_offsets)
        # A boundary inside a multi-byte character splits that character's word.
        return [
            _MID_WORD if floor != ceiling else _break_quality(self.text, int(floor))
            for floor, ceiling in zip(floors, ceilings, strict=True)
        ]

    def make_chunk(self, index: int, first: int, last: int) -> Chunk | None:
        start = int(self.char_floor(self.boundaries[first]))
        end = int(self.char_ceil(self.boundaries[last]))
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start == end:
            return None
        return Chunk(index, self.text[start:end], start, end, last - first)

    def char_floor(self, byte_offsets: np.ndarray | int) -> np.ndarray:
        """Map byte offsets to character offsets, rounding down inside a multi-byte character."""
        return (
            self.offset
            + byte_offsets
            - np.searchsorted(self.continuation, byte_offsets, side="right")
        )

    def char_ceil(self, byte_offsets: np.ndarray | int) -> np.ndarray:
        """Map byte offsets to character offsets, rounding up inside a multi-byte character."""
        return (
            self.offset
            + byte_offsets
            - np.searchsorted(self.continuation, byte_offsets, side="left")
        )


def _break_quality(text: str, position: int) -> int:
    """Rate a break between `text[position - 1]` and `text[position]`."""
    left = position
    while left > 0 and position - left < WHITESPACE_SCAN and text[left - 1].isspace():
        left -= 1
    right = position
    while right < len(text) and right - position < WHITESPACE_SCAN and text[right].isspace():
        right += 1
    if left == right:
        if _is_word_char(text, position - 1) and _is_word_char(text, position):
            return _MID_WORD
        return _WORD

    gap = text[left:right]
    if gap.count("\n") >= 2:
        return _PARAGRAPH
    if "\n" in gap:
        return _LINE_OR_SENTENCE
    before = text[max(0, left - 3) : left].rstrip(CLOSING)
    if before and before[-1] in SENTENCE_END:
        return _LINE_OR_SENTENCE
    return _WORD


def _is_word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isalnum()


def replace_lone_surrogates(text: str) -> str:
    """Replace unpaired surrogates with U+FFFD, one character for one, so offsets still hold.

    UTF-8 cannot encode an unpaired surrogate, and tiktoken would otherwise replace them in a
    way that can change the character count.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text


@lru_cache(maxsize=4)
def _token_byte_lengths(name: str) -> np.ndarray:
    """Return the UTF-8 byte length of every token id of an encoding; 0 for unused ids."""
    encoding = get_encoding(name)
    lengths = np.zeros(encoding.n_vocab, dtype=np.int64)
    for token in range(encoding.n_vocab):
        try:
            lengths[token] = len(encoding.decode_single_token_bytes(token))
        except KeyError:
            continue
    return lengths
