"""Clean names: coordinations split, descriptors stripped, furniture and sign-offs dropped,
multi-word names kept whole, and one document agreeing with itself (shipped model, no corpus)."""

from __future__ import annotations

import pytest
from margin.search.entities import DefaultExtractor, default_extractor


@pytest.fixture(scope="module")
def extractor() -> DefaultExtractor:
    return default_extractor()


def names(extractor: DefaultExtractor, text: str, kind: str | None = None) -> list[str]:
    kinds = ("PERSON", "ORG", "PLACE", "MISC") if kind is None else (kind,)
    return [m.text for m in extractor.extract(text) if m.kind in kinds]


def test_coordinated_people_are_two_names_without_their_descriptors(
    extractor: DefaultExtractor,
) -> None:
    text = "The debate between Michael Howard and Liberal Democrat Charles Kennedy was tense."
    assert names(extractor, text, "PERSON") == ["Michael Howard", "Charles Kennedy"]


def test_party_and_title_descriptors_are_stripped(extractor: DefaultExtractor) -> None:
    text = "Defence spokesman Tory Liam Fox met Mr Gordon Brown in London on Monday."
    people = names(extractor, text, "PERSON")
    assert "Liam Fox" in people
    assert "Gordon Brown" in people
    assert not any(p.startswith(("Tory", "Mr")) for p in people)


def test_sentence_initial_common_words_are_not_names(extractor: DefaultExtractor) -> None:
    text = "Prices rose.\nFormer minister Alan Milburn spoke. Strong sales helped Sony."
    found = names(extractor, text)
    assert not any(n.startswith(("Former", "Strong", "Prices")) for n in found)
    assert "Alan Milburn" in found


def test_contractions_are_never_names(extractor: DefaultExtractor) -> None:
    text = "\"We're not finished,\" said Kennedy. I'm sure, he added in Glasgow."
    found = names(extractor, text)
    assert "We're" not in found and "I'm" not in found
    assert "Glasgow" in found


def test_multi_word_names_stay_whole(extractor: DefaultExtractor) -> None:
    text = (
        "Fighting near Deir ez-Zor continued as tankers crossed the Persian Gulf, and the "
        "Iranian Revolutionary Guard Corps warned Eastern Europe before the UN Security "
        "Council Resolution 2231 vote."
    )
    found = names(extractor, text)
    for name in ("Deir ez-Zor", "Persian Gulf", "Iranian Revolutionary Guard Corps"):
        assert name in found, found
    assert "Eastern Europe" in found
    assert "UN Security Council" in found
    assert "Zor" not in found and "Gulf" not in found


def test_a_surname_is_the_person_named_in_full_in_the_same_document(
    extractor: DefaultExtractor,
) -> None:
    text = "Tony Blair spoke in Leeds on Friday.\nBlair said the plan would work."
    people = [(m.text, m.kind) for m in extractor.extract(text) if m.text == "Blair"]
    assert people == [("Blair", "PERSON")]


def test_wire_sign_off_on_the_last_line_is_dropped(extractor: DefaultExtractor) -> None:
    text = "Cocoa showers continued in Bahia, said Comissaria Smith in Salvador.\n Reuter\n&#3;"
    found = names(extractor, text)
    assert "Reuter" not in found
    assert "Bahia" in found


def test_page_furniture_by_its_shape(extractor: DefaultExtractor) -> None:
    text = (
        "Iran News ...\n\nLavrov met Zarif in Tehran on Monday to talk.\n\n"
        "comments powered by Disqus\n"
        "Home | Archive | About | Bookstore | Persian Calendar\n"
        "© Copyright 2015 NetNative (All Rights Reserved)\n"
    )
    found = names(extractor, text)
    for junk in ("Iran News", "Disqus", "Bookstore", "Persian Calendar", "NetNative"):
        assert junk not in found, found
    assert "Tehran" in found


def test_title_case_headline_words_are_not_names(extractor: DefaultExtractor) -> None:
    text = "Incentives and Impediments to Military Cooperation\n\nRussia sold jets to Iran."
    found = names(extractor, text)
    assert "Impediments" not in found and "Incentives" not in found
    assert "Russia" in found and "Iran" in found


def test_furniture_read_only_on_the_lines_of_the_candidates_drops_the_same_names() -> None:
    from margin.search.entities.furniture import furniture_ranges

    text = (
        "Home | About | Contact | Bookstore\n"
        "John Smith met Mary in Paris.\n"
        "Follow us on Twitter\n"
        "Tags: Iran, Russia, Syria\n"
        "See http://Example.com/Page and write to Bob@Example.org\n"
        "Copyright 2024 Acme News ...\n"
        "Reuter"
    )
    words = ("Bookstore", "John Smith", "Paris", "Twitter", "Iran", "Example", "Bob", "Acme")
    spans = sorted((text.index(w), text.index(w) + len(w)) for w in words)
    spans.append((len(text) - 6, len(text)))
    spans.append((text.index("Mary"), text.index("Follow") + 6))  # a span over a line break

    def dropped(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [s for s in spans if any(a < s[1] and s[0] < b for a, b in ranges)]

    whole = dropped(furniture_ranges(text))
    assert dropped(furniture_ranges(text, sorted(spans))) == whole
    assert [text[a:b] for a, b in whole if b - a < 20] == [
        "Bookstore",
        "Twitter",
        "Iran",
        "Example",
        "Bob",
        "Acme",
        "Reuter",
    ]


def test_names_are_not_read_in_encoded_data() -> None:
    from margin.search.entities import default_extractor

    uuencoded = "M" + ("1(,PA@@R94/4GJ9I0 T /O8'7A3DKG NATO A[Y" * 2)[:60]
    base64 = "TWFyeSBTbWl0aCBtZXQgTkFUTyBpbiBQYXJpcyBhbmQgTG9uZG9uLg" + "AbCdNATOxYz0123"
    text = f"Mary Smith sent the file.\nbegin 644 pic.gif\n{uuencoded}\n{base64}\nend\n"
    found = default_extractor().extract(text)
    assert any(text[m.start : m.end] == "Mary Smith" for m in found)
    encoded = text.index(uuencoded)
    assert not [m for m in found if m.start >= encoded and m.kind != "DATE"], found
