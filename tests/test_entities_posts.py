"""Mail and news scaffolding: names in headers, attributions and signatures are not extracted;
names in what the post says are."""

from __future__ import annotations

import pytest
from margin.search.entities import DefaultExtractor, default_extractor
from margin.search.entities.posts import post_ranges

POST = """Re: Waco and the press
From: someone@example.org
Organization: Example University
In article <1993.abc@host.edu>, jmd@host.edu (Jim Perry) writes:
> Janet Reno said the FBI acted alone.
>
> --
> Quoted Person, Quoted Corp
> Boulder, Colorado

I doubt that David Koresh read the statement from Janet Reno.

Mike

--
Gordon Banks  N3JXP      | "Skepticism is the chastity of the intellect"
Pittsburgh, PA
"""


@pytest.fixture(scope="module")
def extractor() -> DefaultExtractor:
    return default_extractor()


def covered(text: str, phrase: str) -> bool:
    start = text.index(phrase)
    return any(a <= start and start + len(phrase) <= b for a, b in post_ranges(text))


def test_scaffolding_is_found_by_its_shape() -> None:
    for phrase in (
        "Re:",
        "Example University",
        "Jim Perry",
        "Mike",
        "Gordon Banks",
        "Quoted Corp",
        "Boulder",
    ):
        assert covered(POST, phrase), phrase
    for phrase in ("Janet Reno said", "David Koresh"):
        assert not covered(POST, phrase), phrase


def test_names_in_the_scaffolding_are_not_extracted(extractor: DefaultExtractor) -> None:
    names = {m.text for m in extractor.extract(POST)}
    assert {"David Koresh", "Janet Reno"} <= names
    assert not names & {"Re", "Jim Perry", "Mike", "Gordon Banks", "Pittsburgh", "Quoted Corp"}


def test_the_standard_delimiter_has_a_trailing_space() -> None:
    text = POST.replace("\n--\nGordon", "\n-- \nGordon")  # RFC 3676: "-- " on its own line
    assert covered(text, "Gordon Banks")


def test_a_dash_line_high_up_is_not_a_signature() -> None:
    body = "Intro.\n--\n" + "".join(f"Line {i} about Tony Blair.\n" for i in range(40))
    assert not any(b - a > 10 for a, b in post_ranges(body))


def test_prose_without_scaffolding_has_none() -> None:
    text = "Tony Blair said: we will win. He wrote to Gordon Brown.\nBrown says he agrees."
    assert post_ranges(text) == []


def test_three_or_four_dashes_also_start_a_signature() -> None:
    """What people type instead of RFC 3676's "-- ", with the sign-off above it; a long rule
    is a rule, not a delimiter."""
    for rule in ("---", "----"):
        text = POST.replace("\n--\nGordon", f"\n{rule}\nGordon")
        assert covered(text, "Gordon Banks"), rule
        assert covered(text, "Mike"), rule
    ruled = POST.replace("\n--\nGordon", "\n" + "-" * 30 + "\nGordon")
    assert not covered(ruled, "Gordon Banks")
