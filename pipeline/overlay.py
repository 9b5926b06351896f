"""A researcher's rule directories (`--rules DIR`, `rules=DIR`) laid over the built-in rules for a whole run.

The overlay itself is rules.use_rules; this module checks it before any document is read, keeps it in force
around each step of a lazy run, and gives the commands their `--rules` option.
"""
from __future__ import annotations

import contextlib
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")

RULES_HELP = ("a directory of rules files laid over the built-in rules/ (a file of the same name extends the "
              "built-in one, or replaces it with `replace: true`; see docs/rules.md); repeatable, later ones win")


def add_rules_argument(parser) -> None:
    """Add `--rules DIR` (repeatable) to a command."""
    parser.add_argument("--rules", action="append", metavar="DIR", default=None, help=RULES_HELP)


def overlay_dirs(rules) -> tuple[str, ...]:
    """The rule directories as absolute path strings (what worker processes and Dask workers are given);
    RULES None: the overlay in force."""
    from rules import active_overlay, normalize_overlay

    return tuple(str(p) for p in (active_overlay() if rules is None else normalize_overlay(rules)))


@contextlib.contextmanager
def rules_in_force(rules) -> Iterator[None]:
    """Inside the block, RULES are laid over the built-in rules, all checked first (raises rules.RuleError).

    RULES None keeps the overlay already in force (a caller's `use_rules` block), and checks it.
    """
    import extractors

    with _overlay(rules):
        extractors.check_rules()
        yield


def _overlay(rules):
    """use_rules(RULES), or nothing for None (the overlay in force stays)."""
    from rules import use_rules

    return contextlib.nullcontext() if rules is None else use_rules(rules)


def check_overlay(rules) -> None:
    """Load and check every rules file with RULES laid over the built-in ones; raise rules.RuleError if one is bad."""
    with rules_in_force(rules):
        pass


def under_rules(rules, items: Iterable[T]) -> Iterator[T]:
    """The items of a lazy iterable, each produced with RULES in force (the overlay never leaks between items)."""
    iterator = iter(items)
    while True:
        with _overlay(rules):
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item
