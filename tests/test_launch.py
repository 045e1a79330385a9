"""``margin`` exits non-zero after any crash, with the traceback in the log file and one
line on the screen (issue 13 item 10)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from margin.search import logs
from margin.search.paths import log_file
from margin.tui.app import MarginApp
from margin.tui.launch import run, serve


class Crashing(MarginApp):
    def on_mount(self) -> None:
        raise RuntimeError("planted crash for the test")


class Quitting(MarginApp):
    def on_mount(self) -> None:
        self.set_timer(0.05, self.exit)


@pytest.fixture
def state(margin_dirs: dict[str, Path]) -> Iterator[Path]:
    """This test's log file: the margin logger's handlers are dropped before and after, since
    ``logs.setup`` keeps the first file it opened for the whole process."""

    def drop() -> None:
        for handler in list(logs.logger.handlers):
            logs.logger.removeHandler(handler)
            handler.close()

    drop()
    yield log_file()
    drop()


def test_a_crash_in_the_app_exits_1_and_logs_the_traceback(
    corpus: Path, state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = logs.setup()
    code = serve(Crashing(corpus, watch=False, blink=False), path, headless=True)
    assert code == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "planted crash" not in out.err
    assert str(log_file()) in out.err
    assert len(out.err.strip().splitlines()) == 1
    logged = log_file().read_text("utf-8")
    assert "planted crash for the test" in logged and "RuntimeError" in logged


def test_a_normal_quit_exits_0(
    corpus: Path, state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = serve(Quitting(corpus, watch=False, blink=False), logs.setup(), headless=True)
    assert code == 0
    assert capsys.readouterr().err == ""


def test_a_failure_before_the_app_starts_exits_1(
    tmp_path: Path, state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x", "utf-8")
    code = run(not_a_folder)
    err = capsys.readouterr().err
    assert code == 1 and str(log_file()) in err


def test_the_app_module_still_exports_run() -> None:
    from margin.tui import app, launch

    assert callable(app.run)
    assert launch.run.__module__ == "margin.tui.launch"
