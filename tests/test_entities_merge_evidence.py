"""Corpus-wide merging by evidence: a dominant full name takes a shared surname, a close race
keeps it apart, spelling variants join, and a one-word "person" never named in full is not one."""

from __future__ import annotations

from margin.search.entities import resolve
from margin.search.models import Mention


def doc(*names: tuple[str, str]) -> list[Mention]:
    out, pos = [], 0
    for kind, text in names:
        out.append(Mention(pos, pos + len(text), kind, text))
        pos += len(text) + 10
    return out


def people(res: object) -> dict[str, int]:
    return {e.name: len(e.docs) for e in res.entities if e.kind == "PERSON"}  # type: ignore[attr-defined]


def test_a_dominant_full_name_takes_the_surname_across_the_corpus() -> None:
    corpus = {f"blair{i}": doc(("PERSON", "Tony Blair"), ("PERSON", "Blair")) for i in range(8)}
    corpus["cherie"] = doc(("PERSON", "Cherie Blair"))
    corpus["alone1"] = doc(("PERSON", "Blair"))
    corpus["alone2"] = doc(("PERSON", "Blair"), ("PLACE", "London"))
    res = resolve(corpus)
    found = people(res)
    assert "Blair" not in found
    assert found["Tony Blair"] == 10
    assert found["Cherie Blair"] == 1
    # A document that names only Cherie Blair decides for itself.
    corpus["cherie"] = doc(("PERSON", "Cherie Blair"), ("PERSON", "Blair"))
    mentions = resolve(corpus).mentions("cherie")
    assert [m.canonical for m in mentions] == ["Cherie Blair", "Cherie Blair"]


def test_a_close_race_between_full_names_keeps_the_surname_apart() -> None:
    corpus = {
        "a": doc(("PERSON", "Gordon Brown")),
        "b": doc(("PERSON", "James Brown")),
        "c": doc(("PERSON", "Brown")),
    }
    found = people(resolve(corpus))
    assert found.get("Brown") == 1
    assert found["Gordon Brown"] == 1 and found["James Brown"] == 1


def test_transliterations_join_one_person() -> None:
    corpus = {
        "a": doc(("PERSON", "Sergei Shoigu")),
        "b": doc(("PERSON", "Sergey Shoygu")),
        "c": doc(("PERSON", "Shoygu")),
    }
    found = people(resolve(corpus))
    assert len(found) == 1, found
    assert next(iter(found.values())) == 3


def test_a_one_word_person_the_corpus_never_names_in_full_is_not_a_person() -> None:
    corpus = {
        f"d{i}": doc(("PERSON", "Yukos"), ("PERSON", "Mikhail Khodorkovsky")) for i in range(4)
    }
    corpus["e"] = doc(("ORG", "Yukos"))
    res = resolve(corpus)
    kinds = {e.name: e.kind for e in res.entities}
    assert kinds["Yukos"] == "ORG"
    assert kinds["Mikhail Khodorkovsky"] == "PERSON"


def test_a_surname_in_few_documents_stays_a_person() -> None:
    corpus = {"a": doc(("PERSON", "Khamenei")), "b": doc(("PERSON", "Khamenei"))}
    kinds = {e.name: e.kind for e in resolve(corpus).entities}
    assert kinds["Khamenei"] == "PERSON"


def test_acronyms_the_corpus_writes_in_the_plural_are_common_nouns() -> None:
    corpus = {f"d{i}": doc(("ORG", "PC"), ("ORG", "PCs"), ("ORG", "IBM")) for i in range(4)}
    corpus["e"] = doc(("ORG", "IBMs"))
    names = {e.name for e in resolve(corpus).entities}
    assert "PC" not in names and "PCs" not in names
    assert "IBM" in names  # one plural against four singulars is not a noun's habit


def kinds_of(corpus: dict[str, list[Mention]]) -> dict[str, str]:
    return {e.name: e.kind for e in resolve(corpus).entities}


def test_an_acronym_no_place_list_knows_in_capitals_is_not_a_place() -> None:
    # The tagger learned from wire headlines in capitals, where most such words are places.
    corpus = {f"d{i}": doc(("PLACE", "QZMA"), ("PLACE", "NJ")) for i in range(4)}
    corpus["e"] = doc(("PLACE", "JAPAN"), ("PLACE", "Japan"), ("PLACE", "Japan"))
    kinds = kinds_of(corpus)
    assert kinds["QZMA"] == "ORG"
    assert kinds["NJ"] == "PLACE"  # the place lists write it so
    assert kinds["Japan"] == "PLACE"  # "JAPAN" in a headline is the word, not an acronym


def test_a_refused_person_becomes_a_place_only_if_a_place_list_knows_it() -> None:
    corpus = {
        f"d{i}": doc(("PERSON", "Zorbax"), ("PERSON", "Paris"), ("PERSON", "Anna Smith"))
        for i in range(4)
    }
    corpus.update({f"p{i}": doc(("PLACE", "Zorbax"), ("PLACE", "Paris")) for i in range(3)})
    kinds = kinds_of(corpus)
    assert kinds["Zorbax"] == "ORG"  # a company the tagger also called a place
    assert kinds["Paris"] == "PLACE"


def test_a_defined_acronym_takes_the_kind_of_what_it_abbreviates() -> None:
    corpus = {
        "def": [
            Mention(0, 13, "MISC", "Old Testament"),
            Mention(15, 17, "ORG", "OT", "Old Testament"),
        ]
    }
    corpus.update({f"d{i}": doc(("ORG", "OT"), ("MISC", "Old Testament")) for i in range(3)})
    found = {(e.name, e.kind): len(e.docs) for e in resolve(corpus).entities}
    assert found == {("Old Testament", "MISC"): 4}
