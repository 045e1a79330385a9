"""Per-format text extraction behind one interface (:class:`~.base.Format`).

Each format is one module; adding one is a module with a class like those below and one line
in :data:`FORMATS`. Parsers are imported when a file of their kind is first read, so
``margin --help`` pays for none of them.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from margin.search.formats.base import Extracted, Format, FormatError
from margin.search.formats.docx import Docx
from margin.search.formats.epub import Epub
from margin.search.formats.html import WebPage
from margin.search.formats.markdown import Markdown
from margin.search.formats.pdf import Pdf
from margin.search.formats.text import PlainText

__all__ = ["FORMATS", "SUPPORTED", "Extracted", "Format", "FormatError", "extract", "format_of"]

log = logging.getLogger("margin.search.formats")

FORMATS: tuple[Format, ...] = (PlainText(), Markdown(), WebPage(), Pdf(), Docx(), Epub())
SUPPORTED: dict[str, Format] = {suffix: f for f in FORMATS for suffix in f.suffixes}
"""Suffix (lower case, with the dot) → the format that reads it."""


def format_of(path: Path | str) -> Format:
    """The format for ``path`` by its suffix; unknown suffixes read as plain text."""
    return SUPPORTED.get(Path(path).suffix.lower(), FORMATS[0])


def extract(path: Path, data: bytes, encoding: str | None = None) -> Extracted:
    """The text and metadata of ``data``, the bytes of ``path`` (``encoding``: the corpus's
    setting for text that is not UTF-8).

    Raises:
        FormatError: the file cannot be read as its format; the message says why. Any other
            failure inside a parser (they are big C libraries fed untrusted bytes) is turned
            into one too and logged, so a single odd file never stops a corpus.
    """
    kind = format_of(path)
    try:
        found = kind.extract(data, path, encoding)
    except FormatError:
        raise
    except MemoryError:
        raise FormatError(f"too big to read as {kind.name}") from None
    except Exception as error:
        log.exception("%s extractor failed on %s", kind.name, path)
        raise FormatError(f"{kind.name} extractor failed: {type(error).__name__}") from None
    return dataclasses.replace(found, format=kind.name)
