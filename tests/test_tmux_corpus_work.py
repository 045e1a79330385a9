"""The installed ``margin`` binary in tmux: run a saved search, bulk-tag its results (document
tags, then the sentences of every hit from the KWIC view), and find the tags on disk and by
search after a restart. Skipped without tmux or the console script (see test_tmux_smoke)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from margin.search.doctags import DocTagStore
from margin.search.saved_searches import SavedSearchStore
from test_tmux_smoke import Terminal, _quit, launch  # noqa: F401  (launch is a fixture)

pytestmark = pytest.mark.tmux


def test_run_a_saved_search_and_bulk_tag_its_results(
    launch: Callable[..., Terminal],  # noqa: F811
    corpus: Path,
) -> None:
    SavedSearchStore(corpus).add("lavrov coverage", "lavrov")
    terminal = launch()
    terminal.wait_for(lambda s: "index ready" in s and re.search(r"lavrov coverage +3│", s))
    terminal.keys("5")  # focus the saved searches
    terminal.keys("Enter")  # run the saved search
    terminal.wait_for(lambda s: "3 hits" in s)
    # every result gets a document tag, after a confirmation with the count
    terminal.keys("C-a")
    terminal.wait_for(lambda s: "Tag every result" in s)
    terminal.keys("-l", "russia-watch")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "Tag 3 documents matching 'lavrov'" in s)
    terminal.keys("y")
    terminal.wait_for(lambda s: s.count("#russia-watch") == 3)
    assert len(DocTagStore(corpus).load().tags) == 3
    # the sentences of every hit, from the KWIC view
    terminal.keys("K")
    terminal.wait_for(lambda s: "KWIC: lavrov" in s and "hits in 3 documents" in s)
    terminal.keys("T")
    terminal.wait_for(lambda s: "Tag the sentences of every hit" in s)
    terminal.keys("-l", "lavrov-said")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "Tag many sentences" in s and "in 3 documents" in s)
    terminal.keys("y")
    terminal.wait_for(lambda s: "tagged" in s and "sentences in 3 documents" in s)
    files = list((corpus / ".margin" / "annotations").rglob("*.yaml"))
    assert len(files) == 3
    assert all('- "lavrov-said"' in f.read_text("utf-8") for f in files)
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "1 documents" in s)
    _quit(terminal)
    again = launch()
    again.wait_for(lambda s: "index ready" in s)
    again.keys("/")
    again.wait_for(lambda s: "esc Back" in s)
    again.keys("-l", "doctag:russia-watch AND tag:lavrov-said")
    again.wait_for(lambda s: "3 hits" in s)
    again.keys("Enter")  # to the list, so q quits rather than types
    again.wait_for(lambda s: "s Sort" in s)
    _quit(again)
