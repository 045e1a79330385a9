"""Bounded reading of zip containers (DOCX, EPUB): a zip bomb is refused before it inflates.

Every member is checked against its stated size and compression ratio before it is read, and
then read with a hard cap, since the stated size can lie.
"""

from __future__ import annotations

import io
import zipfile

from margin.search.formats.base import FormatError

MAX_MEMBER = 64 * 1024 * 1024
MAX_TOTAL = 256 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_RATIO = 200
"""Text compresses 5-20 times; a member inflating 200 times or more is a bomb."""
_RATIO_FLOOR = 1024 * 1024
"""Small members may have any ratio (an empty style sheet compresses absurdly well)."""


class SafeZip:
    """A zip archive whose members are read only within the caps."""

    def __init__(self, data: bytes, kind: str) -> None:
        self.kind = kind
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
            raise FormatError(f"damaged {kind} (not a readable zip: {error})") from None
        if len(infos) > MAX_MEMBERS:
            raise FormatError(f"{kind} has {len(infos):,} parts: too many to be genuine")
        if sum(info.file_size for info in infos) > MAX_TOTAL:
            raise FormatError(f"{kind} inflates past {MAX_TOTAL >> 20} MB: refused (zip bomb?)")
        self._infos = {info.filename: info for info in infos}

    def names(self) -> list[str]:
        return list(self._infos)

    def read(self, name: str) -> bytes:
        """The member's bytes; :class:`FormatError` when missing, encrypted, or too big."""
        info = self._infos.get(name)
        if info is None:
            raise FormatError(f"damaged {self.kind} (no {name})")
        if info.flag_bits & 0x1:
            raise FormatError(f"encrypted {self.kind}: needs a password")
        if info.file_size > MAX_MEMBER or (
            info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size
        ):
            raise FormatError(f"{self.kind} part {name} inflates too far: refused (zip bomb?)")
        try:
            with self._zip.open(info) as member:
                data = member.read(MAX_MEMBER + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise FormatError(f"damaged {self.kind} ({name}: {error})") from None
        except Exception as error:  # zlib.error and friends from a truncated stream
            raise FormatError(f"damaged {self.kind} ({name}: {error})") from None
        if len(data) > MAX_MEMBER:
            raise FormatError(f"{self.kind} part {name} inflates too far: refused (zip bomb?)")
        return data
