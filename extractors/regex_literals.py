"""The literal strings a regular expression cannot match without: a cheap test that rules a pattern out.

A combined alternation of many case-insensitive patterns costs the regex engine every alternative at every position
of the text; asking first whether the case-folded text contains one of the strings each pattern needs (`str in`, a
fast substring search) leaves the engine only the few patterns that can match. The patterns are read with Python's
own regular expression parser; a pattern it cannot read (syntax of the `regex` module only) needs nothing, which is
always safe.
"""
from __future__ import annotations

import warnings

try:                                    # Python 3.11+: the parser moved; sre_parse remains as a deprecated alias
    from re import _constants as _c
    from re import _parser as _parse
except ImportError:                     # pragma: no cover - Python 3.10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants as _c
        import sre_parse as _parse


def required_literals(pattern: str) -> frozenset[str] | None:
    """Case-folded strings one of which is in every text PATTERN matches (case-insensitively, the text case-folded
    too), or None when the pattern needs no particular string (or cannot be read by Python's parser)."""
    try:
        parsed = _parse.parse(pattern)
    except (_c.error, OverflowError, RecursionError, ValueError):
        return None
    needs = _needs(list(parsed))
    return frozenset(s.casefold() for s in needs) if needs else None


def may_match(needs: tuple, folded: str) -> bool:
    """True when some pattern, given by what it needs (`required_literals` of each), may match FOLDED (a text after
    str.casefold)."""
    for need in needs:
        if need is None or any(s in folded for s in need):
            return True
    return False


def _needs(items: list) -> set[str] | None:
    """The most selective requirement of a sequence: among its literal runs and its required parts, the one whose
    shortest string is longest (each alternative of a group or a branch contributes its own requirement)."""
    options: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            options.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        if op is _c.SUBPATTERN:
            need = _needs(list(av[-1]))
        elif op is _c.BRANCH:
            alternatives = [_needs(list(b)) for b in av[1]]
            need = set().union(*alternatives) if all(alternatives) else None
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            need = _needs(list(av[2]))
        else:                           # a class, any character, an assertion, an optional part: needs nothing
            need = None
        if need:
            options.append(need)
    close_run()
    if not options:
        return None
    return max(options, key=lambda need: (min(map(len, need)), -len(need)))
