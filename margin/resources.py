"""Files that ship with margin: the sample corpus and the built-in themes.

In a wheel they live inside the ``margin`` package (``margin/seeds``, ``margin/themes``); in a
source checkout they are the top-level ``seeds/`` and ``themes/`` folders. Both layouts work.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"margin's bundled '{name}' folder is missing from this install")


def seeds_dir() -> Path:
    """The bundled sample corpus that plain ``margin`` opens."""
    return _find("seeds")


def themes_dir() -> Path:
    """The built-in theme files (users add theirs to the config folder)."""
    return _find("themes")
