"""The log file: where records go, the --log-level option, and bugs reported in one line."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_margin


def test_commands_log_to_the_state_folder(env: dict[str, str], corpus: Path) -> None:
    done = run_margin(env, "index", str(corpus), "--log-level", "debug")
    assert done.returncode == 0, done.stderr
    log = Path(env["MARGIN_STATE_DIR"]) / "margin.log"
    assert log.is_file()
    assert "Traceback" not in done.stderr


def test_a_bad_log_level_is_a_usage_error(env: dict[str, str], corpus: Path) -> None:
    done = run_margin(env, "index", str(corpus), "--log-level=loud")
    assert done.returncode == 2
    assert "--log-level" in done.stderr or "log level" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_failure_is_one_line_on_screen_and_a_log_record(
    env: dict[str, str], corpus: Path
) -> None:
    blocker = Path(env["MARGIN_CACHE_DIR"]) / "indexes"
    blocker.write_text("not a folder")
    done = run_margin(env, "search", str(corpus), "Lavrov")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 3
    log = (Path(env["MARGIN_STATE_DIR"]) / "margin.log").read_text(encoding="utf-8")
    assert "cannot open the index" in log
