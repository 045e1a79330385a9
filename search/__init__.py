"""margin's headless engine: corpus, index, query, entities and annotations.

Nothing in this package imports Textual or Rich: the TUI and the CLI are thin faces over it,
and a test proves the boundary holds.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
