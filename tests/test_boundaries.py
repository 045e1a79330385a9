"""The architecture's promises, checked: a headless engine and Whoosh behind one facade."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_WHOOSH_IMPORT = re.compile(r"^\s*(?:from|import)\s+whoosh\b", re.M)


def test_search_never_imports_textual_or_rich() -> None:
    code = (
        "import sys, search, search.library, search.query, search.corpus, search.index, "
        "search.annotations, search.entities\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich', 'tui'})\n"
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == ""


def test_only_the_index_package_imports_whoosh() -> None:
    offenders = [
        path.relative_to(ROOT).as_posix()
        for folder in ("search", "tui", "margin")
        for path in (ROOT / folder).rglob("*.py")
        if _WHOOSH_IMPORT.search(path.read_text(encoding="utf-8"))
        and not path.is_relative_to(ROOT / "search" / "index")
    ]
    assert offenders == []
