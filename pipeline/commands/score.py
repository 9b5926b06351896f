"""`chiso score` (placeholder until implemented)."""
from __future__ import annotations

import sys


def register(sub) -> None:
    """Add the `score` subcommand."""
    p = sub.add_parser("score", help="(not implemented yet)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    print("chiso score: not implemented yet", file=sys.stderr)
    return 2
