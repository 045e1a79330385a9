"""The entities pane and the reader's entity highlights, driven with Pilot on a copy of seeds/.

Real engine, real index, real ``entities.yaml``: expected values come from the engine itself
(a fresh :class:`~margin.search.library.Library` is the oracle for what merging and hiding wrote).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from margin.search.entities import Entity, EntityConfig, config_path
from margin.search.library import Library
from margin.search.models import Mention
from margin.tui import entities as view
from margin.tui.app import MarginApp, _binding_ids
from margin.tui.help import HelpScreen
from margin.tui.widgets.entities_pane import EntitiesPane
from margin.tui.widgets.merge_prompt import MergePrompt
from margin.tui.widgets.reader import Reader
from rich.style import Style
from rich.text import Text
from tui_helpers import screen_text, settle, until

App = Callable[..., MarginApp]
LAVROV_DOC = "001_e70ce7391ee82bdc.txt"
"""Lavrov's visit to Tehran: people, places, organisations and a furniture-free body."""
SHOIGU_DOC = "003_4ba075ce6e93eae0.txt"


async def open_doc(pilot: Any, doc_id: str, focus_pane: bool = True) -> EntitiesPane:
    """Open ``doc_id``, wait for its entities, and (by default) focus the pane with ``3``."""
    app = pilot.app
    await settle(pilot)
    app.open_document(doc_id)
    pane = app.query_one(EntitiesPane)
    await until(pilot, lambda: pane.document_id == doc_id and bool(pane.entities))
    await settle(pilot)
    if focus_pane:
        await pilot.press("3")
        assert app.focused is pane
    return pane


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


def names(entities: tuple[Entity, ...] | list[Entity]) -> list[str]:
    return [e.name for e in entities]


def strip_styles(reader: Reader, offset: int) -> list[tuple[str, Style | None]]:
    """The painted segments of the reader line holding ``offset``."""
    y = reader._line_of(offset) + len(reader._header)
    return [(seg.text, seg.style) for seg in reader._line_strip(y, 100)]


def coloured(reader: Reader, offset: int, colour: str) -> str:
    """The text painted in ``colour`` on the line of ``offset``."""
    return "".join(
        text
        for text, style in strip_styles(reader, offset)
        if style and style.color and style.color.triplet and style.color.triplet.hex == colour
    )


async def test_pane_lists_the_documents_names_by_kind(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        listed = names(pane.shown)
        for name in ("Sergey Lavrov", "Mohammad Javad Zarif", "Iran", "Russia", "Tehran"):
            assert name in listed
        for junk in ("However", "Comment", "Follow us", "Leave a Reply", "Check Also"):
            assert junk not in listed
        lavrov = next(e for e in pane.shown if e.name == "Sergey Lavrov")
        assert lavrov.kind == "PERSON" and "Lavrov" in lavrov.aliases
        assert lavrov.count == len(view.mentions_of(lavrov, pane.mentions)) >= 5
        kinds = [e.kind for e in pane.shown]
        order = [k for k in view.KIND_ORDER if k in kinds]
        assert sorted(kinds, key=view.KIND_ORDER.index) == kinds and order[0] == "PERSON"
        # names first, the dates and amounts apart after them
        assert kinds.index("DATE") > max(i for i, k in enumerate(kinds) if k == "MISC")
        text = screen_text(app)
        headers = [str(o.prompt).split()[0] for o in pane.options if o and o.disabled]
        assert headers == ["PEOPLE", "ORGANISATIONS", "PLACES", "OTHER", "DATES"]
        assert "PEOPLE" in text
        assert f"{lavrov.count} Sergey Lavrov" in text and "≈ Lavrov" in text
        for key in ("] Next", "[ Prev", "s Search", "c Corpus", "m Merge", "x Hide"):
            assert key in text  # the footer shows the pane's keys while it has focus

        def kind_coloured(index: int) -> bool:
            prompt = pane.options[index].prompt
            assert isinstance(prompt, Text)
            return any(isinstance(s.style, Style) and s.style.color for s in prompt.spans)

        # names in their kind's colour, except on the cursor row where it could vanish
        cursor = pane.highlighted
        assert cursor is not None and not kind_coloured(cursor)
        await pilot.press("down")
        assert kind_coloured(cursor) and not kind_coloured(pane.highlighted or 0)


async def test_reader_colours_mentions_by_kind_and_e_toggles(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC, focus_pane=False)
        reader = app.query_one(Reader)
        layer = reader._layers[view.ENTITIES_LAYER]
        assert sorted(layer.starts) == sorted(m.start for m in pane.mentions)
        lavrov = next(m for m in pane.mentions if m.canonical == "Sergey Lavrov")
        person = app.theme_variables["margin-entity-person"].lower()
        assert lavrov.text in coloured(reader, lavrov.start, person)
        place = next(m for m in pane.mentions if m.kind == "PLACE")
        assert place.text in coloured(
            reader, place.start, app.theme_variables["margin-entity-place"].lower()
        )
        assert app.focused is reader
        await pilot.press("e")
        assert view.ENTITIES_LAYER in reader.hidden_layers
        assert coloured(reader, lavrov.start, person) == ""
        await pilot.press("e")
        assert lavrov.text in coloured(reader, lavrov.start, person)
        # a theme switch recolours the highlights from the new theme's variables
        await pilot.press("ctrl+t")
        await settle(pilot)
        new = app.theme_variables["margin-entity-person"].lower()
        assert new != person and lavrov.text in coloured(reader, lavrov.start, new)


async def test_no_color_keeps_entities_visible(make_app: App, monkeypatch: Any) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        reader = app.query_one(Reader)
        mention = next(m for m in pane.mentions if m.canonical == "Sergey Lavrov")
        underlined = "".join(
            text for text, style in strip_styles(reader, mention.start) if style and style.underline
        )
        assert mention.text in underlined
        pane.select_entity("Sergey Lavrov")
        await pilot.press("enter")
        await settle(pilot)
        marked = [s for t, s in strip_styles(reader, mention.start) if t == mention.text]
        assert marked and marked[0] is not None and marked[0].reverse


async def test_enter_jumps_to_the_first_mention_and_brackets_cycle(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        reader = app.query_one(Reader)
        start_y = reader.scroll_y

        def later(entity: Entity) -> list[Mention]:
            found = view.mentions_of(entity, pane.mentions)
            return found if len(found) >= 3 and not reader._on_screen(found[0].start) else []

        entity = next(e for e in pane.shown if later(e))
        found = later(entity)
        assert pane.select_entity(entity.name)
        await pilot.press("enter")
        await settle(pilot)
        assert reader.scroll_y > start_y and reader._on_screen(found[0].start)
        focus = reader._layers[view.FOCUS_LAYER]
        assert focus.starts == [m.start for m in found]
        assert "bold" in focus.styles[0] and "bold" not in focus.styles[1]
        assert f"{entity.name} 1/{len(found)}" in app.status.text
        assert app.focused is pane

        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert reader._on_screen(found[1].start)
        assert "bold" in reader._layers[view.FOCUS_LAYER].styles[1]
        assert f"{entity.name} 2/{len(found)}" in app.status.text
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert f"{entity.name} {len(found)}/{len(found)}" in app.status.text  # wraps around
        assert reader._on_screen(found[-1].start)

        await pilot.press("escape")
        await settle(pilot)
        assert not reader._layers[view.FOCUS_LAYER].starts
        assert reader._layers[view.ENTITIES_LAYER].starts  # the kind colours stay


def documents_naming(library: Library, name: str) -> set[str]:
    """The oracle: documents whose resolved mentions include ``name``."""
    return {
        meta.id
        for meta in library.documents()
        if any(m.canonical == name for m in library.mentions(meta.id))
    }


async def test_s_searches_the_corpus_for_every_spelling(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        assert pane.select_entity("Sergey Lavrov")
        await pilot.press("s")
        await until(pilot, lambda: app.results is not None)
        await settle(pilot)
        assert app.query_text == 'person:"Sergey Lavrov"'
        assert app.search_bar.input.value == 'person:"Sergey Lavrov"'
        expected = documents_naming(app.library, "Sergey Lavrov")
        assert len(expected) >= 2
        assert {row.id for row in app.document_list.rows} == expected
        assert app.focused is app.document_list


async def test_corpus_view_counts_documents_and_enter_filters(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        await pilot.press("c")
        await until(pilot, lambda: pane.corpus is not None)
        await settle(pilot)
        assert pane.corpus_view and pane.has_class("-corpus")
        iran = next(e for e in pane.shown if e.name == "Iran")
        assert len(iran.docs) == 5
        text = screen_text(app)
        assert "Documents naming each" in text and "top in the corpus" in text
        assert pane.select_entity("Iran")
        await pilot.pause()
        assert "  5 Iran" in screen_text(app)

        assert pane.select_entity("Sergey Lavrov")
        await pilot.press("enter")
        await until(pilot, lambda: app.results is not None)
        await settle(pilot)
        assert app.query_text == 'person:"Sergey Lavrov"'
        hits = {row.id for row in app.document_list.rows}
        assert hits == documents_naming(app.library, "Sergey Lavrov") and len(hits) < 5
        # the corpus view now counts over the hits only
        await until(pilot, lambda: pane.corpus is not None and pane.scope.doc_ids is not None)
        assert pane.corpus_view and pane.scope.label == f"{len(hits)} hits"
        assert all(set(e.docs) <= hits for e in pane.corpus or ())
        await pilot.press("3", "c")
        assert not pane.corpus_view and "Sergey Lavrov" in names(pane.shown)


async def test_corpus_view_narrows_the_current_search(make_app: App) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC, focus_pane=False)
        await pilot.press("1", "slash", *"taliban", "enter")
        await until(pilot, lambda: app.results is not None and app.query_text == "taliban")
        await settle(pilot)
        before = {row.id for row in app.document_list.rows}
        await pilot.press("3", "c")
        await until(pilot, lambda: pane.corpus is not None)
        assert all(set(e.docs) <= before for e in pane.corpus or ())
        assert pane.select_entity("Iran")
        await pilot.press("enter")
        await until(pilot, lambda: app.query_text == 'taliban place:"Iran"')
        await settle(pilot)
        after = {row.id for row in app.document_list.rows}
        assert after and after <= before


def merged_yaml(corpus: Path) -> EntityConfig:
    config, problems = EntityConfig.load(config_path(corpus))
    assert problems == []
    return config


async def test_m_merges_into_a_completed_name_and_the_yaml_is_reread(
    make_app: App, corpus: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        by_name = {e.name: e for e in pane.entities}
        moscow, russia = by_name["Moscow"], by_name["Russia"]
        assert pane.select_entity("Moscow")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MergePrompt))
        await type_text(pilot, "rus")
        await pilot.press("right")  # accept the completion
        prompt_input = app.screen.query_one("#merge-input")
        assert getattr(prompt_input, "value", "") == "Russia"
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, MergePrompt))
        await settle(pilot)

        config = merged_yaml(corpus)
        assert "Moscow" in config.aliases["Russia"] and config.kinds == {}
        folder = config_path(corpus).parent
        assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]  # atomic
        fresh = Library(corpus)
        try:
            again = {e.name: e for e in fresh.document_entities(LAVROV_DOC)}
            assert "Moscow" not in again and "Moscow" in again["Russia"].aliases
            assert "Moscow" in fresh._widen('place:"Russia"')
        finally:
            fresh.close()
        listed = {e.name: e for e in pane.shown}
        assert "Moscow" not in listed
        assert listed["Russia"].count == russia.count + moscow.count
        assert pane.current is not None and pane.current.name == "Russia"
        assert "Moscow" in screen_text(app)  # as Russia's dim alias
        assert any("Merged “Moscow” into “Russia”" in n.message for n in app._notifications)


async def test_merging_into_a_person_corrects_the_kind(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        org = next(e for e in pane.entities if e.kind == "ORG")
        assert pane.select_entity(org.name)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MergePrompt))
        await type_text(pilot, "sergey lavrov")  # any case: the known spelling is kept
        await pilot.press("enter")
        await settle(pilot)
        config = merged_yaml(corpus)
        assert org.name in config.aliases["Sergey Lavrov"]
        assert config.kinds == {"Sergey Lavrov": "PERSON"}
        lavrov = next(e for e in pane.entities if e.name == "Sergey Lavrov")
        assert lavrov.kind == "PERSON" and org.name in lavrov.aliases
        assert org.name not in names(pane.entities)


async def test_escape_cancels_a_merge(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MergePrompt))
        await pilot.press("escape")
        await settle(pilot)
        assert not config_path(corpus).exists() and app.focused is pane


async def test_x_hides_the_entity_and_writes_the_stop_list(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        tehran = [m for m in pane.mentions if m.canonical == "Tehran"]
        assert tehran and pane.select_entity("Tehran")
        await pilot.press("x")
        await settle(pilot)
        assert "Tehran" not in names(pane.shown)
        assert merged_yaml(corpus).hide == ["Tehran"]
        reader = app.query_one(Reader)
        assert not set(reader._layers[view.ENTITIES_LAYER].starts) & {m.start for m in tehran}
        fresh = Library(corpus)
        try:
            assert "Tehran" not in names(fresh.document_entities(LAVROV_DOC))
        finally:
            fresh.close()
        assert any("Hid “Tehran”" in n.message for n in app._notifications)


async def test_pane_keys_can_be_remapped_and_have_help(
    make_app: App, margin_dirs: dict[str, Path]
) -> None:
    ids = _binding_ids()
    for name in ("show", "next_mention", "previous_mention", "search", "corpus", "merge", "hide"):
        assert f"entities.{name}" in ids
    assert "reader.toggle_entities" in ids
    (margin_dirs["config"] / "keymap.yaml").write_text("entities.corpus: v\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        await pilot.press("c")
        assert not pane.corpus_view
        await pilot.press("v")
        assert pane.corpus_view
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        sections = dict(app.screen.sections)  # type: ignore[attr-defined]
        assert "merge it into another name" in sections["This pane"]


def test_search_terms_and_refinement() -> None:
    person = Entity("Sergey Lavrov", "PERSON", 3, ("a",), ("Lavrov",))
    date = Entity("April 13", "DATE", 1, ("a",), ())
    assert view.search_term(person) == 'person:"Sergey Lavrov"'
    assert view.search_term(date) == '"April 13"'
    assert view.search_term(Entity('The "Troika"', "ORG", 1, (), ())) == 'org:"The Troika"'
    assert view.refine("", 'person:"X"') == 'person:"X"'
    assert view.refine("iran", 'person:"X"') == 'iran person:"X"'
    assert view.refine("iran OR syria", 'person:"X"') == '(iran OR syria) person:"X"'
    assert view.refine('iran person:"X"', 'person:"X"') == 'iran person:"X"'


async def test_a_long_unindexed_document_waits_for_the_index(make_app: App, corpus: Path) -> None:
    from margin.tui.widgets.entities_pane import EXTRACT_ON_OPEN, TOO_LONG

    body = (corpus / LAVROV_DOC).read_text(encoding="utf-8")
    long = corpus.parent / "long"
    long.mkdir()
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    copies = EXTRACT_ON_OPEN // len(body) + 2  # numbered, so no copy is dropped as a repeat
    text = "A Long Report\n\n" + "\n\n".join(
        f"{p} [{i}]" for i in range(copies) for p in paragraphs
    )
    (long / "report.txt").write_text(text, encoding="utf-8")
    app = make_app(long, sync_on_start=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.open_document("report.txt")
        pane = app.query_one(EntitiesPane)
        await until(pilot, lambda: pane._status == TOO_LONG)
        assert pane.entities == () and "This document is long" in screen_text(app)
        await pilot.press("ctrl+r")  # the sync reads the names; the pane then lists them
        await until(pilot, lambda: bool(pane.entities), timeout=60)
        await settle(pilot)
        assert "Sergey Lavrov" in names(pane.entities)
        assert len(app.reader._layers[view.ENTITIES_LAYER].starts) == len(pane.mentions)


async def test_a_bad_entities_yaml_is_reported_once_and_its_good_parts_apply(
    make_app: App, corpus: Path
) -> None:
    path = config_path(corpus)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("aliases:\n  Russia: [Moscow]\nkinds:\n  Kremlin: WRONG\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        assert "Moscow" not in names(pane.entities)
        assert "Moscow" in next(e for e in pane.entities if e.name == "Russia").aliases
        told = [n for n in app._notifications if n.title == "entities.yaml"]
        assert len(told) == 1 and f"{path}:4:" in told[0].message
        await open_doc(pilot, SHOIGU_DOC)
        assert len([n for n in app._notifications if n.title == "entities.yaml"]) == 1
