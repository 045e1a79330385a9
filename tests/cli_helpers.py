"""Running the ``margin`` command in a real process, as scripts and users do."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_margin(
    env: Mapping[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``python -m margin ARGS`` with ``env`` (which names the test's private folders)."""
    return subprocess.run(
        [sys.executable, "-m", "margin", *args],
        capture_output=True,
        text=True,
        env=dict(env),
        cwd=ROOT,
        timeout=timeout,
    )
