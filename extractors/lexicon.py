"""Compiled views of the rules/*.yaml lexicons used by the extractor (built once, cached)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from extractors.numbers import DIGIT_GROUP, GROUP_SPACES
from rules import load_rules, per_rules


def word_alternation(words, space: str = r"\s+") -> str:
    """Regex alternation of literal words, longest first, each space matching SPACE (the one helper for these)."""
    parts = sorted({str(w) for w in words if w}, key=len, reverse=True)
    return "(?:" + "|".join(regex.escape(w).replace(r"\ ", space) for w in parts) + ")"



def _lower_set(words) -> frozenset[str]:
    return frozenset(" ".join(str(w).lower().split()) for w in words)


@dataclass(frozen=True)
class UnitInfo:
    """A canonical unit and the kind of mention it gives."""

    unit: str
    kind: str


@dataclass(frozen=True)
class Lexicon:
    """Everything the extractor reads from rules/, compiled."""

    number_atom: regex.Pattern
    scale_after: regex.Pattern
    unit_after: regex.Pattern
    unit_of_form: dict
    unit_ids: dict
    per_unit: regex.Pattern
    per_unit_aliases: dict
    spelled_words: frozenset
    cues: dict
    excl: dict
    id_after: regex.Pattern
    period_after: regex.Pattern
    time_patterns: tuple          # (rule id, compiled pattern), in order
    places: tuple
    place_re: regex.Pattern | None
    main_places: frozenset


@per_rules
def lexicon() -> Lexicon:
    """Build (once) the compiled lexicon from rules/numbers, units, cues, exclusions and places."""
    nums = load_rules("numbers")
    units = load_rules("units")
    cues = load_rules("cues")
    excl = load_rules("exclusions")
    places = load_rules("places")

    spelled = set(nums["units_words"]) | set(nums["after_tens_words"]) | {nums["ten_word"]}
    spelled |= set(nums["tens_words"]) | set(nums["hundred_words"]) | set(nums["zero_filler_words"])
    spelled |= set(nums["half_words"])
    spelled -= {"không"}  # "không" is far more often "not" than zero
    spelled |= {w for k in nums["scales"] for w in k.split()}
    # Case variants spelled out instead of IGNORECASE: the regex engine then skips most positions fast.
    variants = {v for w in spelled for v in (w, w.capitalize(), w.upper())}
    spelled_alt = word_alternation(sorted(variants))
    first = "".join(sorted({regex.escape(v[0]) for v in variants}))
    # A digit group, or a run of spelled-out number words (checked by numbers.parse_spelled later).
    # The leading lookahead lets the engine skip, by one class test, the positions where neither can start.
    number_atom = regex.compile(
        r"(?=[0-9" + first + r"])(?:"
        r"(?P<d>(?<![\d.,])(?:" + DIGIT_GROUP + r")(?![\d]))"
        r"|(?P<s>(?<![\p{L}\d])(?=[" + first + r"])" + spelled_alt + r"(?:[ \t]+" + spelled_alt + r")*(?![\p{L}\d])))"
    )
    scale_after = regex.compile(r"[ \t" + GROUP_SPACES + r"]*(?P<sc>" + word_alternation(nums["digit_scales"]) + r")(?![\p{L}\d])",
                                regex.IGNORECASE)

    unit_of_form: dict[str, UnitInfo] = {}
    unit_ids: dict[str, str] = {}
    for entry in units["units"]:
        unit_ids.setdefault(entry["unit"], entry["id"])
        for form in entry["forms"]:
            unit_of_form[" ".join(form.split())] = UnitInfo(entry["unit"], entry["kind"])
    unit_after = regex.compile(r"(?:[ \t" + GROUP_SPACES + r"]|-(?=inch))?(?P<u>" + word_alternation(unit_of_form) + r")(?![\p{L}\d²³])")
    second = word_alternation(units.get("per_unit_second_syllables") or ["vuông"])
    per_unit = regex.compile(r"/[ ]?(?P<pu>[\p{L}][\p{L}\d²³]*(?:[ ]" + second + r")?)(?![\p{L}\d])")

    place_names = [p for group in places["places"].values() for p in group]
    main_places = frozenset(p.lower() for g in places.get("main_place_from", []) for p in places["places"][g])
    place_re = regex.compile(r"(?<![\p{L}])" + word_alternation(place_names) + r"(?![\p{L}])") if place_names else None

    return Lexicon(
        number_atom=number_atom,
        scale_after=scale_after,
        unit_after=unit_after,
        unit_of_form=unit_of_form,
        unit_ids=unit_ids,
        per_unit=per_unit,
        per_unit_aliases=dict(units.get("per_unit_aliases") or {}),
        spelled_words=_lower_set(spelled),
        cues=cues,
        excl=excl,
        id_after=regex.compile(excl["id_after_regex"]),
        period_after=regex.compile(excl["period_after_regex"]),
        time_patterns=tuple((rid, regex.compile(p)) for rid, p in cues["time_patterns"].items()),
        places=tuple(place_names),
        place_re=place_re,
        main_places=main_places,
    )


@per_rules
def phrase_set(section: str, key: str) -> frozenset[str]:
    """Lower-cased phrases of rules/SECTION.yaml under KEY (a list, or a dict of lists flattened)."""
    data = load_rules(section)[key]
    if isinstance(data, dict):
        words = [w for v in data.values() for w in v]
    else:
        words = data
    return _lower_set(words)


@per_rules
def phrase_map(section: str, key: str) -> dict[str, str]:
    """Phrase -> category for a dict-of-lists rules entry (e.g. qualifier cue -> 'gt')."""
    data = load_rules(section)[key]
    out: dict[str, str] = {}
    for cat, words in data.items():
        for w in words:
            out.setdefault(" ".join(str(w).lower().split()), cat)
    return out


@lru_cache(maxsize=None)
def rx(pattern: str) -> regex.Pattern:
    """The compiled pattern, cached: module-level regex.match(str, ...) pays a cache lookup with flag parsing per call."""
    return regex.compile(pattern)
