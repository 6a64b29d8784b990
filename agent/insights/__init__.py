"""Deterministic insight over the book: health, sentiment, ranking. No model is involved."""
