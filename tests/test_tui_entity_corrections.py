"""Corrections in the entities pane, driven with Pilot on a copy of seeds/: ``k`` re-kinds,
``u`` undoes, ``U`` splits a saved merge, ``H`` shows a hidden name again. Each writes
entities.yaml, shows at once in the pane, and changes what ``person:``/``org:`` searches find
(a fresh Library over the same folder is the oracle)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from margin.search.entities import EntityConfig, config_path
from margin.search.library import Library
from margin.tui.app import MarginApp
from margin.tui.widgets.entities_pane import EntitiesPane
from margin.tui.widgets.entity_prompts import NamePrompt
from margin.tui.widgets.merge_prompt import MergePrompt
from tui_helpers import settle, until

App = Callable[..., MarginApp]
LAVROV_DOC = "001_e70ce7391ee82bdc.txt"


def saved(corpus: Path) -> EntityConfig:
    config, problems = EntityConfig.load(config_path(corpus))
    assert problems == []
    return config


def kinds_listed(pane: EntitiesPane) -> dict[str, str]:
    return {e.name: e.kind for e in pane.shown}


async def open_doc(pilot: Any, doc_id: str) -> EntitiesPane:
    app = pilot.app
    await settle(pilot)
    app.open_document(doc_id)
    pane = app.query_one(EntitiesPane)
    await until(pilot, lambda: pane.document_id == doc_id and bool(pane.entities))
    await settle(pilot)
    await pilot.press("3")
    return pane


async def answer(pilot: Any, screen: type, text: str) -> None:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, screen))
    await pilot.press(*["space" if c == " " else c for c in text])
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(app.screen, screen))
    await settle(pilot)


def hits(corpus: Path, query: str) -> set[str]:
    fresh = Library(corpus)
    try:
        return {h.id for h in fresh.search(query).hits}
    finally:
        fresh.close()


async def test_k_changes_the_kind_in_the_pane_the_yaml_and_searches(
    make_app: App, corpus: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        assert kinds_listed(pane)["Tehran"] == "PLACE"
        assert LAVROV_DOC not in hits(corpus, 'org:"Tehran"')
        assert pane.select_entity("Tehran")
        await pilot.press("k")
        await answer(pilot, NamePrompt, "org")
        assert saved(corpus).kinds == {"Tehran": "ORG"}
        await until(pilot, lambda: kinds_listed(pane).get("Tehran") == "ORG")
        assert LAVROV_DOC in hits(corpus, 'org:"Tehran"')
        assert LAVROV_DOC not in hits(corpus, 'place:"Tehran"')

        await pilot.press("u")  # undo: back to a place, the file as before
        await settle(pilot)
        await until(pilot, lambda: kinds_listed(pane).get("Tehran") == "PLACE")
        assert saved(corpus).kinds == {}
        assert LAVROV_DOC in hits(corpus, 'place:"Tehran"')


async def test_an_unknown_kind_is_refused_and_nothing_is_written(
    make_app: App, corpus: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        assert pane.select_entity("Tehran")
        await pilot.press("k")
        await answer(pilot, NamePrompt, "planet")
        assert not config_path(corpus).exists()
        assert kinds_listed(pane)["Tehran"] == "PLACE"


async def test_u_undoes_a_hide_and_h_unhides_a_saved_one(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        assert pane.select_entity("Tehran")
        await pilot.press("x")
        await settle(pilot)
        await until(pilot, lambda: "Tehran" not in kinds_listed(pane))
        assert saved(corpus).hide == ["Tehran"]
        await pilot.press("u")
        await settle(pilot)
        await until(pilot, lambda: "Tehran" in kinds_listed(pane))
        assert saved(corpus).hide == []

        assert pane.select_entity("Moscow")
        await pilot.press("x")
        await settle(pilot)
        await until(pilot, lambda: "Moscow" not in kinds_listed(pane))
        await pilot.press("H")
        await answer(pilot, NamePrompt, "Moscow")
        await until(pilot, lambda: "Moscow" in kinds_listed(pane))
        assert saved(corpus).hide == []
        assert LAVROV_DOC in hits(corpus, 'place:"Moscow"')


async def test_u_undoes_a_merge_and_split_frees_a_saved_one(make_app: App, corpus: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        pane = await open_doc(pilot, LAVROV_DOC)
        assert pane.select_entity("Moscow")
        await pilot.press("m")
        await answer(pilot, MergePrompt, "Russia")
        await until(pilot, lambda: "Moscow" not in kinds_listed(pane))
        assert "Moscow" in saved(corpus).aliases["Russia"]
        await pilot.press("u")
        await settle(pilot)
        await until(pilot, lambda: "Moscow" in kinds_listed(pane))
        assert saved(corpus).aliases == {}

        assert pane.select_entity("Moscow")  # merge again, then split it from the merged one
        await pilot.press("m")
        await answer(pilot, MergePrompt, "Russia")
        await until(pilot, lambda: "Moscow" not in kinds_listed(pane))
        assert pane.select_entity("Russia")
        await pilot.press("U")
        await settle(pilot)
        await until(pilot, lambda: "Moscow" in kinds_listed(pane))
        assert saved(corpus).aliases == {}
        assert 'place:"Moscow"' not in Library(corpus)._widen('place:"Russia"')
