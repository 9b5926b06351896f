"""Which rule each evaluation error is owed to, so that errors can be read rule by rule.

- a spurious or wrong-value prediction: its candidate rule (the first of the record's `rules`);
- a missed gold mention: the exclusion rule that dropped that number, found by explaining the document
  text as `chiso extract` reads it (pipeline.explain, with the rules overlay in force), or a label in
  brackets when no rule is to blame: see the *_LABEL constants.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Sequence

from pipeline.scoring import ERROR_TYPES, ScoreError, error_line

NO_RULES_LABEL = "(prediction without rule ids)"       # another system's output, or a file older than rule ids
NO_TEXT_LABEL = "(no document text: give --corpus)"    # a missed number cannot be explained without its text
NOT_READ_LABEL = "(not read as a number)"              # no candidate rule read anything there
KEPT_LABEL = "(a mention when explained now)"          # the extractor keeps it today: predictions from other rules?


def assign_rules(errors: Sequence[ScoreError], texts: dict[str, str] | None, clean: bool = True) -> None:
    """Set `rule` on every error (see the module doc); the explanation of each document is computed once."""
    traces_of: dict[str, list] = {}
    for e in errors:
        if e.type != "missed":
            e.rule = (e.pred.rules[0] if e.pred is not None and e.pred.rules else NO_RULES_LABEL)
            continue
        text = (texts or {}).get(e.doc_id)
        if text is None:
            e.rule = NO_TEXT_LABEL
            continue
        if e.doc_id not in traces_of:
            traces_of[e.doc_id] = _traces(e.doc_id, text, clean)
        e.rule = _exclusion_of(traces_of[e.doc_id], e.start, e.end)


def _traces(doc_id: str, text: str, clean: bool) -> list:
    """Every number of the document with its outcome (pipeline.explain)."""
    from pipeline.document import Document
    from pipeline.explain import explain_document

    return explain_document(Document(doc_id, text), clean=clean)


def _exclusion_of(traces: Sequence, start: int, end: int) -> str:
    """The rule that dropped the number(s) overlapping [start, end): the first exclusion, else a label."""
    overlapping = [t for t in traces if t.start < end and start < t.end]
    excluded = [t for t in overlapping if t.outcome == "excluded"]
    if excluded:
        return excluded[0].rule
    return KEPT_LABEL if overlapping else NOT_READ_LABEL


def by_rule(errors: Sequence[ScoreError]) -> list[tuple[str, list[ScoreError]]]:
    """The errors grouped by rule, the rule with most errors first (then by rule id); order kept inside a group."""
    groups: dict[str, list[ScoreError]] = defaultdict(list)
    for e in errors:
        groups[e.rule or NO_RULES_LABEL].append(e)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def counts_by_rule(errors: Sequence[ScoreError]) -> dict[str, dict[str, int]]:
    """{rule: {"missed": n, "spurious": n, "wrong_value": n, "total": n}}, the rule with most errors first."""
    out = {}
    for rule, group in by_rule(errors):
        counts = Counter(e.type for e in group)
        out[rule] = {**{t: counts[t] for t in ERROR_TYPES}, "total": len(group)}
    return out


def format_by_rule(errors: Sequence[ScoreError]) -> str:
    """The error listing grouped by rule: a count line per rule, then one line per error and its sentence."""
    lines: list[str] = []
    for rule, group in by_rule(errors):
        counts = Counter(e.type for e in group)
        detail = ", ".join(f"{counts[t]} {t.replace('_', ' ')}" for t in ERROR_TYPES if counts[t])
        if lines:
            lines.append("")
        lines.append(f"== {rule}: {len(group)} error{'s' if len(group) != 1 else ''} ({detail})")
        for e in group:
            lines += error_line(e, with_doc=True)
    return "\n".join(lines) if lines else "no errors"
