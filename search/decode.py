"""Bytes to normalised text: BOM-aware, UTF-8 first, a detected encoding last.

Normalisation (NFC, ``\\n`` line ends) fixes the coordinate system every offset in margin
refers to, so a document re-saved with CRLF or in another encoding keeps its annotations.

Detection is where text gets mangled, so it is the last resort and biased to what is common:
a UTF-8 file with a few bad bytes stays UTF-8 (the bad bytes become U+FFFD, and a note says how
many) rather than being read whole in some code page where every "£" turns into "┬Ż"; and
8-bit text that reads as Western European in cp1252 is read so unless the detector is sure of
something else (on short text it often picks cp1250 or cp1257, turning "naïve" into "naďve").
A corpus may name its legacy encoding (see :mod:`margin.search.corpus_settings`).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from margin.search.western import prefer_cp1252

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
    """Normalised text, the encoding it was read in, and what a user may want to know."""

    text: str
    encoding: str
    detected: bool
    notes: tuple[str, ...] = ()


def decode(data: bytes, preferred: str | None = None) -> Decoded:
    """Decode ``data`` to normalised text, or raise :class:`UndecodableError` with a reason.

    ``preferred`` (a corpus setting) replaces detection for bytes that are not UTF-8.
    """
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
        return _not_utf8(data, preferred)
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
    notes = (f"decoded as {encoding} (detected)",) if detected else ()
    return Decoded(normalise(text), encoding, detected, notes)


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


def _not_utf8(data: bytes, preferred: str | None) -> Decoded:
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    if preferred:
        text = data.decode(preferred, errors="replace")
        note = f"decoded as {preferred} (corpus setting)"
        return _checked(Decoded(normalise(text), preferred, False, (note,)))
    return _detect(data)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes: real UTF-8 sequences outnumber the bad bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    multibyte = len(_MULTIBYTE.findall(text))
    if not multibyte or bad > max(3, multibyte):
        return None
    note = f"{bad} byte(s) not valid UTF-8 were replaced by \ufffd"
    return _checked(Decoded(normalise(text), "utf-8", False, (note,)))


_MULTIBYTE = re.compile("[^\x00-\x7f\ufffd]")


def _detect(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    matches = from_bytes(data[: 1 << 20])
    best = matches.best()
    if prefer_cp1252(data, matches):
        encoding = "cp1252"
    elif best is None or best.encoding is None:
        raise UndecodableError("not valid UTF-8 and no other encoding fits")
    else:
        encoding = best.encoding
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise UndecodableError(f"not valid UTF-8 nor {encoding}") from None
    note = f"decoded as {encoding} (detected)"
    return _checked(Decoded(normalise(text), encoding, True, (note,)))


def _checked(decoded: Decoded) -> Decoded:
    if _control_ratio(decoded.text) > 0.05:
        raise UndecodableError("binary file (mostly control characters)")
    return decoded


def _control_ratio(text: str) -> float:
    sample = text[:_SNIFF]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)
