"""`chiso crawl` (placeholder until implemented)."""
from __future__ import annotations

import sys


def register(sub) -> None:
    """Add the `crawl` subcommand."""
    p = sub.add_parser("crawl", help="(not implemented yet)")
    p.set_defaults(func=_run)


def _run(args) -> int:
    print("chiso crawl: not implemented yet", file=sys.stderr)
    return 2
