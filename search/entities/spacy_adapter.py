"""An optional extractor backed by a spaCy pipeline the user installed (``margin[spacy]``).

spaCy is imported only when this extractor is built, so the app starts just as fast without it.
Labels are mapped onto margin's kinds; labels with no counterpart are dropped.
"""

from __future__ import annotations

from typing import Any

from margin.search.models import Mention

LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "NORP": "MISC",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
    "PRODUCT": "MISC",
    "EVENT": "MISC",
    "LAW": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
    "MISC": "MISC",
    "DATE": "DATE",
    "TIME": "DATE",
    "MONEY": "MONEY",
    "PERCENT": "QUANTITY",
    "QUANTITY": "QUANTITY",
}


class SpacyExtractor:
    """Mentions from a spaCy ``Language`` (``doc.ents``), in margin's kinds.

    Args:
        nlp: A loaded pipeline; build one with :func:`spacy_extractor` from a model name.
    """

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.name = f"spacy:{nlp.meta.get('name', 'pipeline')}"

    def extract(self, text: str) -> list[Mention]:
        """Entities spaCy finds, with offsets into ``text``."""
        doc = self.nlp(text)
        out = []
        for ent in doc.ents:
            kind = LABELS.get(ent.label_)
            if kind and ent.text.strip():
                out.append(Mention(ent.start_char, ent.end_char, kind, ent.text))
        return out


def spacy_available() -> bool:
    """Whether spaCy can be imported (a model may still be missing)."""
    import importlib.util

    return importlib.util.find_spec("spacy") is not None


def spacy_extractor(model: str = "en_core_web_sm") -> SpacyExtractor:
    """Load an installed spaCy model by name; raises ``OSError`` when it is not installed."""
    import spacy

    return SpacyExtractor(spacy.load(model, disable=["lemmatizer", "textcat"]))
