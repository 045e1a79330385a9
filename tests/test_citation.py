"""Copy with citation: the Markdown quote, the configurable template and its validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run_margin
from corpus_factory import write_files
from margin.search.citation import DEFAULT, check, cite, cite_sentence, load_format, quote_text
from margin.search.models import Document, DocumentMeta

TEXT = "Harbour News\n2019-03-04\n\nThe  harbour\nwas full. Boats left at dawn.\n\nNext part."


def _doc() -> Document:
    meta = DocumentMeta("news/h.txt", Path("/corpus/news/h.txt"), "Harbour News", date="2019-03-04")
    return Document(meta, TEXT)


def test_default_citation_of_the_cursors_sentence() -> None:
    pos = TEXT.index("harbour")
    start = TEXT.index("The  harbour")
    end = TEXT.index("Boats") - 1
    assert cite_sentence(_doc(), pos) == (
        "> The harbour was full.\n>\n"
        f"> — *Harbour News*, 2019-03-04, `/corpus/news/h.txt`, characters {start}–{end}"
    )


def test_a_selection_across_paragraphs_stays_one_quote() -> None:
    start = TEXT.index("Boats")
    text = cite(_doc(), start, len(TEXT), "{quote} [{doc}:{start}-{end}] {author}|{date}")
    assert (
        text == f"Boats left at dawn.\n>\n> Next part. [news/h.txt:{start}-{len(TEXT)}] |2019-03-04"
    )
    assert quote_text("a\n\n\n  b") == "a\n>\n> b"
    with pytest.raises(ValueError):
        cite(_doc(), 5, 5)


def test_templates_are_checked() -> None:
    assert check(DEFAULT) == []
    assert check("{quote} {nope}")[0].startswith("citation: unknown placeholder {nope}")
    assert check("{quote") and check("{title!r}") and check(3) and check("  ")
    assert check("{{literal}} {quote}") == []


def test_config_file_sets_the_format_and_a_bad_one_falls_back(tmp_path: Path) -> None:
    assert load_format(tmp_path).template == DEFAULT
    config = tmp_path / "config.yaml"
    config.write_text('theme: "x"\ncitation: "{title}: {quote}"\n', encoding="utf-8")
    assert load_format(tmp_path).template == "{title}: {quote}"
    config.write_text('citation: "{title} {oops}"\n', encoding="utf-8")
    bad = load_format(tmp_path)
    assert bad.template == DEFAULT and bad.problems[0].line == 1
    config.write_text("citation: !!python/object:os.system x\n", encoding="utf-8")
    assert load_format(tmp_path).problems


def test_cli_cite(tmp_path: Path, env: dict[str, str], margin_dirs: dict[str, Path]) -> None:
    root = write_files(tmp_path / "c", {"h.txt": TEXT})
    (margin_dirs["config"] / "config.yaml").write_text(
        'citation: "{quote} ({doc} {start})"\n', encoding="utf-8"
    )
    done = run_margin(env, "cite", str(root), "h.txt", "--at", str(TEXT.index("Boats")))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Boats left at dawn. (h.txt {TEXT.index('Boats')})\n"
    assert run_margin(env, "cite", str(root), "h.txt").returncode == 2
