"""margin: a keyboard-driven terminal reader for a corpus of documents (CLI entry point)."""

from __future__ import annotations

from search import __version__

__all__ = ["__version__"]
