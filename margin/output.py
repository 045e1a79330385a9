"""Rich output for the CLI: messages and progress on stderr, results on stdout.

Kept apart from the commands so that ``--json`` never has a stray byte of decoration in it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

err = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=False)


def print_json(data: Any) -> None:
    """One JSON document on stdout, UTF-8, nothing else."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


@contextmanager
def progress_bar(label: str) -> Iterator[Any]:
    """A progress bar on stderr; yields ``update(done, total, phase)``. Silent when not a TTY."""
    if not err.is_terminal:
        yield lambda done, total, phase: None
        return
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, phase: str) -> None:
            shown = "indexing" if phase == "batch committed" else phase
            bar.update(task, completed=done, total=total or None, description=shown)

        yield update
