"""Opt-in (``MARGIN_SLOW=1 pytest -m slow``): the app opens BBC News and 20 Newsgroups from
``../shared/corpora`` with no index yet, as a new user would: progress, documents listed while
indexing goes on, a search, a document opened, a clean quit. Unpacked to a temporary folder,
never copied into the project."""

from __future__ import annotations

import os
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from margin.tui.app import MarginApp
from tui_helpers import settle, until

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("MARGIN_SLOW"), reason="set MARGIN_SLOW=1"),
]


@pytest.mark.parametrize(
    ("name", "count", "query"),
    # 20 Newsgroups has 18,846 files; one is binary (mostly control characters) and skipped.
    [("bbc", 2225, "blair"), ("20news", 18845, "encryption")],
)
async def test_a_real_corpus_opens_with_no_index(
    make_app: Callable[..., MarginApp],
    tmp_path: Path,
    name: str,
    count: int,
    query: str,
) -> None:
    archive = CORPORA / f"{name}.tar.gz"
    if not archive.is_file():
        pytest.skip(f"no {archive}")
    with tarfile.open(archive) as opened:
        opened.extractall(tmp_path, filter="data")
    folder = tmp_path / name
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        listed_early = False

        def done() -> bool:
            nonlocal listed_early
            listed_early |= app.indexing and 0 < len(app.document_list.rows) < count
            return not app.indexing and len(app.documents) == count

        await until(pilot, done, timeout=3600)
        assert listed_early, "no document was listed before indexing ended"
        await settle(pilot, timeout=120)
        assert f"index ready · {count} documents" in app.status.text
        await pilot.press("slash", *query, "enter")
        await until(pilot, lambda: app.results is not None and app.results.query == query, 60)
        assert app.results is not None and app.results.total > 10
        await pilot.press("enter")
        await until(pilot, lambda: app.reader.document is not None, 60)
        await pilot.press("escape", "q")
    assert app.return_value == 0
