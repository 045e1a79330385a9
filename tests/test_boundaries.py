"""The architecture's promises, checked: a headless engine and Whoosh behind one facade."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_WHOOSH_IMPORT = re.compile(r"^\s*(?:from|import)\s+whoosh\b", re.M)


def test_search_never_imports_textual_or_rich() -> None:
    code = (
        "import sys, margin.search, margin.search.library, margin.search.query, "
        "margin.search.corpus, margin.search.index, margin.search.annotations, "
        "margin.search.entities\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich'}"
        " or m.startswith('margin.tui'))\n"
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


def test_the_wheel_installs_one_top_level_package(tmp_path: Path) -> None:
    """Nothing but ``margin`` (and its metadata) lands at the top of site-packages, and the
    installed package finds its engine, app and bundled files inside itself."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("margin-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    top = sorted(p.name for p in site.iterdir() if p.name != "bin")
    assert [n for n in top if not n.endswith(".dist-info")] == ["margin"]
    probe = (
        "import margin, margin.search.library, margin.tui.app, margin.cli\n"
        "from margin.search import bundled\n"
        "print(margin.__file__, bundled.seeds_dir(), bundled.themes_dir())"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        check=True,
    )
    assert all(part.startswith(str(site)) for part in done.stdout.split())
