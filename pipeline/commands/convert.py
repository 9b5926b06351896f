"""`chiso convert` (placeholder until implemented)."""
from __future__ import annotations

import sys


def register(sub) -> None:
    """Add the `convert` subcommand."""
    p = sub.add_parser("convert", help="(not implemented yet)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    print("chiso convert: not implemented yet", file=sys.stderr)
    return 2
