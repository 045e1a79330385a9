"""Publication dates come from where a reader looks for them, never from a sentence."""

from __future__ import annotations

import pytest
from margin.search.dates import dateline
from margin.search.metadata import guess


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Wednesday, December 25, 2024", ("2024-12-25", False)),
        ("Published: 20 October 2017", ("2017-10-20", True)),
        ("Date: 2019-03-04", ("2019-03-04", True)),
        (
            "By Ahmad Majidyar | Fellow, The Middle East Institute | Oct 20, 2017",
            ("2017-10-20", False),
        ),
        ("Updated 20 Oct 2017 10:30 GMT", ("2017-10-20", False)),
        ("The bonds have a maturity date of May 1, 2017.", None),
        ("Maturity date May 1, 2017", None),
        ("Kick-off is at 2000 GMT on Friday", None),
        ("Friday, 25 February", None),
    ],
)
def test_a_line_states_a_date_only_when_it_is_one(
    line: str, expected: tuple[str, bool] | None
) -> None:
    assert dateline(line) == expected


def test_a_date_is_never_joined_across_lines() -> None:
    text = "England v Wales\n\nFriday, 25 February\n\n2000 GMT\n\nThe match report follows.\n"
    assert guess(text).date is None


def test_a_date_in_the_body_is_not_the_publication_date() -> None:
    body = "\n\n".join(f"Paragraph {i} about the bond market and its buyers." for i in range(3))
    text = f"Bond issue priced\n\n{body}\n\nThe notes carry a maturity date May 1, 2017.\n"
    found = guess(text)
    assert (found.date, found.date_source) == (None, None)


def test_quoted_mail_lines_are_not_headers() -> None:
    text = "Re: sources\n> The Times.\n> August 13, 1991.\nI disagree with that.\n"
    assert guess(text).date is None


@pytest.mark.parametrize(
    ("text", "date", "source"),
    [
        ("Headline here\nPosted on: 3 March 2021\n\nBody.", "2021-03-03", "header"),
        ("3 °c\nColumbus\nWednesday, December 25, 2024\n\nTitle\n", "2024-12-25", "first lines"),
        ("Title\n" + "Body text.\n" * 12 + "Payvand News - 02/02/15\n", "2015-02-02", "dateline"),
    ],
)
def test_the_date_source_is_named(text: str, date: str, source: str) -> None:
    found = guess(text)
    assert (found.date, found.date_source) == (date, source)
