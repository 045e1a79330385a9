"""Where margin keeps its files: corpus-local state, and per-user cache, config and data.

The index is a rebuildable cache in the user cache folder, private to the user, because Whoosh
index files contain pickles and must never be loaded from a corpus or shared folder. Each folder
can be redirected with an environment variable so tests and scripts stay isolated.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs
from margin.search.private_dirs import check as check_private

APP = "margin"
STATE_DIR = ".margin"


def _dir(env: str, default: str) -> Path:
    value = os.environ.get(env)
    path = Path(value) if value else Path(default)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def cache_dir() -> Path:
    """The user cache folder (indexes, entity caches). Override with ``MARGIN_CACHE_DIR``.

    Raises:
        UnsafeFolderError: Another user could write to it (see :mod:`.private_dirs`).
    """
    path = _dir("MARGIN_CACHE_DIR", platformdirs.user_cache_dir(APP))
    check_private(path, cache_root=path)
    return path


def config_dir() -> Path:
    """The user config folder (settings, keymap, themes). Override with ``MARGIN_CONFIG_DIR``."""
    return _dir("MARGIN_CONFIG_DIR", platformdirs.user_config_dir(APP))


def data_dir() -> Path:
    """The user data folder (reading positions, history, fallback annotations).

    Override with ``MARGIN_DATA_DIR``.
    """
    return _dir("MARGIN_DATA_DIR", platformdirs.user_data_dir(APP))


def state_dir() -> Path:
    """The user state folder (the log file). Override with ``MARGIN_STATE_DIR``."""
    return _dir("MARGIN_STATE_DIR", platformdirs.user_state_dir(APP))


def log_file() -> Path:
    """margin's log: one file every margin process appends to, tracebacks included."""
    return state_dir() / "margin.log"


def corpus_key(root: Path) -> str:
    """A stable, filesystem-safe key for a corpus: its folder name plus a hash of its real path."""
    real = str(Path(root).resolve())
    digest = hashlib.sha256(real.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(real).name)[:40]
    return f"{name or 'root'}-{digest}"


def index_dir(root: Path) -> Path:
    """The private index folder of one corpus (mode 0700), checked before and after creation:
    a folder someone else made or opened up is refused, never quietly ``chmod``-ed."""
    cache = cache_dir()
    path = cache / "indexes" / corpus_key(root)
    check_private(path, cache_root=cache)
    for folder in (cache / "indexes", path):
        folder.mkdir(exist_ok=True, mode=0o700)
    check_private(path, cache_root=cache)
    return path


def corpus_state_dir(root: Path) -> Path:
    """``<corpus>/.margin``: state that belongs with the corpus (annotations, aliases)."""
    return Path(root) / STATE_DIR


def annotation_dirs(root: Path) -> tuple[Path, Path]:
    """Where a corpus's annotations live: ``<corpus>/.margin/annotations``, and the user data
    folder that takes them when the corpus cannot be written."""
    primary = corpus_state_dir(root) / "annotations"
    return primary, data_dir() / "annotations" / corpus_key(root)
