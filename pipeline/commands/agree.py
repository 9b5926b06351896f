"""`chiso agree` (placeholder until implemented)."""
from __future__ import annotations

import sys


def register(sub) -> None:
    """Add the `agree` subcommand."""
    p = sub.add_parser("agree", help="(not implemented yet)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    print("chiso agree: not implemented yet", file=sys.stderr)
    return 2
