"""What happens when a worker fails: a log line with the traceback and a notice on screen.

Workers run with ``exit_on_error=False`` so a failure never takes the app down; Textual then
only marks the worker as failed and tells the node that started it (the message does not
bubble). Every node that starts workers passes that message here, so no failure is silent.
"""

from __future__ import annotations

import logging

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

log = logging.getLogger("margin.tui.workers")


def report_failure(node: DOMNode, event: Worker.StateChanged) -> None:
    """Log a failed worker with its traceback and name it in a notice (never a traceback)."""
    if event.state is not WorkerState.ERROR:
        return
    error = event.worker.error
    log.error("worker %s of %r failed", event.worker.name, node, exc_info=error)
    node.app.notify(f"{event.worker.name}: {error}", title="Something failed", severity="error")
