"""The default extractor on real text: seeds, page furniture, numbers, invariants, load time."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from margin.search.entities import KINDS, Extractor, default_extractor, resolve
from margin.search.models import Mention

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return default_extractor()


@pytest.fixture(scope="module")
def seed_mentions(extractor: Extractor) -> dict[str, list[Mention]]:
    return {p.name: extractor.extract(p.read_text(encoding="utf-8")) for p in SEEDS}


def test_default_extractor_meets_the_protocol(extractor: Extractor) -> None:
    assert isinstance(extractor, Extractor)
    assert extractor.name


def test_mentions_are_sorted_disjoint_and_point_at_their_text(
    seed_mentions: dict[str, list[Mention]],
) -> None:
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        mentions = seed_mentions[path.name]
        assert mentions, path.name
        for a, b in itertools.pairwise(mentions):
            assert a.end <= b.start
        for m in mentions:
            assert text[m.start : m.end] == m.text
            assert m.kind in KINDS


def test_the_people_places_and_organisations_a_reader_would_list(
    seed_mentions: dict[str, list[Mention]],
) -> None:
    names = {(e.kind, e.name) for e in resolve(seed_mentions).entities}
    expected = {
        ("PERSON", "Sergey Lavrov"),
        ("PERSON", "Mohammad Javad Zarif"),
        ("PERSON", "Hassan Rouhani"),
        ("PERSON", "Bashar al-Assad"),
        ("PERSON", "Vladimir Putin"),
        ("PERSON", "Sergei Shoigu"),
        ("PERSON", "Masoud Pezeshkian"),
        ("PERSON", "Dmitry Peskov"),
        ("PLACE", "Tehran"),
        ("PLACE", "Moscow"),
        ("PLACE", "Syria"),
        ("PLACE", "United States"),
        ("PLACE", "Tajikistan"),
        ("ORG", "Taliban"),
        ("ORG", "Yandex"),
        ("ORG", "RIA Novosti"),
        ("ORG", "Atomic Energy Organization of Iran"),
        ("ORG", "Hamas"),
        ("MISC", "Joint Comprehensive Plan of Action"),
        ("MISC", "S-300"),
    }
    assert expected <= names, sorted(expected - names)


JUNK = (
    "Comment",
    "Comments",
    "Follow",
    "Follow us",
    "Check Also",
    "However",
    "Editor",
    "Editor’s Note",
    "Leave a Reply",
    "Reply",
    "Therefore",
    "Furthermore",
    "Meanwhile",
)


def test_furniture_and_sentence_initial_words_are_not_entities(extractor: Extractor) -> None:
    text = (
        "Editor’s Note: This piece first ran in Moscow.\n\n"
        "However, Russia and Iran signed the deal. Meanwhile the talks went on.\n"
        "Therefore nothing changed. Furthermore, Lavrov said so.\n\n"
        "Follow us on Twitter: @SteppeDispatch\n"
        "Check Also\n"
        "Comment\n"
        "Leave a Reply\n"
    )
    found = {m.text for m in extractor.extract(text)}
    assert not found & set(JUNK), found & set(JUNK)
    assert {"Moscow", "Russia", "Iran", "Lavrov"} <= found


def test_seeds_show_no_junk(seed_mentions: dict[str, list[Mention]]) -> None:
    texts = {m.text for ms in seed_mentions.values() for m in ms}
    assert not texts & set(JUNK)


def test_numbers_dates_and_money_are_their_own_kinds(extractor: Extractor) -> None:
    text = "Russia sold S-300 missiles for $800 million in April 2015, a 12% rise since 2010."
    kinds = {m.text: m.kind for m in extractor.extract(text)}
    assert kinds["$800 million"] == "MONEY"
    assert kinds["April 2015"] == "DATE"
    assert kinds["2010"] == "DATE"
    assert kinds["12%"] == "QUANTITY"
    assert kinds["S-300"] == "MISC"
    assert kinds["Russia"] == "PLACE"


def test_a_defined_acronym_carries_its_expansion(extractor: Extractor) -> None:
    text = "Iran signed the Joint Comprehensive Plan of Action (JCPOA) in Vienna."
    mentions = {m.text: m for m in extractor.extract(text)}
    assert mentions["JCPOA"].canonical == "Joint Comprehensive Plan of Action"
    assert "Joint Comprehensive Plan of Action" in mentions


def test_titles_are_not_part_of_a_name(extractor: Extractor) -> None:
    text = "Iranian Foreign Minister Mohammad Javad Zarif met President Vladimir Putin."
    people = [m.text for m in extractor.extract(text) if m.kind == "PERSON"]
    assert people == ["Mohammad Javad Zarif", "Vladimir Putin"]


def test_empty_and_lower_case_text(extractor: Extractor) -> None:
    assert extractor.extract("") == []
    assert [m for m in extractor.extract("nothing here but words.") if m.kind != "DATE"] == []


def test_the_default_extractor_loads_without_network_or_training_libraries() -> None:
    # Load time is reported by tests/eval_entities.py, not asserted here (no wall clocks).
    code = (
        "import sys\nfrom margin.search.entities import default_extractor\n"
        "default_extractor().extract('Sergei Shoigu met Hossein Dehqan in Tehran.')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('pycrfsuite', 'urllib3', 'requests', 'http')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_entities_never_import_ui_libraries() -> None:
    code = (
        "import sys\nfrom search.entities import default_extractor, resolve\n"
        "default_extractor().extract('Lavrov went to Tehran.')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'spacy')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_an_acronym_in_running_text_matches_only_names_listed_in_capitals() -> None:
    from margin.search.entities.features import Featurizer
    from margin.search.entities.tokens import find_runs

    gazetteers = {"LOC": frozenset({"ama", "uk"})}
    features = Featurizer(gazetteers, frozenset(), frozenset(), acronyms=frozenset({"uk"}))
    assert "g1=LOC" in features.word("Ama")  # the town
    assert "g1=LOC" not in features.word("AMA")  # an acronym in running text
    assert "g1=LOC" in features.word("UK")  # a place the lists write in capitals
    assert "g1=LOC" in features.word("AMA", shouted=True)  # a headline's word
    text = "Doctors at the AMA agree.\nAMA CALLS FOR BAN ON SMOKING\n"
    runs = [r for r in find_runs(text) if r.tokens[0][2] == "AMA"]
    assert [r.shouted for r in runs] == [False, True]
    items = [features.run(r)[0] for r in runs]
    assert ["g1=LOC" in words for _, words, _ in items] == [False, True]
    assert items[0][0] != items[1][0]  # the tagger caches the two apart


def test_a_state_in_a_postal_address_is_a_place(extractor: Extractor) -> None:
    text = (
        "Write to 5000 Forbes Avenue, Pittsburgh, PA 15213-3890 or call.\n"
        "The PA reported it from Bethlehem, PA (not Leeds, UK).\n"
    )
    kinds = {(text[m.start : m.end], m.start): m.kind for m in extractor.extract(text)}
    assert kinds[("PA", text.index("PA 15213"))] == "PLACE"
    assert kinds[("PA", text.index("PA ("))] == "PLACE"
    assert kinds[("UK", text.index("UK"))] == "PLACE"
    assert kinds.get(("PA", text.index("PA reported"))) != "PLACE"  # the tagger's call
