"""Alias merging across documents: the cases the issue names, and what must never merge."""

from __future__ import annotations

import time

from margin.search.entities import EntityConfig, resolve
from margin.search.models import Mention


def mentions(*items: tuple[str, str] | tuple[str, str, str]) -> list[Mention]:
    """Mentions laid end to end: (kind, text) or (kind, text, canonical hint)."""
    out, pos = [], 0
    for item in items:
        kind, text = item[0], item[1]
        hint = item[2] if len(item) == 3 else ""
        out.append(Mention(pos, pos + len(text), kind, text, hint))
        pos += len(text) + 1
    return out


def canonical(res, doc: str) -> list[str]:
    return [m.canonical for m in res.mentions(doc)]


def test_transliterations_and_surnames_become_one_person() -> None:
    res = resolve(
        {
            "a": mentions(("PERSON", "Sergei Shoigu"), ("PERSON", "Shoigu")),
            "b": mentions(("PERSON", "Shoygu"), ("PERSON", "Sergey Shoygu")),
            "c": mentions(("PERSON", "Sergei Shoigu")),
        }
    )
    names = {m.canonical for d in "abc" for m in res.mentions(d)}
    assert names == {"Sergei Shoigu"}
    entity = next(e for e in res.entities if e.name == "Sergei Shoigu")
    assert entity.count == 5
    assert entity.docs == ("a", "b", "c")
    assert set(entity.aliases) == {"Shoigu", "Shoygu", "Sergey Shoygu"}


def test_surname_resolves_to_the_full_name() -> None:
    res = resolve(
        {
            "a": mentions(("PERSON", "Sergey Lavrov"), ("PERSON", "Sergei Lavrov")),
            "b": mentions(("PERSON", "Lavrov")),
            "c": mentions(("PERSON", "Sergey Lavrov"), ("PERSON", "Assad")),
            "d": mentions(("PERSON", "Bashar al-Assad"), ("PERSON", "al-Assad")),
        }
    )
    assert canonical(res, "b") == ["Sergey Lavrov"]
    assert canonical(res, "a") == ["Sergey Lavrov", "Sergey Lavrov"]
    assert canonical(res, "c") == ["Sergey Lavrov", "Bashar al-Assad"]
    assert canonical(res, "d") == ["Bashar al-Assad", "Bashar al-Assad"]


def test_middle_names_and_partial_names_go_to_the_longest_form() -> None:
    res = resolve(
        {
            "a": mentions(("PERSON", "Mohammad Javad Zarif"), ("PERSON", "Zarif")),
            "b": mentions(("PERSON", "Javad Zarif")),
        }
    )
    assert canonical(res, "a") == ["Mohammad Javad Zarif"] * 2
    assert canonical(res, "b") == ["Mohammad Javad Zarif"]


def test_ivanov_and_ivanova_never_merge() -> None:
    res = resolve(
        {
            "a": mentions(("PERSON", "Sergei Ivanov"), ("PERSON", "Ivanov")),
            "b": mentions(("PERSON", "Anna Ivanova"), ("PERSON", "Ivanova")),
        }
    )
    assert canonical(res, "a") == ["Sergei Ivanov", "Sergei Ivanov"]
    assert canonical(res, "b") == ["Anna Ivanova", "Anna Ivanova"]


def test_a_shared_surname_is_resolved_only_where_one_bearer_appears() -> None:
    res = resolve(
        {
            "a": mentions(("PERSON", "Sergei Ivanov"), ("PERSON", "Ivanov")),
            "b": mentions(("PERSON", "Igor Ivanov"), ("PERSON", "Ivanov")),
            "c": mentions(("PERSON", "Ivanov")),
        }
    )
    assert canonical(res, "a") == ["Sergei Ivanov", "Sergei Ivanov"]
    assert canonical(res, "b") == ["Igor Ivanov", "Igor Ivanov"]
    assert canonical(res, "c") == ["Ivanov"]


def test_defined_acronym_maps_to_its_expansion_everywhere() -> None:
    long = "Joint Comprehensive Plan of Action"
    res = resolve(
        {
            "a": mentions(("MISC", long), ("MISC", "JCPOA", long)),
            "b": mentions(("ORG", "JCPOA")),
        }
    )
    assert canonical(res, "a") == [long, long]
    assert canonical(res, "b") == [long]
    assert [e.name for e in res.entities] == [long]
    assert res.entities[0].kind == "MISC"


def test_united_states_variants() -> None:
    res = resolve(
        {
            "a": mentions(("PLACE", "U.S."), ("PLACE", "US")),
            "b": mentions(("PLACE", "United States"), ("MISC", "U.S.")),
        }
    )
    assert canonical(res, "a") == ["United States", "United States"]
    assert canonical(res, "b") == ["United States", "United States"]
    assert [(e.name, e.kind, e.count) for e in res.entities] == [("United States", "PLACE", 4)]


def test_user_aliases_kinds_and_hide_win() -> None:
    config = EntityConfig(
        aliases={"Sergey Kuzhugetovich Shoigu": ["Shoigu"]},
        kinds={"Kremlin": "ORG"},
        hide=["Comment"],
    )
    res = resolve(
        {
            "a": mentions(("PERSON", "Sergei Shoigu"), ("PERSON", "Shoigu"), ("PLACE", "Kremlin")),
            "b": mentions(("PERSON", "Comment"), ("PLACE", "Moscow")),
        },
        config,
    )
    a = res.mentions("a")
    # The user's full name also absorbs the corpus's shorter "Sergei Shoigu".
    assert [m.canonical for m in a] == ["Sergey Kuzhugetovich Shoigu"] * 2 + ["Kremlin"]
    assert a[2].kind == "ORG"
    assert [m.text for m in res.mentions("b")] == ["Moscow"]
    assert "Comment" not in {e.name for e in res.entities}


def test_a_new_document_is_resolved_against_the_corpus() -> None:
    res = resolve({"a": mentions(("PERSON", "Sergey Lavrov"))})
    fresh = res.apply(mentions(("PERSON", "Lavrov"), ("PERSON", "Unknown Person")))
    assert [m.canonical for m in fresh] == ["Sergey Lavrov", "Unknown Person"]


def test_one_surface_gets_one_kind_by_majority() -> None:
    res = resolve(
        {
            "a": mentions(("PLACE", "Tehran"), ("PLACE", "Tehran")),
            "b": mentions(("ORG", "Tehran")),
        }
    )
    assert [(e.name, e.kind, e.count) for e in res.entities] == [("Tehran", "PLACE", 3)]


def test_json_shape() -> None:
    res = resolve({"a": mentions(("PERSON", "Sergey Lavrov"), ("PERSON", "Lavrov"))})
    assert res.to_json() == [
        {"name": "Sergey Lavrov", "kind": "PERSON", "count": 2, "docs": 1, "aliases": ["Lavrov"]}
    ]


def test_twenty_thousand_documents_merge_in_seconds() -> None:
    docs = {}
    for i in range(20_000):
        docs[f"d{i}"] = (
            mentions(
                ("PERSON", f"Person{i % 3000} Surname{i % 2000}"),
                ("PERSON", f"Surname{i % 2000}"),
                ("PLACE", f"Place{i % 500}"),
                ("ORG", f"Org{i % 700}"),
                ("PLACE", "Tehran"),
                ("PERSON", "Lavrov"),
                ("DATE", "2015"),
            )
            * 4
        )
    began = time.perf_counter()
    res = resolve(docs)
    took = time.perf_counter() - began
    assert len(res.entities) > 3000
    print(f"resolved in {took:.2f} s")  # timings belong in tests/bench.py


def test_acronyms_are_not_spelling_variants_of_each_other() -> None:
    """The transliteration folds (doubled letters, y/i, ou/u) must not join initials."""
    res = resolve(
        {
            "a": mentions(("ORG", "PC"), ("ORG", "PPC"), ("ORG", "CNN"), ("ORG", "CN")),
            "b": mentions(("ORG", "HD"), ("ORG", "HDD"), ("ORG", "PC"), ("ORG", "CNN")),
            "c": mentions(("PERSON", "Sergei Shoigu"), ("PERSON", "Sergey Shoygu")),
        }
    )
    assert canonical(res, "a") == ["PC", "PPC", "CNN", "CN"]
    assert canonical(res, "b") == ["HD", "HDD", "PC", "CNN"]
    assert len(set(canonical(res, "c"))) == 1  # words still fold


def test_a_word_in_capitals_is_still_its_own_spelling() -> None:
    """A word shouted in capitals and written plainly share letters: one name ("HELL")."""
    res = resolve(
        {"a": mentions(("PLACE", "Hell"), ("PLACE", "HELL")), "b": mentions(("PLACE", "Hell"))}
    )
    assert canonical(res, "a") == ["Hell", "Hell"]
