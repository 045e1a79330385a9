"""Bytes to normalised text: BOM-aware, UTF-8 first, a detected encoding last.

Normalisation (NFC, ``\\n`` line ends) fixes the coordinate system every offset in margin
refers to, so a document re-saved with CRLF or in another encoding keeps its annotations.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF = 8192
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class UndecodableError(ValueError):
    """The bytes are binary or in no encoding we can trust; the message says which."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    detected: bool


def decode(data: bytes) -> Decoded:
    """Decode ``data`` to normalised text, or raise :class:`UndecodableError` with a reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, detected=False)
    utf16 = _bomless_utf16(data[:_SNIFF])
    if utf16:
        return _strict(data, utf16, detected=True)
    if b"\x00" in data[:_SNIFF]:
        raise UndecodableError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _detect(data)
    if _control_ratio(text) > 0.05:
        raise UndecodableError("binary file (mostly control characters)")
    return Decoded(normalise(text), "utf-8", detected=False)


def normalise(text: str) -> str:
    """NFC with ``\\n`` line ends: the one form every offset refers to."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _strict(data: bytes, encoding: str, *, detected: bool) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UndecodableError(f"invalid {encoding} at byte {error.start}") from None
    if detected and _control_ratio(text) > 0.05:
        raise UndecodableError("binary file (contains NUL bytes)")
    return Decoded(normalise(text), encoding, detected)


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM shows as NULs in every other byte of mostly-ASCII text."""
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _detect(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    if best is None or best.encoding is None:
        raise UndecodableError("not valid UTF-8 and no other encoding fits")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise UndecodableError(f"not valid UTF-8 nor {best.encoding}") from None
    if _control_ratio(text) > 0.05:
        raise UndecodableError("binary file (mostly control characters)")
    return Decoded(normalise(text), best.encoding, detected=True)


def _control_ratio(text: str) -> float:
    sample = text[:_SNIFF]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)
