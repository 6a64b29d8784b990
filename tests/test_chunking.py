"""Tests for token chunking and for the offline tiktoken files it relies on."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from agent.config import Settings
from agent.errors import ConfigError
from agent.offline import TIKTOKEN_FILES, get_encoding, prepare_tiktoken
from agent.retrieval.chunking import (
    BREAK_WINDOW_TOKENS,
    CHUNK_TOKENS,
    OVERLAP_TOKENS,
    Chunk,
    chunk_text,
)

WORDS = [
    "renewal",
    "churn",
    "onboarding",
    "adoption",
    "invoice",
    "seats",
    "dashboard",
    "export",
    "login",
    "sync",
    "integration",
    "Zürich",
    "naïve",
    "café",
    "東京",
    "😀",
    "escalation",
]


def make_sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(5, 14))]
    return " ".join(words).capitalize() + rng.choice([".", "!", "?"])


def make_paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(make_sentence(rng) for _ in range(sentences))


def assert_offsets_round_trip(text: str, chunks: list[Chunk]) -> None:
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text


def test_encoding_loads_from_installed_files(settings: Settings) -> None:
    encoding = get_encoding("cl100k_base", settings)

    assert encoding.decode(encoding.encode("hello world")) == "hello world"
    assert os.environ["TIKTOKEN_CACHE_DIR"] == str(settings.cache_dir / "tiktoken")


def test_tiktoken_files_named_by_url_sha1(settings: Settings) -> None:
    folder = prepare_tiktoken(settings)

    names = {path.name for path in folder.iterdir()}

    assert names == {
        "9b5ad71b2ce5302211f9c61530b329a4922fc6a4",
        "fb374d419588a4632f3f557e76b4b70aebbca790",
    }
    assert TIKTOKEN_FILES["cl100k_base"].cache_name in names


def test_o200k_encoding_offline(settings: Settings) -> None:
    encoding = get_encoding("o200k_base", settings)

    assert encoding.name == "o200k_base"
    assert len(encoding.encode("How many tokens is this?")) > 0


def test_user_tiktoken_cache_dir_kept(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path / "mine"))

    prepare_tiktoken(settings, ("cl100k_base",))

    assert os.environ["TIKTOKEN_CACHE_DIR"] == str(tmp_path / "mine")


def test_unknown_encoding_rejected(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="p50k_base"):
        get_encoding("p50k_base", settings)


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \n"])
def test_blank_text_gives_no_chunks(text: str) -> None:
    assert chunk_text(text) == []


def test_short_text_is_one_chunk() -> None:
    text = "  Acme asked about SSO.\n"

    chunks = chunk_text(text)

    assert len(chunks) == 1
    assert chunks[0].text == "Acme asked about SSO."
    assert (chunks[0].start, chunks[0].end) == (2, 23)
    assert chunks[0].index == 0


def test_offsets_round_trip_with_unicode() -> None:
    rng = random.Random(7)
    text = "\n\n  " + "\n\n".join(make_paragraph(rng, 6) for _ in range(25)) + "  \n"

    chunks = chunk_text(text)

    assert len(chunks) > 5
    assert_offsets_round_trip(text, chunks)
    assert [chunk.index for chunk in chunks] == list(range(len(chunks)))


def test_chunks_stay_under_token_limit() -> None:
    rng = random.Random(3)
    text = "\n\n".join(make_paragraph(rng, 8) for _ in range(20))
    encoding = get_encoding()

    chunks = chunk_text(text)

    for chunk in chunks:
        assert chunk.token_count <= CHUNK_TOKENS
        assert len(encoding.encode(chunk.text)) <= CHUNK_TOKENS


def test_chunks_overlap_and_cover_text() -> None:
    rng = random.Random(11)
    text = " ".join(make_sentence(rng) for _ in range(200))

    chunks = chunk_text(text)

    covered = [False] * len(text)
    for chunk in chunks:
        covered[chunk.start : chunk.end] = [True] * (chunk.end - chunk.start)
    for previous, following in zip(chunks, chunks[1:], strict=False):
        assert following.start < previous.end
        assert following.start > previous.start
    assert all(covered[i] for i, char in enumerate(text) if not char.isspace())


def test_overlap_is_near_setting() -> None:
    rng = random.Random(5)
    text = " ".join(make_sentence(rng) for _ in range(200))
    encoding = get_encoding()

    chunks = chunk_text(text)

    for previous, following in zip(chunks, chunks[1:], strict=False):
        shared = text[following.start : previous.end]
        assert OVERLAP_TOKENS - 10 <= len(encoding.encode(shared)) <= OVERLAP_TOKENS + 2


def test_breaks_at_paragraph_end() -> None:
    rng = random.Random(2)
    # Paragraphs shorter than BREAK_WINDOW_TOKENS put a paragraph end near every target.
    paragraphs = [make_paragraph(rng, 2) for _ in range(40)]
    text = "\n\n".join(paragraphs)
    encoding = get_encoding()

    chunks = chunk_text(text)

    assert max(len(encoding.encode(paragraph)) for paragraph in paragraphs) < BREAK_WINDOW_TOKENS
    paragraph_ends = {len(text)}
    position = 0
    for paragraph in paragraphs:
        position = text.index(paragraph, position) + len(paragraph)
        paragraph_ends.add(position)
    assert len(chunks) > 3
    for chunk in chunks:
        assert chunk.end in paragraph_ends


def test_breaks_at_sentence_end() -> None:
    rng = random.Random(9)
    text = " ".join(make_sentence(rng) for _ in range(120))

    chunks = chunk_text(text)

    assert len(chunks) > 3
    for chunk in chunks:
        assert chunk.text[-1] in ".!?"


def test_text_without_spaces_is_cut_by_tokens() -> None:
    text = "x" * 20_000

    chunks = chunk_text(text)

    assert len(chunks) > 1
    assert_offsets_round_trip(text, chunks)
    assert chunks[-1].end == len(text)


def test_lone_surrogate_keeps_offsets() -> None:
    text = "Before \ud800 after. " * 300

    chunks = chunk_text(text)

    assert_offsets_round_trip(text, chunks)


def test_custom_sizes() -> None:
    text = " ".join(["word"] * 500)

    chunks = chunk_text(text, max_tokens=50, overlap_tokens=0)

    assert all(chunk.token_count <= 50 for chunk in chunks)
    assert sum(chunk.token_count for chunk in chunks) == len(get_encoding().encode(text))


@pytest.mark.parametrize(("max_tokens", "overlap_tokens"), [(0, 0), (10, 10), (10, -1)])
def test_invalid_sizes_rejected(max_tokens: int, overlap_tokens: int) -> None:
    with pytest.raises(ValueError):
        chunk_text("some text", max_tokens=max_tokens, overlap_tokens=overlap_tokens)


def test_long_text_is_fast() -> None:
    rng = random.Random(1)
    paragraph = make_paragraph(rng, 30)
    text = "\n\n".join([paragraph] * 400)  # about 1.3 million characters
    chunk_text("warm up the encoding")

    started = time.perf_counter()
    chunks = chunk_text(text)
    elapsed = time.perf_counter() - started

    assert len(chunks) > 1000
    assert chunks[-1].end == len(text)
    # Generous bound for a shared 2-core machine; measured about 0.5 s.
    assert elapsed < 10
