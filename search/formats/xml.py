"""XML parsing that no document can turn against us: no DTD, no entities, no network."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from margin.search.formats.base import FormatError


def _parser_options() -> dict[str, Any]:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def parse(data: bytes, what: str) -> Any:
    """The root element of ``data``; :class:`FormatError` naming ``what`` when it is bad."""
    from lxml import etree  # type: ignore[import-untyped]

    _refuse_entities(data, what)
    try:
        return etree.fromstring(data, etree.XMLParser(**_parser_options()))
    except etree.XMLSyntaxError as error:
        raise FormatError(f"damaged {what} ({error})") from None


def iter_ends(data: bytes, tag: str, what: str) -> Iterator[Any]:
    """Each ``tag`` element once it is complete, freed after the caller is done with it, so a
    large document body never sits in memory as a whole tree."""
    from lxml import etree

    _refuse_entities(data, what)
    events = etree.iterparse(io.BytesIO(data), events=("end",), tag=tag, **_parser_options())
    try:
        for _, element in events:
            yield element
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise FormatError(f"damaged {what} ({error})") from None


def _refuse_entities(data: bytes, what: str) -> None:
    if b"<!ENTITY" in data[:65536]:
        raise FormatError(f"{what} declares XML entities: refused")
