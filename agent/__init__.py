"""csm: an assistant for Customer Success Managers."""

__version__ = "0.1.0"
