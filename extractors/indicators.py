"""Link a mention to a canonical indicator of rules/indicators.yaml (docs/indicators.md).

An indicator fits a mention when the mention's kind (and unit and change, where the indicator names them) is one
it expects and none of its `not_sentence` / `not_subject` patterns matches. Among the fitting indicators, a match of a
`subject` pattern on the mention's subject beats a match of a `sentence` pattern in the mention's clause (within
`sentence_window` characters of it); between sentence matches the nearest wins, then the longer matched text (the
more specific indicator), and on a full tie the indicator written first (built-in ones come before a researcher's).
No match: no indicator (precision over recall).
"""
from __future__ import annotations

from typing import NamedTuple

import regex

from extractors.regex_literals import may_match, required_literals
from rules import RuleError, load_rules, per_rules, rule_source

RULES_FILE = "indicators"
KINDS = ("count", "percent", "ratio", "rank", "money", "measure", "number")
CHANGES = ("increase", "decrease", "none")
ENTRY_KEYS = {"id", "label_vi", "label_en", "kind", "unit", "change", "subject", "sentence", "not_sentence",
              "not_subject", "reason", "examples"}
REQUIRED_KEYS = ("id", "label_vi", "label_en", "kind", "subject")
_FLAGS = regex.IGNORECASE | regex.V1
_CLAUSE_BREAKS = (";", "\n")
_COMMA_COST = 20


class Indicator(NamedTuple):
    """One compiled indicator of rules/indicators.yaml."""

    id: str
    label_vi: str
    label_en: str
    kinds: frozenset
    units: frozenset | None          # None: any unit
    changes: frozenset | None        # None: any change; "none" stands for no change
    subject: tuple                   # compiled patterns over the mention's subject
    sentence: tuple                  # compiled patterns over the mention's sentence
    not_sentence: tuple              # a match in the sentence vetoes the indicator
    not_subject: tuple               # a match in the subject vetoes the indicator
    subject_needs: tuple             # per subject pattern, the strings one of which it needs (regex_literals)
    sentence_needs: tuple            # the same per sentence pattern


def rule_id(indicator_id: str) -> str:
    """The rule id a record carries for INDICATOR_ID ("grdp_growth" -> "ind.grdp_growth")."""
    return f"ind.{indicator_id}"


@per_rules
def indicators() -> tuple[Indicator, ...]:
    """The indicators of rules/indicators.yaml in force, compiled, in file order (built-in first)."""
    out, seen = [], set()
    for i, entry in enumerate(load_rules(RULES_FILE)["indicators"]):
        ind = _compile_entry(entry, i)
        if ind.id in seen:
            raise RuleError(rule_source(RULES_FILE, ind.id), "R005", "duplicate indicator id",
                            rule_id(ind.id))
        seen.add(ind.id)
        out.append(ind)
    return tuple(out)


@per_rules
def _window() -> int:
    return int(load_rules(RULES_FILE)["sentence_window"])


@per_rules
def _by_id() -> dict[str, Indicator]:
    return {ind.id: ind for ind in indicators()}


def indicator_label(indicator_id: str) -> tuple[str, str] | None:
    """(Vietnamese label, English label) of INDICATOR_ID, or None for an unknown id."""
    ind = _by_id().get(indicator_id)
    return (ind.label_vi, ind.label_en) if ind else None


def indicator_reasons() -> dict[str, str]:
    """Rule id -> one-line reason, for every indicator in force (extractors.rule_catalog)."""
    raw = {e["id"]: e.get("reason") for e in load_rules(RULES_FILE)["indicators"]}
    return {rule_id(i.id): raw.get(i.id) or f"the indicator '{i.label_en}' ({i.label_vi}) from the subject or sentence"
            for i in indicators()}


def link_indicator(kind: str, unit: str | None, subject: str | None, sentence: str | None,
                   change: str | None = None, span: tuple[int, int] | None = None) -> tuple[str | None, str | None]:
    """(indicator id, rule id) of the indicator a mention refers to, or (None, None).

    SPAN (optional): the mention's (start, end) in SENTENCE; sentence patterns then see only its clause (the text
    between the semicolons or line breaks around it), since a long sentence lists figures of several indicators,
    and the match nearest the mention wins.
    """
    text = sentence or ""
    if span is None:
        return _link(kind, unit, subject or "", text, change, None)
    lo, hi = _clause_bounds(text, span[0])
    return _link(kind, unit, subject or "", text[lo:hi], change, (span[0] - lo, span[1] - lo))


def clause(sentence: str, at: int | None) -> str:
    """The part of SENTENCE between the clause breaks (";", line breaks) around offset AT (all of it if AT is None)."""
    if at is None:
        return sentence
    lo, hi = _clause_bounds(sentence, at)
    return sentence[lo:hi]


def _clause_bounds(sentence: str, at: int) -> tuple[int, int]:
    lo = max(sentence.rfind(c, 0, at) for c in _CLAUSE_BREAKS) + 1
    ends = [i for i in (sentence.find(c, at) for c in _CLAUSE_BREAKS) if i >= 0]
    return lo, min(ends) if ends else len(sentence)


@per_rules(maxsize=1 << 15)
def _link(kind: str, unit: str | None, subject: str, sentence: str, change: str | None, span):
    # Most figures link to no indicator: a substring test of what each pattern needs rules most indicators out
    # before any of their patterns runs.
    folded_subject, folded_sentence = subject.casefold(), sentence.casefold()
    best, best_key = None, (0, 0, 0)
    for ind in indicators():
        if kind not in ind.kinds or (ind.units is not None and unit not in ind.units):
            continue
        if ind.changes is not None and (change or "none") not in ind.changes:
            continue
        if not (may_match(ind.subject_needs, folded_subject) or may_match(ind.sentence_needs, folded_sentence)):
            continue
        key = _strength(ind, subject, sentence, span)
        if not key[0] or key <= best_key:
            continue                  # ties keep the earlier indicator
        if any(p.search(sentence) for p in ind.not_sentence):
            continue
        if subject and any(p.search(subject) for p in ind.not_subject):
            continue
        best, best_key = ind, key
    return (best.id, rule_id(best.id)) if best else (None, None)


def _strength(ind: Indicator, subject: str, sentence: str, span) -> tuple[int, int, int]:
    """How well IND matches, comparable between indicators: (level, -distance, length), (0, 0, 0) for no match.

    level 2: a subject pattern matches the subject; 1: a sentence pattern matches the sentence (clause), where
    the match nearest the mention (characters between it and SPAN, 0 when they touch, 20 more across a comma;
    farther than `sentence_window` does not count) comes first. Then the longest matched text.
    """
    if subject:
        found = [m.end() - m.start() for p in ind.subject if (m := p.search(subject))]
        if found:
            return 2, 0, max(found)
    if not sentence:
        return 0, 0, 0
    best, window = None, _window()
    for p in ind.sentence:
        for m in p.finditer(sentence):
            dist = 0 if span is None else max(0, span[0] - m.end(), m.start() - span[1])
            if dist and ", " in sentence[min(m.end(), span[1]):max(m.start(), span[0])]:
                dist += _COMMA_COST      # words across a comma (not a decimal one) often belong to the next figure
            if dist > window:
                continue
            key = (1, -dist, m.end() - m.start())
            best = key if best is None or key > best else best
    return best or (0, 0, 0)


def _compile_entry(entry: dict, i: int) -> Indicator:
    """One entry checked and compiled; a fault raises RuleError naming the indicator."""
    path = rule_source(RULES_FILE, str(entry.get("id", ""))) if isinstance(entry, dict) else None

    def fail(code: str, msg: str):
        rid = rule_id(entry["id"]) if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None
        raise RuleError(path or rule_source(RULES_FILE, ""), code, msg, rid)

    if not isinstance(entry, dict):
        fail("R002", f"'indicators[{i}]' must be a mapping")
    extra = set(entry) - ENTRY_KEYS
    if extra:
        fail("R001", f"unknown key '{sorted(extra)[0]}' in 'indicators[{i}]'")
    for key in REQUIRED_KEYS:
        if entry.get(key) in (None, "", []):
            fail("R007", f"missing key '{key}' in 'indicators[{i}]'")
    if not regex.fullmatch(r"[a-z0-9_]+", str(entry["id"])):
        fail("R002", f"indicator id {entry['id']!r} must be lower-case letters, digits and '_'")
    kinds = _as_list(entry["kind"])
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        fail("R002", f"kind {bad[0]!r} is not one of {', '.join(KINDS)}")
    changes = entry.get("change")
    if changes is not None:
        changes = _as_list(changes)
        if any(c not in CHANGES for c in changes):
            fail("R002", f"change must be a list of {', '.join(CHANGES)}")
    units = entry.get("unit")

    def compiled(key: str) -> tuple:
        pats = entry.get(key) or []
        if not isinstance(pats, list) or not all(isinstance(p, str) and p.strip() for p in pats):
            fail("R002", f"'{key}' must be a list of regular expressions")
        try:
            return tuple(regex.compile(p, _FLAGS) for p in pats)
        except regex.error as exc:
            fail("R004", f"'{key}' regex does not compile ({exc})")

    subject, sentence = compiled("subject"), compiled("sentence")
    return Indicator(str(entry["id"]), str(entry["label_vi"]), str(entry["label_en"]), frozenset(kinds),
                     None if units is None else frozenset(_as_list(units)),
                     None if changes is None else frozenset(changes),
                     subject, sentence, compiled("not_sentence"), compiled("not_subject"),
                     tuple(required_literals(p.pattern) for p in subject),
                     tuple(required_literals(p.pattern) for p in sentence))


def _as_list(value) -> list:
    return list(value) if isinstance(value, list) else [value]


def check_indicators() -> int:
    """Compile rules/indicators.yaml in force and walk its examples; raise rules.RuleError (R006) at a contradiction.

    Returns the number of indicators checked (extractors.rulecheck.check_rules calls it beside the other files).
    """
    inds = indicators()
    failures = example_failures()
    if failures:
        rid, example, got = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise RuleError(rule_source(RULES_FILE, rid[len("ind."):]), "R006", f"example {example!r}: {got}{more}", rid)
    return len(inds)


def example_failures() -> list[tuple[str, str, str]]:
    """Every example of rules/indicators.yaml in force that its indicator contradicts: (rule id, example, what).

    An example is a sentence with the figure in [brackets]; a `hit` must link to its indicator, a `miss` must not
    (a miss may end in " => ID" or " => none" to name what it must link to instead). An example whose figure the
    extraction rules in force do not read (a researcher's exclusion may drop it) is not the indicator's fault and
    is passed over here; tests/extractors/test_indicators.py requires a mention for every built-in example.
    """
    out = []
    for entry in load_rules(RULES_FILE)["indicators"]:
        for expect, texts in (entry.get("examples") or {}).items():
            for example in texts:
                got = _example_contradiction(entry["id"], expect, example)
                if got:
                    out.append((rule_id(entry["id"]), example, got))
    return out


def _example_contradiction(indicator_id: str, expect: str, example: str) -> str | None:
    """What linking did to the marked figure when that contradicts EXPECT, else None."""
    from extractors.extract import extract_mentions    # extraction imports the rule modules: load it late
    text, _, want = example.partition(" => ")
    want = want.strip() or None
    a, b = text.index("["), text.index("]") - 1
    text = text.replace("[", "", 1).replace("]", "", 1)
    found = [m for m in extract_mentions(text) if m.start <= a < m.end or a <= m.start < b]
    if not found:
        return None       # the extraction rules in force read no figure there: nothing to link (the test walks them)
    m = found[0]
    sentence = text[m.sentence_start:m.sentence_end] if m.sentence_start is not None else text
    lo = m.sentence_start or 0
    got, _ = link_indicator(m.kind, m.unit, m.subject, sentence, m.change, (m.start - lo, m.end - lo))
    seen = f"it linked to {got or 'no indicator'} (kind {m.kind}, unit {m.unit}, subject {m.subject!r})"
    if expect == "hit" and got != indicator_id:
        return seen
    if expect == "miss":
        if got == indicator_id or (want is not None and got != (None if want == "none" else want)):
            return seen
    return None
