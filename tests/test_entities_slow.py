"""Opt-in checks of the tagger on the real corpora (``MARGIN_SLOW=1 pytest -m slow``):
CoNLL-2003 ``eng.testa`` scores and the BBC News top names, read in place from ../shared
(or from ``MARGIN_CORPORA``)."""

from __future__ import annotations

import os
import sys
import tarfile
from pathlib import Path

import pytest
from margin.search.entities import default_extractor, resolve

SHARED = Path(
    os.environ.get("MARGIN_CORPORA") or Path(__file__).resolve().parents[2] / "shared" / "corpora"
)
TESTA = SHARED / "conll2003" / "eng.testa"
BBC = SHARED / "bbc.tar.gz"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("MARGIN_SLOW"), reason="set MARGIN_SLOW=1"),
]


@pytest.mark.skipif(not TESTA.is_file(), reason=f"no {TESTA}")
def test_conll_testa_scores() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from eval_entities import evaluate

    report = evaluate(TESTA)
    assert report["PER/ORG/LOC"]["f1"] >= 88
    assert min(report[k]["f1"] for k in ("PERSON", "ORG", "PLACE", "MISC")) >= 82


@pytest.mark.skipif(not BBC.is_file(), reason=f"no {BBC}")
def test_bbc_top_people_are_people_merged_under_full_names() -> None:
    extractor = default_extractor()
    mentions = {}
    with tarfile.open(BBC) as archive:
        for member in archive:
            fh = archive.extractfile(member) if member.name.endswith(".txt") else None
            if fh is not None:
                mentions[member.name] = extractor.extract(fh.read().decode("utf-8", "replace"))
    entities = resolve(mentions).entities
    people = [e for e in entities if e.kind == "PERSON"][:50]
    names = {e.name for e in people}
    assert {"Tony Blair", "Gordon Brown", "Michael Howard", "Charles Kennedy"} <= names
    assert not names & {"Blair", "Brown", "Tory", "Sony", "We're", "Chelsea", "Yukos"}
    assert not any(" and " in n or n.startswith(("Former", "Tory", "Mr")) for n in names)
    blair = next(e for e in people if e.name == "Tony Blair")
    assert "Blair" in blair.aliases
