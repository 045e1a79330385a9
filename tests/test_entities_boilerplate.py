"""Names only on lines many texts repeat word for word (a pasted quote, a footer) are hidden
as boilerplate; names the texts write in their own words stay, and duplicated files never
make a line look repeated."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_factory import write_files
from margin.search.entities.boilerplate import REPEAT_TEXTS, boilerplate, name_lines
from margin.search.library import Library
from margin.search.models import Mention

QUOTE = "As Hovanes Tashjian wrote to the committee, the archive must stay open."
FOOTER = "Dorothea Quillfeather edits this list; write to the list office."
STORIES = [
    "Ingrid Solberg opened the harbour on Monday.",
    "The council heard from Ingrid Solberg about tariffs.",
    "Tariffs, said Ingrid Solberg, would not rise this year.",
    "A letter from Ingrid Solberg reached the senate late.",
]


def _texts(count: int) -> dict[str, str]:
    texts = {}
    for i in range(count):
        story = STORIES[i % len(STORIES)] + f" It was report number {i}."
        extra = f" Dorothea Quillfeather spoke at meeting {i} herself." if i % 3 == 0 else ""
        texts[f"post{i:03d}.txt"] = f"Post {i}\n\n{story}{extra}\n\n> {QUOTE}\n\n{FOOTER}\n"
    return texts


def test_the_lines_of_a_name_ignore_quote_marks_case_and_spacing() -> None:
    text = "Hi.\n>  As Hovanes TASHJIAN wrote\nAs hovanes tashjian   wrote\n"
    first = Mention(8, 24, "PERSON", "Hovanes TASHJIAN")
    second = Mention(36, 52, "PERSON", "hovanes tashjian")
    lines = name_lines(text, [first, second])
    assert list(lines.values()) == [[lines["hovanes tashjian"][0]]]


def test_only_names_on_lines_repeated_in_many_texts_are_boilerplate() -> None:
    quoted = {"line-quote"}
    lines = {
        f"t{i}": {
            "hovanes tashjian": sorted(quoted),
            "ingrid solberg": [f"own-{i}"],
            "dorothea quillfeather": ["footer"] + ([f"spoke-{i}"] if i % 3 == 0 else []),
        }
        for i in range(REPEAT_TEXTS)
    }
    assert boilerplate(lines) == {"hovanes tashjian"}
    fewer = {k: v for k, v in list(lines.items())[: REPEAT_TEXTS - 1]}
    assert boilerplate(fewer) == set(), "a line in a few texts is not boilerplate"


@pytest.mark.usefixtures("margin_dirs")
def test_the_corpus_hides_a_pasted_quote_but_keeps_what_texts_say(tmp_path: Path) -> None:
    library = Library(write_files(tmp_path / "posts", _texts(REPEAT_TEXTS + 4)))
    library.sync()
    library.extract_entities()
    names = {e.name for e in library.corpus_entities()}
    assert "Ingrid Solberg" in names
    assert "Dorothea Quillfeather" in names, "named in the texts' own words a third of the time"
    assert "Hovanes Tashjian" not in names


@pytest.mark.usefixtures("margin_dirs")
def test_duplicated_files_do_not_make_a_line_repeated(tmp_path: Path) -> None:
    one = "Ingrid Solberg opened the harbour.\n\nHovanes Tashjian cut the ribbon.\n"
    files = {f"copy{i:03d}.txt": one for i in range(REPEAT_TEXTS + 5)}
    library = Library(write_files(tmp_path / "copies", files))
    library.sync()
    library.extract_entities()
    names = {e.name for e in library.corpus_entities()}
    assert {"Ingrid Solberg", "Hovanes Tashjian"} <= names
