"""Annotations in the app, driven like a user: select, tag, note, edit, delete, undo, jump.

Every test runs the real app on a private copy of ``seeds/`` with a real index, and checks the
YAML files the store writes on disk after each step (read back with a safe loader).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from margin.search.annotations import AnnotationStore
from margin.search.corpus import parse
from margin.tui.app import MarginApp
from margin.tui.widgets.annotation_editor import AnnotationEditor, parse_tags
from margin.tui.widgets.annotations_pane import AnnotationsPane
from margin.tui.widgets.document_list import DocumentList
from margin.tui.widgets.reader import Reader
from tui_helpers import screen_text, settle, until

App = Callable[..., MarginApp]
DOC = "000_dd1896eca1ff47de.txt"
"""Signs of renewed Russian-Iranian cooperation: short paragraphs of plain sentences."""
OTHER = "001_e70ce7391ee82bdc.txt"


def yaml_path(corpus: Path, doc: str = DOC) -> Path:
    return corpus / ".margin" / "annotations" / f"{doc}.yaml"


def saved(corpus: Path, doc: str = DOC) -> list[dict[str, Any]]:
    """The annotations in the document's YAML file, as a safe loader reads them."""
    path = yaml_path(corpus, doc)
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data.get("annotations") or [])


def document_text(corpus: Path, doc: str = DOC) -> tuple[str, str]:
    """The normalised text the app annotates, and its hash (as the store records it)."""
    parsed = parse(doc, corpus / doc, (corpus / doc).read_bytes())
    return parsed.text, parsed.meta.sha256


async def open_doc(pilot: Any, doc: str = DOC) -> Reader:
    app = pilot.app
    await settle(pilot)
    app.open_document(doc)
    await settle(pilot)
    reader = app.query_one(Reader)
    assert reader.document is not None and reader.document.id == doc
    assert app.focused is reader
    return reader


def selected(reader: Reader) -> str:
    assert reader.selection is not None
    start, end = reader.selection
    return reader.text[start:end]


async def tag(pilot: Any, tags: str) -> None:
    """``t``, type the tags, ``enter``, and wait for the save, the reload and the reindex."""
    await pilot.press("t")
    await until(pilot, lambda: isinstance(pilot.app.screen, AnnotationEditor))
    await pilot.press(*tags, "enter")
    await settle(pilot)


def test_tags_are_split_on_commas_or_spaces() -> None:
    assert parse_tags("evidence, iran") == ("evidence", "iran")
    assert parse_tags("#evidence iran  iran") == ("evidence", "iran")
    assert parse_tags("new york, un") == ("new york", "un")
    assert parse_tags(" , ") == ()


async def test_select_by_word_sentence_paragraph_and_tag(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        reader = await open_doc(pilot)
        text = reader.text
        # the cursor sits on the first sentence; ) moves it to the next one
        await pilot.press("right_parenthesis")
        body = text.index("The start of this week")
        assert reader.cursor == body
        await pilot.press("v")
        first = "The start of this week has seen Russian and Iranian officials comment"
        assert selected(reader).startswith(first) and selected(reader).endswith("sectors.")
        sentence = selected(reader)
        await pilot.press("w")
        assert selected(reader) == sentence + " RIA"
        await pilot.press("w", "b")
        assert selected(reader) == sentence + " RIA"
        await pilot.press("right_parenthesis")
        assert selected(reader).endswith("non-delivery of weaponry in 2010.")
        await pilot.press("left_parenthesis")
        assert selected(reader) == sentence
        await pilot.press("right_curly_bracket")
        assert selected(reader).endswith("in July.") and "\n" not in selected(reader)
        await pilot.press("left_curly_bracket")  # cannot shrink below the first paragraph
        assert selected(reader).endswith("in July.")
        await pilot.press("b")  # b shrinks while selecting (it pages up otherwise)
        assert selected(reader).endswith("Germany) in")
        await pilot.press("b")
        assert selected(reader).endswith("Germany)")
        chosen = reader.selection
        assert chosen is not None
        await tag(pilot, "evidence, russia")
        assert reader.selection is None
        [entry] = saved(corpus)
        assert (entry["start"], entry["end"]) == chosen
        assert entry["quote"] == text[chosen[0] : chosen[1]]
        assert entry["tags"] == ["evidence", "russia"]
        assert entry["note"] == ""
        # the pane lists it, the reader paints it, the document list counts it
        pane = app.query_one(AnnotationsPane)
        assert [r.annotation.id for r in pane.rows if r.annotation] == [entry["id"]]
        assert reader.layer_shown("annotations")
        assert reader.annotation_ranges == [chosen]
        assert app.query_one(DocumentList).annotation_count(DOC) == 1
        assert "#evidence #russia" in screen_text(app)


async def test_note_edit_delete_and_undo(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        reader = await open_doc(pilot)
        await pilot.press("right_parenthesis", "a")
        await until(pilot, lambda: isinstance(app.screen, AnnotationEditor))
        await pilot.press(*"Check the", "enter", *"lawsuit: NO", "ctrl+s")
        await settle(pilot)
        [entry] = saved(corpus)
        assert entry["note"] == "Check the\nlawsuit: NO"
        assert entry["tags"] == []
        assert entry["quote"].startswith("The start of this week")
        first_id = entry["id"]
        # edit in the pane: 4 focuses it, e opens the editor on the tags
        await pilot.press("4")
        pane = app.query_one(AnnotationsPane)
        assert app.focused is pane
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, AnnotationEditor))
        await pilot.press(*"follow-up", "tab", "end", *" (done)", "ctrl+s")
        await settle(pilot)
        [entry] = saved(corpus)
        assert entry["id"] == first_id
        assert entry["tags"] == ["follow-up"]
        assert entry["note"] == "Check the\nlawsuit: NO (done)"
        assert "✎ Check the" in screen_text(app)
        # delete, then undo: the very same annotation comes back
        await pilot.press("d")
        await settle(pilot)
        assert saved(corpus) == []
        assert reader.annotation_ranges == []
        assert app.query_one(DocumentList).annotation_count(DOC) == 0
        await pilot.press("u")
        await settle(pilot)
        [back] = saved(corpus)
        assert back == entry
        assert len(reader.annotation_ranges) == 1


async def test_brackets_jump_between_annotations_and_enter_jumps_from_the_pane(
    make_app: App, corpus: Path
) -> None:
    text, sha = document_text(corpus)
    store = AnnotationStore(corpus)
    late = text.index("Per July’s Joint Comprehensive Plan")
    early = text.index("RIA Novosti quoted")
    store.add(DOC, text, sha, late, late + 40, tags=["jcpoa"])
    store.add(DOC, text, sha, early, early + 18, tags=["press"], note="who said it")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        reader = await open_doc(pilot)
        assert reader.annotation_ranges == [(early, early + 18), (late, late + 40)]
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert reader.cursor == early
        assert "annotation 1/2" in screen_text(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert reader.cursor == late
        assert "annotation 2/2" in screen_text(app)
        pane = app.query_one(AnnotationsPane)
        assert pane.current is not None and pane.current.annotation is not None
        assert pane.current.annotation.start == late  # the pane follows the reader
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert reader.cursor == early
        # the pane: text order, tags, quote start and note
        rows = [r.annotation.tags for r in pane.rows if r.annotation]
        assert rows == [("press",), ("jcpoa",)]
        shown = screen_text(app)
        assert "#press" in shown and "“RIA Novosti quoted" in shown and "✎ who said it" in shown
        await pilot.press("4", "j", "enter")
        await settle(pilot)
        assert app.focused is reader and reader.cursor == late
        # a theme switch repaints the annotations in the new theme's tag colours
        before = list(reader.marks.by_name["annotations"].styles)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert reader.marks.by_name["annotations"].styles != before


async def test_tagged_document_is_found_by_tag_search(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_doc(pilot)
        await pilot.press("v")
        await tag(pilot, "zebrafish")
        await pilot.press("1", "slash", *"tag:zebrafish")  # in the reader / finds
        await until(pilot, lambda: app.results is not None and app.results.query == "tag:zebrafish")
        await settle(pilot)
        assert app.results is not None
        assert [hit.id for hit in app.results.hits] == [DOC]


async def test_corpus_view_groups_by_tag_and_searches_a_tag(make_app: App, corpus: Path) -> None:
    text, sha = document_text(corpus)
    other_text, other_sha = document_text(corpus, OTHER)
    store = AnnotationStore(corpus)
    store.add(DOC, text, sha, 0, 20, tags=["iran", "deal"])
    store.add(DOC, text, sha, 30, 50, tags=["iran"])
    store.add(OTHER, other_text, other_sha, 0, 10, tags=["iran"])
    gone = store.add(OTHER, other_text, other_sha, 20, 40, tags=["lost"])
    # the passage of one annotation disappears from the file: it becomes an orphan
    path = corpus / OTHER
    path.write_text(path.read_text(encoding="utf-8").replace(gone.quote, "·" * 5), "utf-8")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        assert app.query_one(DocumentList).annotation_count(DOC) == 2
        assert app.query_one(DocumentList).annotation_count(OTHER) == 2
        app.open_document(OTHER)
        await settle(pilot)
        await pilot.press("4", "c")
        await settle(pilot)
        pane = app.query_one(AnnotationsPane)
        tags = [(r.tag, len(r.lines)) for r in pane.rows if r.kind == "tag"]
        assert [t for t, _ in tags] == ["iran", "deal", "lost"]
        shown = screen_text(app)
        assert "#iran  3" in shown and "#deal  1" in shown
        assert "orphaned · 1" in shown and "✗ orphan #lost" in shown
        await pilot.press("j", "enter")  # the first tag row
        await until(pilot, lambda: app.results is not None and app.results.query == "tag:iran")
        await settle(pilot)
        assert app.results is not None
        assert sorted(hit.id for hit in app.results.hits) == sorted([DOC, OTHER])


async def test_invalid_yaml_is_reported_and_never_overwritten(make_app: App, corpus: Path) -> None:
    text, sha = document_text(corpus)
    store = AnnotationStore(corpus)
    store.add(DOC, text, sha, 0, 10, tags=["kept"])
    store.add(DOC, text, sha, 20, 30, tags=["broken"])
    path = yaml_path(corpus)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = max(i for i, line in enumerate(lines) if line.strip() == 'note: ""')
    lines[bad] = lines[bad].replace('note: ""', "note: NO")  # a hand edit YAML reads as False
    path.write_text("".join(lines), encoding="utf-8")
    before = path.read_bytes()
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1
        assert f"{path}:{bad + 1}:" in errors[0].message
        await open_doc(pilot)
        pane = app.query_one(AnnotationsPane)
        assert [r.annotation.tags for r in pane.rows if r.annotation] == [("kept",)]
        assert pane.rows[0].kind == "problem"
        await pilot.press("v", "t")
        await settle(pilot)
        assert not isinstance(app.screen, AnnotationEditor)  # refused before any typing
        assert any("does not overwrite" in n.message for n in app._notifications)
        assert len([n for n in app._notifications if n.title == "Annotation file problems"]) == 1
    assert path.read_bytes() == before


async def test_read_only_corpus_saves_in_the_data_folder(
    make_app: App, corpus: Path, margin_dirs: dict[str, Path]
) -> None:
    blocker = corpus / ".margin" / "annotations"
    blocker.parent.mkdir()
    blocker.write_text("a file where the annotations folder would go\n", "utf-8")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        told = [n.message for n in app._notifications if "cannot be written" in n.message]
        assert told and str(margin_dirs["data"]) in told[0]
        await open_doc(pilot)
        await pilot.press("v")
        await tag(pilot, "offline")
        found = list((margin_dirs["data"] / "annotations").rglob(f"{DOC}.yaml"))
        assert len(found) == 1
        assert "offline" in found[0].read_text(encoding="utf-8")


async def test_mouse_drag_selects_whole_words(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        reader = await open_doc(pilot)
        body = reader.text.index("The start of this week")
        y = reader.lines.y_of(body) - int(reader.scroll_y)
        region = reader.content_region
        x0, y0 = region.x - reader.region.x, region.y - reader.region.y + y
        await pilot.mouse_down(reader, offset=(x0 + 6, y0))  # inside "start"
        await pilot.hover(reader, offset=(x0 + 16, y0))  # inside "this"/"week"
        await pilot.mouse_up(reader, offset=(x0 + 16, y0))
        assert selected(reader) == "start of this"
        assert app.focused is reader
        await pilot.press("w")  # a mouse selection grows by keys like any other
        assert selected(reader) == "start of this week"
        await pilot.press("escape")
        assert reader.selection is None


async def test_cursor_stays_in_view_and_b_pages_up_outside_a_selection(
    make_app: App, corpus: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 24)) as pilot:
        reader = await open_doc(pilot, "004_379727125cb813d3.txt")
        await pilot.press("space", "space")
        assert reader.scroll_y > 0
        assert reader._on_screen(reader.cursor)
        top = reader.scroll_y
        await pilot.press("b")
        assert reader.scroll_y < top and reader._on_screen(reader.cursor)
        await pilot.press("G")
        assert reader._on_screen(reader.cursor)
        await pilot.press("g")
        assert reader.cursor == 0


def gutter(reader: Reader) -> list[str]:
    """The left margin of every text line on screen."""
    top = int(reader.scroll_y)
    height = reader.scrollable_content_region.height
    lines = range(max(top, len(reader.lines.header)), min(top + height, reader.line_count))
    return [reader._line_strip(y, 80).text[0] for y in lines]


async def test_the_cursor_is_a_bar_beside_its_sentence(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        reader = await open_doc(pilot)
        await pilot.press("right_parenthesis")
        start, end = reader.caret.sentence
        assert reader.text[start:end].startswith("The start of this week")
        marked = [
            reader.line_text(y)
            for y in range(len(reader.lines.header), reader.line_count)
            if reader._line_strip(y, 80).text[0] == "▎"
        ]
        assert marked and marked[0].startswith("The start of this week")
        assert "sectors." in marked[-1]
        assert gutter(reader).count("▎") == len(marked)
        await pilot.press("v")  # a selection replaces the bar
        assert "▎" not in gutter(reader)
        await pilot.press("escape", "4")  # and the bar only shows while reading
        assert app.focused is not reader and "▎" not in gutter(reader)


def test_annotation_bindings_have_ids() -> None:
    from margin.tui.app import _binding_ids

    ids = _binding_ids()
    for wanted in (
        "reader.select",
        "reader.extend_word",
        "reader.shrink_word",
        "reader.extend_sentence",
        "reader.tag",
        "reader.note",
        "reader.next_annotation",
        "annotations.delete",
        "annotations.undo",
        "annotations.edit",
        "annotations.corpus",
        "editor.external",
    ):
        assert wanted in ids


async def test_selection_keys_follow_the_user_keymap(
    make_app: App, corpus: Path, margin_dirs: dict[str, Path]
) -> None:
    keymap = margin_dirs["config"] / "keymap.yaml"
    keymap.write_text('reader.select: s\nreader.extend_word: "+"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        reader = await open_doc(pilot)
        await pilot.press("v")
        assert reader.selection is None
        await pilot.press("s")
        sentence = selected(reader)
        await pilot.press("w")
        assert selected(reader) == sentence
        await pilot.press("plus")
        assert selected(reader).startswith(sentence) and len(selected(reader)) > len(sentence)


async def test_a_broken_file_can_be_accepted_from_the_app_after_a_confirmation(
    make_app: App, corpus: Path
) -> None:
    from margin.tui.widgets.confirm import Confirm

    text, sha = document_text(corpus)
    store = AnnotationStore(corpus)
    store.add(DOC, text, sha, 0, 10, tags=["kept"])
    store.add(DOC, text, sha, 20, 30, tags=["broken"])
    path = yaml_path(corpus)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = max(i for i, line in enumerate(lines) if line.strip() == 'note: ""')
    lines[bad] = lines[bad].replace('note: ""', "note: NO")  # a hand edit YAML reads as False
    path.write_text("".join(lines), encoding="utf-8")
    before = path.read_bytes()
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_doc(pilot)
        await pilot.press("4", "A")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert path.read_bytes() == before
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await settle(pilot)
        pane = app.query_one(AnnotationsPane)
        assert pane.loaded is not None and not pane.loaded.blocked
        assert [a["tags"] for a in saved(corpus)] == [["kept"]]
        assert list(path.parent.glob(f"{path.name}.*.bak"))  # the file as it was, kept
        await pilot.press("2", "v", "t")  # now the file takes new annotations again
        await until(pilot, lambda: isinstance(app.screen, AnnotationEditor))
        await pilot.press(*"fresh", "enter")
        await settle(pilot)
    assert sorted(tuple(a["tags"]) for a in saved(corpus)) == [("fresh",), ("kept",)]


async def test_an_annotation_is_never_made_against_a_stale_text(
    make_app: App, corpus: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        reader = await open_doc(pilot)
        await pilot.press("v")
        shown = selected(reader)
        # the file changes under the reader (a line added above), before the tag is saved
        original = (corpus / DOC).read_text(encoding="utf-8")
        (corpus / DOC).write_text("An editor's note added on top.\n\n" + original, "utf-8")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, AnnotationEditor))
        await pilot.press(*"late", "enter")
        await settle(pilot)
        assert saved(corpus) == []  # nothing saved against the old text ...
        assert not any(n.message.startswith("Saved") for n in app._notifications)
        assert any("nothing was saved" in n.message for n in app._notifications)
        assert reader.document is not None and "An editor's note" in reader.text  # ... reloaded
        await pilot.press("v")
        assert selected(reader) == shown  # the cursor came along to the same sentence
        await tag(pilot, "late")
    entries = saved(corpus)
    assert len(entries) == 1 and entries[0]["tags"] == ["late"]
    disk, _ = document_text(corpus)
    assert disk[entries[0]["start"] : entries[0]["end"]] == entries[0]["quote"]
