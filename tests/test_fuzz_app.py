"""1,000 seeded random keys on the real app: no exception, no hang, no annotation lost.

Keys are drawn from every binding of the app and its panes and dialogs, plus printable
characters, escape, enter, tab and ctrl+p (the command palette); the keys that quit (``q``,
``ctrl+c``, ``ctrl+q``) are left out. After the run every annotation the app last showed for a
document must be on disk, as a fresh :class:`AnnotationStore` reads the YAML files back.

The 3,000-file run is opt-in (``MARGIN_SLOW=1``): the folder is generated and indexed with
``margin index`` first, then fuzzed the same way.
"""

from __future__ import annotations

import asyncio
import os
import random
import string
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import run_margin
from margin.search.annotations import AnnotationStore
from margin.tui.app import MarginApp
from margin.tui.messages import AnnotationsChanged
from margin.tui.widgets.annotation_editor import AnnotationEditor
from margin.tui.widgets.annotations_pane import AnnotationsPane
from margin.tui.widgets.document_list import DocumentList
from margin.tui.widgets.entities_pane import EntitiesPane
from margin.tui.widgets.merge_prompt import MergePrompt
from margin.tui.widgets.reader import Reader
from margin.tui.widgets.search_bar import SearchBar
from textual.binding import Binding
from textual.message import Message
from tui_helpers import settle

SEED = 20261130
KEYS = 1000
QUIT_KEYS = {"q", "ctrl+c", "ctrl+q"}
STALL = 60.0
"""Seconds one key may take before the run counts as hung (a hang detector, not a timing)."""


def binding_keys() -> list[str]:
    """Every key bound by the app, its panes and its dialogs, aliases split out."""
    keys: set[str] = set()
    for cls in (
        MarginApp,
        Reader,
        DocumentList,
        EntitiesPane,
        AnnotationsPane,
        SearchBar,
        AnnotationEditor,
        MergePrompt,
    ):
        for binding in cls.BINDINGS:
            if isinstance(binding, Binding):
                keys.update(k.strip() for k in binding.key.split(","))
    return sorted(keys - QUIT_KEYS)


def key_stream(seed: int, count: int) -> list[str]:
    """Half bound keys, the rest printable characters and the keys every dialog reacts to."""
    rng = random.Random(seed)
    bound = binding_keys()
    printable = [c for c in string.ascii_letters + string.digits + " -,.#" if c != "q"]
    special = ["escape", "enter", "tab", "ctrl+p", "backspace"]
    keys = []
    for _ in range(count):
        roll = rng.random()
        pool = bound if roll < 0.5 else special if roll < 0.65 else printable
        keys.append(rng.choice(pool))
    return keys


async def fuzz(app: MarginApp, keys: list[str], seen: dict[str, tuple[Any, ...]]) -> None:
    async with app.run_test(size=(120, 40), message_hook=_recorder(seen)) as pilot:
        await settle(pilot, timeout=120)
        for index, key in enumerate(keys):
            try:
                await asyncio.wait_for(pilot.press(key), STALL)
            except TimeoutError:
                raise AssertionError(f"key {index} ({key!r}) hung the app") from None
            assert app.is_running, f"the app stopped after key {index} ({key!r})"
            if index % 50 == 49:
                await settle(pilot, timeout=120)
        await pilot.press("escape", "escape", "escape")
        await settle(pilot, timeout=120)
    assert app.return_code in (None, 0)


def _recorder(seen: dict[str, tuple[Any, ...]]) -> Any:
    def hook(message: Message) -> None:
        if isinstance(message, AnnotationsChanged):
            seen[message.doc_id] = message.annotations

    return hook


def assert_all_on_disk(root: Path, seen: dict[str, tuple[Any, ...]]) -> int:
    """Every annotation the app last showed is in the YAML files; returns how many."""
    on_disk = AnnotationStore(root).all()
    assert not on_disk.problems, on_disk.problems
    by_doc: dict[str, dict[str, tuple[Any, ...]]] = {}
    for a in on_disk.annotations:
        by_doc.setdefault(a.doc, {})[a.id] = (tuple(a.tags), a.note)
    total = 0
    for doc, shown in seen.items():
        app_view = {a.id: (tuple(a.tags), a.note) for a in shown}
        assert app_view == by_doc.get(doc, {}), doc
        total += len(app_view)
    return total


async def test_a_thousand_random_keys_on_the_sample(make_app: Any, corpus: Path) -> None:
    seen: dict[str, tuple[Any, ...]] = {}
    await fuzz(make_app(), key_stream(SEED, KEYS), seen)
    assert_all_on_disk(corpus, seen)


def test_the_key_stream_reaches_the_palette_and_the_editors() -> None:
    keys = key_stream(SEED, KEYS)
    assert "ctrl+p" in keys and "t" in keys and "a" in keys and "v" in keys
    assert not QUIT_KEYS & set(keys)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("MARGIN_SLOW"), reason="opt-in: MARGIN_SLOW=1")
async def test_a_thousand_random_keys_on_three_thousand_files(
    tmp_path: Path, env: dict[str, str]
) -> None:
    root = tmp_path / "big"
    root.mkdir()
    rng = random.Random(SEED)
    words = [
        "iran",
        "russia",
        "oil",
        "treaty",
        "minister",
        "talks",
        "market",
        "bank",
        "london",
        "moscow",
        "tehran",
    ]
    for i in range(3000):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(40, 200)))
        (root / f"{i:04d}.txt").write_text(f"Document {i}\n\n{body.capitalize()}.\n", "utf-8")
    done = run_margin(env, "index", str(root))
    assert done.returncode == 0, done.stderr
    seen: dict[str, tuple[Any, ...]] = {}
    await fuzz(MarginApp(root, watch=False, blink=False), key_stream(SEED + 1, KEYS), seen)
    assert_all_on_disk(root, seen)
