"""A PDF in the reader: the status line says which page the reading position is on."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from format_factory import filler, pdf
from margin.tui.app import MarginApp
from tui_helpers import settle, until


async def test_the_status_line_names_the_page_of_a_pdf(
    make_app: Callable[..., MarginApp], tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    pdf(folder / "report.pdf", [filler(page, 40) for page in range(1, 4)])
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: not app.indexing and len(app.documents) == 1, timeout=120)
        await settle(pilot)
        app.open_document("report.pdf")
        await until(pilot, lambda: app.reader.document is not None, timeout=60)
        await settle(pilot)
        assert "p. 1/3" in app.status.text
        app.reader.focus()
        await pilot.press("G")
        await until(pilot, lambda: "p. 3/3" in app.status.text, timeout=30)
