"""Tests for the ONNX build of all-MiniLM-L6-v2 and the Embedder, against the real weights."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from agent.config import Settings
from agent.errors import ConfigError, CsmError
from agent.offline import prepare_all
from agent.retrieval import onnx_export
from agent.retrieval.embeddings import (
    DIMENSION,
    MAX_TOKENS,
    Embedder,
    LangChainEmbeddings,
    embed_threads,
    get_embedder,
)

CHROMA_FILES = {
    "config.json",
    "model.onnx",
    "special_tokens_map.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "vocab.txt",
}


@pytest.fixture
def embedder(settings: Settings) -> Embedder:
    return get_embedder(settings)


def reference_embedding(text: str) -> np.ndarray:
    """Run BERT and sentence-transformers pooling in float64 numpy, from the source files."""
    source = onnx_export.source_dir()
    weights = {
        name: array.astype(np.float64)
        for name, array in load_file(str(source / "model.safetensors")).items()
    }
    config = json.loads((source / "config.json").read_text())
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.no_padding()
    ids = tokenizer.encode(text).ids
    heads = config["num_attention_heads"]
    head_size = config["hidden_size"] // heads
    epsilon = config["layer_norm_eps"]

    def layer_norm(x: np.ndarray, prefix: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        normalized = (x - mean) / np.sqrt(variance + epsilon)
        return normalized * weights[f"{prefix}.weight"] + weights[f"{prefix}.bias"]

    def linear(x: np.ndarray, prefix: str) -> np.ndarray:
        return x @ weights[f"{prefix}.weight"].T + weights[f"{prefix}.bias"]

    def split_heads(x: np.ndarray) -> np.ndarray:
        return x.reshape(len(ids), heads, head_size).transpose(1, 0, 2)

    erf = np.vectorize(math.erf)
    x = (
        weights["embeddings.word_embeddings.weight"][ids]
        + weights["embeddings.position_embeddings.weight"][: len(ids)]
        + weights["embeddings.token_type_embeddings.weight"][0]
    )
    x = layer_norm(x, "embeddings.LayerNorm")
    for layer in range(config["num_hidden_layers"]):
        prefix = f"encoder.layer.{layer}"
        query = split_heads(linear(x, f"{prefix}.attention.self.query"))
        key = split_heads(linear(x, f"{prefix}.attention.self.key"))
        value = split_heads(linear(x, f"{prefix}.attention.self.value"))
        scores = query @ key.transpose(0, 2, 1) / math.sqrt(head_size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probabilities = scores / scores.sum(axis=-1, keepdims=True)
        context = (probabilities @ value).transpose(1, 0, 2).reshape(len(ids), -1)
        x = layer_norm(
            linear(context, f"{prefix}.attention.output.dense") + x,
            f"{prefix}.attention.output.LayerNorm",
        )
        inner = linear(x, f"{prefix}.intermediate.dense")
        inner = 0.5 * inner * (1.0 + erf(inner / math.sqrt(2.0)))
        x = layer_norm(linear(inner, f"{prefix}.output.dense") + x, f"{prefix}.output.LayerNorm")
    pooled = x.mean(axis=0)
    return pooled / np.linalg.norm(pooled)


def test_onnx_matches_numpy_reference(embedder: Embedder) -> None:
    text = "Acme's renewal is at risk: they opened three billing tickets this month."

    expected = reference_embedding(text)
    actual = embedder.embed_query(text)

    assert np.max(np.abs(actual - expected)) < 1e-5


def test_model_folder_has_chroma_files(settings: Settings) -> None:
    folder = onnx_export.ensure_model(settings)

    names = {path.name for path in folder.iterdir()}

    assert names >= CHROMA_FILES
    assert onnx_export.is_current_build(folder)


def test_build_leaves_no_temporary_folders(settings: Settings) -> None:
    folder = onnx_export.ensure_model(settings)

    leftovers = [path.name for path in folder.parent.iterdir() if path.name.startswith(".")]

    assert leftovers == []


def test_outdated_build_is_replaced(tmp_path: Path, settings: Settings) -> None:
    own = Settings(tmp_path / "home", tmp_path / "cache", "none", None, None)
    stale = onnx_export.model_dir(own)
    stale.mkdir(parents=True)
    (stale / "model.onnx").write_bytes(b"not a model")
    (stale / onnx_export.BUILD_MARKER).write_text('{"build_version": 0}')

    folder = onnx_export.ensure_model(own)

    assert folder == stale
    assert onnx_export.is_current_build(folder)
    assert (folder / "model.onnx").stat().st_size > 80_000_000
    assert sorted(path.name for path in folder.parent.iterdir()) == [folder.name]


def test_verify_source_rejects_changed_file(tmp_path: Path) -> None:
    source = onnx_export.source_dir()
    copy = tmp_path / "model"
    copy.mkdir()
    for name in onnx_export.SOURCE_SHA256:
        (copy / name).symlink_to(source / name)
    (copy / "vocab.txt").unlink()
    shutil.copyfile(source / "vocab.txt", copy / "vocab.txt")
    with (copy / "vocab.txt").open("a") as stream:
        stream.write("extra\n")

    with pytest.raises(CsmError, match="vocab.txt has sha256"):
        onnx_export.verify_source(copy)


def test_verify_source_rejects_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CsmError, match="is missing"):
        onnx_export.verify_source(tmp_path)


def test_semantic_ranking(embedder: Embedder) -> None:
    query = embedder.embed_query("How do I cancel my subscription?")
    passages = embedder.embed_documents(
        ["Steps to end your plan and stop billing", "Export your model as a GLB file"]
    )

    related, unrelated = passages @ query

    assert related > unrelated + 0.3


def test_outputs_unit_norm_float32(embedder: Embedder) -> None:
    vectors = embedder.embed_documents(["one", "two words", ""])

    assert vectors.dtype == np.float32
    assert vectors.shape == (3, DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_batch_equals_single_results(embedder: Embedder) -> None:
    texts = [
        "Short.",
        "A somewhat longer sentence about quarterly business reviews and adoption.",
        "Medium length text about churn risk.",
        " ".join(["renewal"] * 120),
    ]

    batch = embedder.embed_documents(texts)
    single = np.stack([embedder.embed_query(text) for text in texts])

    assert np.max(np.abs(batch - single)) < 1e-5


def test_batches_smaller_than_input(settings: Settings) -> None:
    small_batches = Embedder(onnx_export.ensure_model(settings), threads=1, batch_size=2)
    texts = [f"Ticket {number}: login fails after the update" for number in range(5)]

    vectors = small_batches.embed_documents(texts)

    assert np.max(np.abs(vectors - get_embedder(settings).embed_documents(texts))) < 1e-5


def test_truncates_at_max_tokens(embedder: Embedder) -> None:
    prefix = " ".join(["onboarding"] * (MAX_TOKENS + 50))

    first = embedder.embed_query(prefix + " the customer is happy")
    second = embedder.embed_query(prefix + " export failed with an error")

    assert np.array_equal(first, second)


def test_empty_input_gives_empty_array(embedder: Embedder) -> None:
    vectors = embedder.embed_documents([])

    assert vectors.shape == (0, DIMENSION)


def test_get_embedder_is_cached(settings: Settings) -> None:
    assert get_embedder(settings) is get_embedder(settings)


def test_embed_threads_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSM_EMBED_THREADS", "3")
    assert embed_threads() == 3
    monkeypatch.setenv("CSM_EMBED_THREADS", "")
    assert embed_threads() is None


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_embed_threads_rejects_invalid(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CSM_EMBED_THREADS", value)

    with pytest.raises(ConfigError, match="CSM_EMBED_THREADS"):
        embed_threads()


def test_langchain_adapter(embedder: Embedder) -> None:
    adapter = LangChainEmbeddings(embedder)

    documents = adapter.embed_documents(["health score dropped"])
    query = adapter.embed_query("health score dropped")

    assert isinstance(adapter, Embeddings)
    assert isinstance(documents[0][0], float)
    assert len(query) == DIMENSION
    assert np.allclose(documents[0], query, atol=1e-6)


def test_prepare_all_returns_filled_folders(settings: Settings) -> None:
    paths = prepare_all(settings)

    assert (paths.embedding_model_dir / "model.onnx").is_file()
    assert len(list(paths.tiktoken_dir.iterdir())) == 2
