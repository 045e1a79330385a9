"""margin: a keyboard-driven terminal reader for a corpus of documents.

One import package. An installed wheel holds the engine and the app inside it
(``margin.search``, ``margin.tui``); a source checkout keeps them in the top-level ``search/``
and ``tui/`` folders the repository's layout asks for, so here the package's search path
also names the checkout's root, the way :func:`pkgutil.extend_path` lets a package span
folders. Only the checkout's own ``search`` and ``tui`` folders are ever found that way: the
root is added only when it holds margin's ``pyproject.toml`` beside this folder.
"""

from __future__ import annotations

from pathlib import Path


def _checkout_root() -> Path | None:
    root = Path(__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    inside = Path(__file__).resolve().parent / "search"
    if inside.is_dir() or not (root / "search" / "__init__.py").is_file():
        return None
    try:
        head = pyproject.read_text(encoding="utf-8")[:4000]
    except OSError:
        return None
    return root if 'name = "margin"' in head else None


_root = _checkout_root()
if _root is not None and str(_root) not in __path__:
    __path__.append(str(_root))

from margin.search import __version__  # noqa: E402  (needs the search path above)

__all__ = ["__version__"]
