"""One-line descriptions of every rule id a record or a trace can carry (for explain, reports and the tests)."""
from __future__ import annotations

from extractors.indicators import indicator_reasons
from extractors.lexicon import phrase_map
from extractors.periods import period_rule_ids
from extractors.place_names import RULE_REASONS as PLACE_RULE_REASONS
from extractors.trace import slug
from rules import load_rules, per_rules

_ATTRIBUTE_NAMES = {"qual": "qualifier", "chg": "change", "mod": "modality target"}


@per_rules
def _reasons() -> dict[str, str]:
    """Every rule id written in the rules files, with its reason."""
    out: dict[str, str] = {}
    for r in load_rules("exclusions")["exclusion_rules"] + load_rules("numbers")["candidate_rules"]:
        out[r["id"]] = r["reason"]
    for u in load_rules("units")["units"]:
        out[u["id"]] = u.get("reason") or f"the unit {u['unit']} ({u['kind']}), written {', '.join(map(repr, u['forms'][:4]))}"
    out["unit.per_unit"] = 'a rate per unit ("/kg", "/người")'
    out["unit.noun_per"] = 'a count per noun ("3 người/hộ")'
    for rid, pattern in load_rules("cues")["time_patterns"].items():
        out[rid] = f"the time phrase nearest to the number, pattern {pattern}"
    out.update(load_rules("cues")["attribute_rules"])
    out.update(period_rule_ids())
    out.update(PLACE_RULE_REASONS)
    out.update(indicator_reasons())
    return out


@per_rules
def _cue_words() -> dict[str, str]:
    """slug -> cue phrase for the cue lists whose words make rule ids."""
    out: dict[str, str] = {}
    for key in ("qualifiers_before", "change_cues"):
        for phrase in phrase_map("cues", key):
            out.setdefault(slug(phrase), phrase)
    for key in ("target_cues", "qualifiers_after"):
        data = load_rules("cues")[key]
        words = [w for v in data.values() for w in v] if isinstance(data, dict) else data
        for phrase in words:
            out.setdefault(slug(phrase), str(phrase))
    return out


def describe_rule(rule_id: str) -> str | None:
    """The one-line reason of RULE_ID, or None for an id no rule of the rules in force makes."""
    known = _reasons().get(rule_id)
    if known:
        return known
    family, _, rest = rule_id.partition(".")
    if family not in _ATTRIBUTE_NAMES or "." not in rest:
        return None
    value, _, cue = rest.partition(".")
    if cue.startswith("list_intro."):
        cue, where = cue[len("list_intro."):], " in the line introducing the list"
    elif cue.startswith("after_"):
        cue, where = cue[len("after_"):], " after the number"
    else:
        where = ""
    phrase = _cue_words().get(cue)
    if phrase is None and family == "qual" and value == "gt":
        phrase = cue.replace("_", " ")          # "nhiều hơn": a comparative and its cue
    if phrase is None:
        return None
    return f"{_ATTRIBUTE_NAMES[family]} {value} from the cue {phrase!r}{where}"
