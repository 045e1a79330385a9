"""Plain text: decoded (BOM-aware, UTF-8 first, a detected encoding last) and normalised."""

from __future__ import annotations

from pathlib import Path

from margin.search.decode import Decoded, UndecodableError, decode
from margin.search.formats.base import Extracted, FormatError


def decoded(data: bytes, preferred: str | None = None) -> tuple[Decoded, tuple[str, ...]]:
    """Decode a text format's bytes, with the notes a guessed or repaired encoding deserves."""
    try:
        result = decode(data, preferred=preferred)
    except UndecodableError as error:
        raise FormatError(str(error)) from None
    if result.notes:
        return result, result.notes
    notes = (f"decoded as {result.encoding} (detected)",) if result.detected else ()
    return result, notes


class PlainText:
    name = "text"
    suffixes = (".txt", ".text")
    heavy = False

    def extract(self, data: bytes, path: Path, encoding: str | None = None) -> Extracted:
        result, notes = decoded(data, encoding)
        return Extracted(result.text, notes=notes, encoding=result.encoding)
