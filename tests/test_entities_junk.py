"""Junk rejected by evidence: span shapes that name nobody, and corpus-wide usage."""

from __future__ import annotations

from collections import Counter

import pytest
from margin.search.entities import DefaultExtractor, default_extractor, resolve
from margin.search.entities.evidence import headline_only, member_forms
from margin.search.models import Mention


@pytest.fixture(scope="module")
def extractor() -> DefaultExtractor:
    return default_extractor()


def names(extractor: DefaultExtractor, text: str) -> list[str]:
    return [m.text for m in extractor.extract(text) if m.kind in ("PERSON", "ORG", "PLACE")]


def doc(*names: tuple[str, str], gap: int = 10) -> list[Mention]:
    out, pos = [], 0
    for kind, text in names:
        out.append(Mention(pos, pos + len(text), kind, text))
        pos += len(text) + gap
    return out


def test_spans_that_name_nobody_are_dropped(extractor: DefaultExtractor) -> None:
    found = names(extractor, "He moved to Acme Systems, Inc. and read Article II of the text.")
    assert "Inc." not in found and "II" not in found
    shouted = names(extractor, "We heard that ATF BURNS DIVIDIAN RANCH today.")
    assert not any("BURNS" in n for n in shouted)


def test_person_names_carry_no_digits(extractor: DefaultExtractor) -> None:
    found = names(extractor, "Yesterday Gordon Banks N3JXP wrote to the board again.")
    assert "Gordon Banks" in found
    assert not any("N3JXP" in n for n in found)


def test_a_given_name_joins_a_full_name_only_where_they_meet() -> None:
    corpus = {f"sig{i}": doc(("PERSON", "Mike"), ("PLACE", "Boston")) for i in range(20)}
    corpus["nick"] = doc(("PERSON", "Iron Mike"), ("PERSON", "Mike"))
    for i, full in enumerate(("Mike Smith", "Mike Jones", "Mike Brown")):
        corpus[f"full{i}"] = doc(("PERSON", full))
    res = resolve(corpus)
    people = {e.name: len(e.docs) for e in res.entities if e.kind == "PERSON"}
    assert people["Mike"] == 20
    assert people["Iron Mike"] == 1
    assert [m.canonical for m in res.mentions("nick")] == ["Iron Mike", "Iron Mike"]


def test_a_surname_still_joins_its_full_name_across_the_corpus() -> None:
    corpus = {f"fan{i}": doc(("PERSON", "Gretzky")) for i in range(20)}
    corpus["full"] = doc(("PERSON", "Wayne Gretzky"))
    res = resolve(corpus)
    people = {e.name: len(e.docs) for e in res.entities if e.kind == "PERSON"}
    assert people == {"Wayne Gretzky": 21}


def test_a_lone_given_name_stays_a_person() -> None:
    corpus = {f"d{i}": doc(("PERSON", "Jim")) for i in range(6)}
    corpus["full"] = doc(("PERSON", "Jim Perry"))
    kinds = {e.name: e.kind for e in resolve(corpus).entities}
    assert kinds["Jim"] == "PERSON"


def test_a_party_adjective_joins_the_party() -> None:
    counts = Counter({("ORG", "Conservative"): 20, ("ORG", "Conservatives"): 90, ("ORG", "PC"): 50})
    counts[("ORG", "PCs")] = 60
    kinds = {"conservative": "ORG", "conservatives": "ORG", "pc": "ORG", "pcs": "ORG"}
    assert member_forms(counts, kinds) == {"conservative": "Conservatives"}
    corpus = {f"d{i}": doc(("ORG", "Conservatives")) for i in range(5)}
    corpus["adj"] = doc(("ORG", "Conservative"))
    orgs = {e.name: len(e.docs) for e in resolve(corpus).entities if e.kind == "ORG"}
    assert orgs == {"Conservatives": 6}


def test_names_only_in_repeated_subject_lines_are_hidden() -> None:
    def post(i: int) -> list[Mention]:
        return [
            Mention(0, 27, "ORG", "Study Out On Gay Percentage"),
            Mention(100 + i, 106 + i, "PLACE", "Boston"),
            Mention(400, 405, "PERSON", "Clinton"[:5]),
        ]

    corpus = {f"p{i}": post(i) for i in range(6)}
    assert headline_only(corpus) == {"study out on gay percentage"}
    names = {e.name for e in resolve(corpus).entities}
    assert "Study Out On Gay Percentage" not in names and "Boston" in names


def test_abbreviations_of_common_nouns_name_nothing(extractor: DefaultExtractor) -> None:
    """Things: "the CPU", "4 MB of RAM", "two CDs", a defined "(FAQ)". Names stay:
    organisations in capitals, a defined organisation, a longer name holding an abbreviation."""
    found = names(
        extractor,
        "My PC has 4 MB of RAM and a fast CPU, and I bought two CDs. IMO the BIOS is broken.\n"
        "The Frequently Asked Questions (FAQ) list is posted monthly.\n"
        "Agents of the Federal Bureau of Investigation (FBI) met NATO officials.\n"
        "He watches Sky TV with Ram Singh.",
    )
    for thing in ("PC", "MB of RAM", "RAM", "CPU", "CDs", "IMO", "BIOS", "FAQ"):
        assert thing not in found
    assert "Frequently Asked Questions" not in found
    for name in ("Federal Bureau of Investigation", "FBI", "NATO", "Sky TV", "Ram Singh"):
        assert name in found


def test_the_abbreviation_list_is_matched_in_capitals_only() -> None:
    from margin.search.entities.abbreviations import is_common_abbreviation

    assert is_common_abbreviation("CPU") and is_common_abbreviation("CPUs")
    assert is_common_abbreviation("T.V.") and is_common_abbreviation("CD-ROM")
    assert not is_common_abbreviation("Ram") and not is_common_abbreviation("Isa")
    assert not is_common_abbreviation("FBI") and not is_common_abbreviation("NASA")


def test_release_numbers_are_not_names(extractor: DefaultExtractor) -> None:
    found = names(extractor, "I run X11R5 on a 486DX2 at work, and so does everyone at NATO.")
    assert "X11R5" not in found and "486DX2" not in found
    assert "NATO" in found


def test_an_organisation_at_a_line_start_keeps_its_first_word(
    extractor: DefaultExtractor,
) -> None:
    """The sentence-start trim must not leave a lone head noun ("University")."""
    found = names(extractor, "Thanks for reading.\n    Cornell University\n    Ithaca, New York\n")
    assert "University" not in found
    assert "Cornell University" in found


def test_a_shouted_short_word_is_not_a_code(extractor: DefaultExtractor) -> None:
    found = names(extractor, "You may pay by cheque OR by card, and IT works IN the UK.")
    assert not {"OR", "IT", "IN"} & set(found)
    assert "UK" in found
