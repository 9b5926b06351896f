"""`chiso extract` (placeholder until implemented)."""
from __future__ import annotations

import sys


def register(sub) -> None:
    """Add the `extract` subcommand."""
    p = sub.add_parser("extract", help="(not implemented yet)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    print("chiso extract: not implemented yet", file=sys.stderr)
    return 2
