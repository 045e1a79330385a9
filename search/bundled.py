"""Files that ship with margin: the sample corpus and the built-in themes.

In a wheel they live inside the ``margin`` package (``margin/seeds``, ``margin/themes``) and
this module is ``margin/search/bundled.py``; in a source checkout they are the top-level
``seeds/`` and ``themes/`` folders and this module is ``search/bundled.py``. Either way the
folders sit beside this module's parent, so one lookup serves both layouts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from margin.search import paths

_HOME = Path(__file__).resolve().parent.parent


def _find(name: str) -> Path:
    folder = _HOME / name
    if folder.is_dir():
        return folder
    raise FileNotFoundError(f"margin's bundled '{name}' folder is missing from this install")


def seeds_dir() -> Path:
    """The bundled sample corpus that plain ``margin`` opens."""
    return _find("seeds")


def themes_dir() -> Path:
    """The built-in theme files (users add theirs to the config folder)."""
    return _find("themes")


def sample_corpus() -> Path:
    """The sample corpus plain ``margin`` opens: a copy of the bundled seeds in the user data
    folder, so tags and notes on it live with the user's data (not inside an installed
    package, where an upgrade would drop them or a system install could not write them).

    Files the user changed or deleted there are left alone; ones a new version adds are
    copied. When the data folder cannot be written, the bundled folder itself is opened
    (annotations then go to the user data fallback, as for any read-only corpus).
    """
    bundled = seeds_dir()
    sample = paths.data_dir() / "sample"
    marker = sample / ".margin-sample"
    try:
        sample.mkdir(parents=True, exist_ok=True)
        known = set(marker.read_text(encoding="utf-8").split("\n")) if marker.exists() else set()
        for source in sorted(bundled.iterdir()):
            if source.is_file() and source.name not in known:
                if not (sample / source.name).exists():
                    shutil.copy2(source, sample / source.name)
                known.add(source.name)
        marker.write_text("\n".join(sorted(known)), encoding="utf-8")
    except OSError:
        return bundled
    return sample
