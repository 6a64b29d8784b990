"""Sentence embeddings with all-MiniLM-L6-v2 on onnxruntime, offline and without torch.

The steps follow the model's sentence-transformers configuration: word pieces truncated at 256
including [CLS] and [SEP], mean pooling over the attention mask, then L2 normalisation.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from agent.config import Settings
from agent.errors import ConfigError
from agent.retrieval.onnx_export import MODEL_NAME, ensure_model, model_dir

DIMENSION = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model, special tokens included
BATCH_SIZE = 32
THREADS_ENV = "CSM_EMBED_THREADS"

_embedders: dict[Path, Embedder] = {}
_embedders_lock = threading.Lock()


class Embedder:
    """An all-MiniLM-L6-v2 encoder on onnxruntime that returns unit-length float32 vectors."""

    model_name = MODEL_NAME
    dimension = DIMENSION

    def __init__(self, folder: Path, threads: int | None = None, batch_size: int = BATCH_SIZE):
        """Load `model.onnx` and `tokenizer.json` from `folder`.

        Args:
            folder: a folder built by `onnx_export.ensure_model`.
            threads: onnxruntime's intra-op thread count; None lets onnxruntime choose.
            batch_size: passages per onnxruntime call.
        """
        import onnxruntime
        from tokenizers import Tokenizer

        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.batch_size = batch_size

        # The shipped tokenizer.json pads and truncates to a fixed 128 word pieces. Padding is
        # done per batch in `_embed_batch` instead, to the batch's longest input.
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only
        options.inter_op_num_threads = 1
        if threads is not None:
            options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages.

        Returns:
            A float32 array of shape (len(texts), DIMENSION), one unit-length row per text in
            the input order.
        """
        texts = list(texts)
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result

        encodings = self.tokenizer.encode_batch(texts)
        # Sorting by length puts inputs of similar length in one batch, so little is padded.
        order = np.argsort([len(encoding.ids) for encoding in encodings], kind="stable")
        for begin in range(0, len(order), self.batch_size):
            rows = order[begin : begin + self.batch_size]
            result[rows] = self._embed_batch([encodings[row].ids for row in rows])
        return result

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one query; returns a float32 vector of shape (DIMENSION,)."""
        return self.embed_documents([text])[0]

    def _embed_batch(self, token_ids: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in token_ids)
        input_ids = np.zeros((len(token_ids), width), dtype=np.int64)  # 0 is [PAD]
        attention_mask = np.zeros_like(input_ids)
        for row, ids in enumerate(token_ids):
            input_ids[row, : len(ids)] = ids
            attention_mask[row, : len(ids)] = 1

        (hidden,) = self.session.run(
            ["last_hidden_state"],
            {
                "input_ids": input_ids,
                "attention_mask": attention_mask,
                "token_type_ids": np.zeros_like(input_ids),
            },
        )
        return mean_pool_normalize(hidden, attention_mask)


def mean_pool_normalize(hidden: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
    """Average token vectors over the attention mask, then scale each row to unit length."""
    mask = attention_mask[:, :, np.newaxis].astype(np.float32)
    summed = (hidden * mask).sum(axis=1)
    pooled = summed / np.clip(mask.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def embed_threads() -> int | None:
    """Read onnxruntime's thread count from CSM_EMBED_THREADS; None when unset or empty.

    Raises:
        ConfigError: the value is not a positive whole number.
    """
    raw = os.environ.get(THREADS_ENV, "").strip()
    if not raw:
        return None
    try:
        threads = int(raw)
    except ValueError:
        threads = 0
    if threads < 1:
        raise ConfigError(
            f"{THREADS_ENV} must be a positive whole number of threads, got {raw!r}. "
            f"Unset it to let onnxruntime choose."
        )
    return threads


def get_embedder(settings: Settings) -> Embedder:
    """Return this process's Embedder for the model under `settings.cache_dir`.

    The first call builds the model if needed (a few seconds) and loads it. CSM_EMBED_THREADS
    is read at that first call only.
    """
    folder = model_dir(settings)
    with _embedders_lock:
        embedder = _embedders.get(folder)
        if embedder is None:
            embedder = Embedder(ensure_model(settings), threads=embed_threads())
            _embedders[folder] = embedder
        return embedder


class LangChainEmbeddings(Embeddings):
    """LangChain `Embeddings` over an Embedder, returning lists of floats."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()
