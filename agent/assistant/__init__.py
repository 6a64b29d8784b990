"""The assistant: tools over insights, retrieval and drafting, with or without a model."""
