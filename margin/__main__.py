"""``python -m margin`` runs the same CLI as the ``margin`` script."""

from __future__ import annotations

from margin.cli import main

raise SystemExit(main())
