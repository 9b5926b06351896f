"""Load and check every rules file in force, and walk the examples written beside the rules."""
from __future__ import annotations

from extractors.exclusion_rules import STAGES, cascade
from extractors.lexicon import lexicon
from rules import RULE_FILES, load_rules, per_rules


@per_rules
def check_rules() -> int:
    """Load, validate and compile every rules file in force; raise rules.RuleError at the first problem.

    Returns the number of rules checked. Cached per overlay, so callers may call it before every run.
    """
    for name in RULE_FILES:
        load_rules(name)
    lexicon()
    return sum(len(cascade(s)) for s in STAGES)
