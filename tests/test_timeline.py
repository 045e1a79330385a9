"""Timeline: documents per month or year, a selected range back to a working date clause."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run_margin
from corpus_factory import generated_corpus, write_files
from margin.search.library import Library
from margin.search.timeline import for_documents, for_query, from_dates, narrow, range_clause


def test_short_ranges_are_monthly_with_gaps_kept() -> None:
    timeline = from_dates(["2019-01-05", "2019-01-20", "2019-04", "2019", None, "garbage"])
    assert timeline.unit == "month"
    assert [(b.label, b.count) for b in timeline.buckets] == [
        ("2019-01", 2),
        ("2019-02", 0),
        ("2019-03", 0),
        ("2019-04", 1),
    ]
    assert timeline.unplaced == 3 and timeline.total == 6
    assert timeline.peak == 2


def test_long_ranges_are_yearly() -> None:
    timeline = from_dates(["1990-03-01", "1995", "2001-12-31"])
    assert timeline.unit == "year"
    assert len(timeline.buckets) == 12
    assert timeline.buckets[0].label == "1990" and timeline.buckets[-1].count == 1
    assert from_dates([None, None]).buckets == ()


def test_a_selected_range_narrows_the_query_to_exactly_its_documents(tmp_path: Path) -> None:
    root = generated_corpus(tmp_path / "c", 48)  # dates 2019-01 .. 2019-12, 4 a month
    library = Library(root)
    library.extract_entities = False
    library.sync()
    timeline = for_query(library, "amelia")
    assert timeline.unit == "month" and len(timeline.buckets) == 12
    assert all(b.count == 4 for b in timeline.buckets)
    clause = timeline.clause(5, 2)
    assert clause == range_clause("2019-03", "2019-06") == "date:[2019-03 TO 2019-06]"
    narrowed = library.search(narrow("amelia", clause), limit=None)
    assert narrowed.total == 16
    assert all("2019-03" <= (h.date or "") <= "2019-06-99" for h in narrowed.hits)
    assert narrow("*", clause) == clause and narrow(" ", clause) == clause
    assert for_query(library, "*") == for_query(library, "amelia")
    ids = [h.id for h in narrowed.hits[:3]]
    assert sum(b.count for b in for_documents(library, ids).buckets) == 3


def test_cli_timeline_json(tmp_path: Path, env: dict[str, str]) -> None:
    root = write_files(
        tmp_path / "c",
        {
            "a.txt": "A\n2001-02-03\n\nword\n",
            "b.txt": "B\n2003-07-01\n\nword\n",
            "c.txt": "C\n\nword",
        },
    )
    done = run_margin(env, "timeline", str(root), "word", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["unit"] == "month" and data["total"] == 3 and data["unplaced"] == 1
    assert data["buckets"][0] == {"label": "2001-02", "count": 1}
