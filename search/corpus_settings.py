"""Per-corpus settings in ``<corpus>/.margin/config.yaml`` (today one: ``encoding``).

``encoding: cp1252`` says how to read files that are not valid UTF-8 (a folder of old Windows
or Latin-1 files), instead of guessing per file. Files with a byte-order mark or valid UTF-8
are still read as such. A bad file or value is reported and ignored, never fatal.
"""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass
from pathlib import Path

from margin.search.paths import corpus_state_dir

log = logging.getLogger("margin.corpus_settings")

FILE = "config.yaml"
_MAX_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class CorpusSettings:
    """What the corpus's config file asks for, and what was wrong with it."""

    encoding: str | None = None
    problems: tuple[str, ...] = ()


def load(root: Path) -> CorpusSettings:
    """The settings of the corpus at ``root`` (defaults when there is no config file)."""
    path = corpus_state_dir(root) / FILE
    try:
        with open(path, "rb") as file:
            data = file.read(_MAX_BYTES + 1)
    except FileNotFoundError:
        return CorpusSettings()
    except OSError as error:
        return _problem(path, f"cannot read: {error.strerror or error}")
    if len(data) > _MAX_BYTES:
        return _problem(path, f"larger than {_MAX_BYTES:,} bytes; ignored")
    from margin.search import safe_yaml  # only when there is a file: YAML is slow to import

    try:
        values = safe_yaml.load(data.decode("utf-8"), max_depth=4, max_scalar=1024)
    except (UnicodeDecodeError, safe_yaml.UnsafeYaml) as error:
        return _problem(path, str(error))
    if values is None:
        return CorpusSettings()
    if not isinstance(values, dict):
        return _problem(path, "must be a mapping of setting: value")
    return _encoding(path, values.get("encoding"))


def _encoding(path: Path, value: object) -> CorpusSettings:
    if value is None:
        return CorpusSettings()
    if not isinstance(value, str):
        return _problem(path, "encoding must be a name such as cp1252 or latin-1")
    try:
        name = codecs.lookup(value).name
    except LookupError:
        return _problem(path, f"unknown encoding {value!r}")
    return CorpusSettings(encoding=name)


def _problem(path: Path, reason: str) -> CorpusSettings:
    message = f"{path}: {reason}"
    log.warning(message)
    return CorpusSettings(problems=(message,))
