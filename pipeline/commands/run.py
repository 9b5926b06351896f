"""`chiso run` (placeholder until implemented)."""
from __future__ import annotations

import sys


def register(sub) -> None:
    """Add the `run` subcommand."""
    p = sub.add_parser("run", help="(not implemented yet)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    print("chiso run: not implemented yet", file=sys.stderr)
    return 2
