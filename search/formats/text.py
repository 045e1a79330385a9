"""Plain text: decoded (BOM-aware, UTF-8 first, a detected encoding last) and normalised."""

from __future__ import annotations

from pathlib import Path

from margin.search.decode import Decoded, UndecodableError, decode
from margin.search.formats.base import Extracted, FormatError


def decoded(data: bytes) -> tuple[Decoded, tuple[str, ...]]:
    """Decode a text format's bytes, with the note a guessed encoding deserves."""
    try:
        result = decode(data)
    except UndecodableError as error:
        raise FormatError(str(error)) from None
    notes = (f"decoded as {result.encoding} (detected)",) if result.detected else ()
    return result, notes


class PlainText:
    name = "text"
    suffixes = (".txt", ".text")
    heavy = False

    def extract(self, data: bytes, path: Path) -> Extracted:
        result, notes = decoded(data)
        return Extracted(result.text, notes=notes, encoding=result.encoding)
