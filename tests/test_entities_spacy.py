"""The optional spaCy extractor, with a blank pipeline and an EntityRuler (no model download)."""

from __future__ import annotations

import pytest
from margin.search.entities import Extractor

spacy = pytest.importorskip("spacy")


def test_spacy_adapter_maps_labels_and_offsets() -> None:
    from margin.search.entities.spacy_adapter import SpacyExtractor

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Sergey Lavrov"},
            {"label": "GPE", "pattern": "Tehran"},
            {"label": "NORP", "pattern": "Iranian"},
            {"label": "CARDINAL", "pattern": "two"},
        ]
    )
    extractor = SpacyExtractor(nlp)
    assert isinstance(extractor, Extractor)
    text = "Sergey Lavrov met two Iranian officials in Tehran."
    got = [(m.kind, m.text, text[m.start : m.end]) for m in extractor.extract(text)]
    assert got == [
        ("PERSON", "Sergey Lavrov", "Sergey Lavrov"),
        ("MISC", "Iranian", "Iranian"),
        ("PLACE", "Tehran", "Tehran"),
    ]
