"""Load and check every rules file in force, and walk the examples written beside the rules."""
from __future__ import annotations

from dataclasses import dataclass

from extractors.exclusion_rules import STAGES, cascade
from extractors.extract import explain
from extractors.indicators import check_indicators
from extractors.lexicon import lexicon
from extractors.periods import check_period_rules
from extractors.place_names import check_place_aliases
from extractors.trace import NumberTrace
from rules import RULE_FILES, RuleError, load_rules, per_rules, rule_source

# Rule lists whose entries carry examples, as (file, key): each example's marked number must be read by the rule.
EXAMPLE_LISTS = (("exclusions", "exclusion_rules"), ("numbers", "candidate_rules"), ("units", "units"))


@dataclass(frozen=True)
class ExampleFailure:
    """An example that contradicts its rule: what was expected and what the extractor did."""

    file: str
    rule_id: str
    expect: str          # "hit" or "miss"
    example: str
    got: str

    def __str__(self) -> str:
        want = "must fire" if self.expect == "hit" else "must not fire"
        return f"example {self.example!r}: the rule {want}, but {self.got}"


@per_rules
def check_rules() -> int:
    """Load, validate and compile every rules file in force and walk its examples; raise rules.RuleError if any fails.

    Returns the number of rules checked. Cached per overlay, so callers may call it before every run.
    """
    for name in RULE_FILES:
        load_rules(name)
    lexicon()
    check_period_rules()        # their own example walks (R006) and cross-checks
    check_place_aliases()
    check_indicators()
    failures = example_failures()
    if failures:
        f = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise RuleError(rule_source(f.file, f.rule_id), "R006", f"{f}{more}", f.rule_id)
    return sum(len(cascade(s)) for s in STAGES) + sum(len(load_rules(f)[k]) for f, k in EXAMPLE_LISTS[1:])


def example_failures() -> list[ExampleFailure]:
    """Every example of every rule in force that its rule contradicts."""
    out = []
    for file, key in EXAMPLE_LISTS:
        for rule in load_rules(file)[key]:
            for expect, examples in (rule.get("examples") or {}).items():
                for example in examples:
                    got = _contradiction(rule["id"], expect, example)
                    if got:
                        out.append(ExampleFailure(file, rule["id"], expect, example, got))
    return out


def marked(example: str) -> tuple[str, int, int]:
    """The example text without its [brackets], and the span they marked."""
    a = example.index("[")
    b = example.index("]") - 1
    return example.replace("[", "", 1).replace("]", "", 1), a, b


def _contradiction(rule_id: str, expect: str, example: str) -> str | None:
    """What the extractor did to the marked number when that contradicts EXPECT, else None."""
    text, a, b = marked(example)
    trace = _trace_at(explain(text), a, b)
    fired = trace is not None and (trace.rule == rule_id or rule_id in trace.rules)
    if expect == "hit" and not fired:
        return "no number was read there" if trace is None else f"it was {_describe(trace)}"
    if expect == "miss" and fired:
        return f"it was {_describe(trace)}"
    return None


def _trace_at(traces: list[NumberTrace], a: int, b: int) -> NumberTrace | None:
    """The trace covering the marked span's start (the mention if a mention and an exclusion both do)."""
    covering = [t for t in traces if t.start <= a < t.end or a <= t.start < b]
    covering.sort(key=lambda t: t.outcome != "mention")
    return covering[0] if covering else None


def _describe(t: NumberTrace) -> str:
    if t.outcome == "mention":
        return f"kept as a mention {t.text!r} (rules {' '.join(t.rules)})"
    return f"excluded by {t.rule}"
