"""Drafts built from an account's facts: check-in emails now, QBR/EBR decks later."""
