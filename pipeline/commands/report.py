"""`chiso report` (placeholder until implemented)."""
from __future__ import annotations

import sys


def register(sub) -> None:
    """Add the `report` subcommand."""
    p = sub.add_parser("report", help="(not implemented yet)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    print("chiso report: not implemented yet", file=sys.stderr)
    return 2
