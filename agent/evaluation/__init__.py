"""Evaluations that score the assistant against the sets under `evals/`."""
