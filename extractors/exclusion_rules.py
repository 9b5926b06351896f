"""The exclusion cascade: rules/exclusions.yaml `exclusion_rules`, in order, each naming a predicate defined here.

A predicate answers one question about a candidate (is it glued to a name? is it a date?) and returns True, or a
short detail string, when the candidate is not a mention. Which predicates run, in which order and at which stage,
is data; the predicates are the small algorithmic parts the data cannot say (docs/rules.md).
Stages: `atom` (the bare number, before it is grown into a candidate), `candidate` (the grown candidate),
`mention` (after its kind is known).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import regex

from extractors import exclusions as ex
from extractors.candidates import Quantity
from extractors.context import tail_phrase, words_after, words_before
from extractors.lexicon import lexicon, phrase_set, rx
from rules import RuleError, active_overlay, load_rules, per_rules, rule_source

STAGES = ("atom", "candidate", "mention")
SHAPES = ("digits", "spelled", "unit", "no_unit", "scale", "no_scale", "range", "no_range", "ratio", "no_ratio",
          "bare")
_BIT = {name: 1 << i for i, name in enumerate(SHAPES)}
PREDICATES: dict[str, Callable[["Ctx", dict], bool | str]] = {}


def predicate(name: str):
    """Register a predicate under NAME, the `check` a rule in exclusions.yaml refers to."""
    def deco(fn):
        PREDICATES[name] = fn
        return fn
    return deco


class Ctx:
    """A candidate and its surroundings, with the derived facts that several predicates share computed once."""

    __slots__ = ("text", "q", "floor", "atom", "blocked", "kind", "before_words", "shape", "has_unit", "_before")

    def __init__(self, text: str, q: Quantity | None = None, floor: int = 0, atom: regex.Match | None = None,
                 blocked: list | None = None, kind: str | None = None, before_words: list | None = None):
        self.text, self.q, self.floor, self.atom = text, q, floor, atom
        self.blocked = blocked or []
        self.kind = kind
        self.before_words = before_words     # set at the mention stage (the words the kind was read from)
        self.shape = _shape(q) if q is not None else 0
        self.has_unit = q is not None and (q.unit is not None or q.has_scale)
        self._before: list[str] | None = None

    @property
    def before(self) -> list[str]:
        """Up to five words before the candidate in its sentence (worked out on first use)."""
        if self._before is None:
            self._before = words_before(self.text, self.q.start, 5, self.floor)
        return self._before


def _shape(q: Quantity) -> int:
    """The shape words that hold for the candidate (the `when` vocabulary of exclusions.yaml), as a bit mask."""
    b = _BIT
    mask = b["spelled"] if q.spelled else b["digits"]
    mask |= b["unit"] if q.unit is not None else b["no_unit"]
    mask |= b["scale"] if q.has_scale else b["no_scale"]
    mask |= b["range"] if q.value_max is not None else b["no_range"]
    mask |= b["ratio"] if q.denominator is not None else b["no_ratio"]
    if mask & (b["digits"] | b["no_unit"] | b["no_scale"] | b["no_range"] | b["no_ratio"]) == \
            b["digits"] | b["no_unit"] | b["no_scale"] | b["no_range"] | b["no_ratio"]:
        mask |= b["bare"]
    return mask




@dataclass(frozen=True)
class ExclusionRule:
    """One rule of the cascade: id, predicate, stage, parameters and its one-line reason."""

    id: str
    check: Callable
    stage: str
    params: dict
    reason: str
    when: int                # the shapes of candidate the rule applies to, as a bit mask (0: all)


@per_rules
def _cascade() -> dict[str, tuple[ExclusionRule, ...]]:
    data = load_rules("exclusions")["exclusion_rules"]
    by_stage: dict[str, list[ExclusionRule]] = {s: [] for s in STAGES}
    for r in data:
        params = dict(r.get("params") or {})
        stage = params.pop("stage", "candidate")
        when = 0
        for shape in params.pop("when", ()):
            if shape not in _BIT:
                raise RuleError(rule_source("exclusions", r["id"]), "R002",
                                f"'when' has unknown shape {shape!r} (known: {', '.join(SHAPES)})", r["id"])
            when |= _BIT[shape]
        if "pattern" in params:   # a pattern key of exclusions.yaml, compiled once here, not per candidate
            if params["pattern"] not in lexicon().excl:
                raise RuleError(rule_source("exclusions", r["id"]), "R002",
                                f"'pattern' names no key of exclusions.yaml: {params['pattern']!r}", r["id"])
            params["rx"] = regex.compile(lexicon().excl[params["pattern"]])
        elif "regex" in params:   # or a pattern of the rule's own (checked by the schema: R004)
            params["rx"] = regex.compile(params["regex"])
        if r["check"] not in PREDICATES:
            raise RuleError(rule_source("exclusions", r["id"]), "R002", f"check '{r['check']}' is not a known predicate "
                            f"(known: {', '.join(sorted(PREDICATES))})", r["id"])
        if stage not in STAGES:
            raise RuleError(rule_source("exclusions", r["id"]), "R002", f"stage '{stage}' is not one of {STAGES}", r["id"])
        by_stage[stage].append(ExclusionRule(r["id"], PREDICATES[r["check"]], stage, params, r["reason"], when))
    return {s: tuple(v) for s, v in by_stage.items()}


def cascade(stage: str) -> tuple[ExclusionRule, ...]:
    """The exclusion rules of STAGE in force, in their order."""
    return _cascade()[stage]


_PLANS: dict = {}   # (overlay, stage) -> candidate shape -> the applicable rules


def first_exclusion(stage: str, ctx: Ctx) -> tuple[ExclusionRule, str] | None:
    """The first rule of STAGE that excludes the candidate, with its detail (the reason if none), or None."""
    shape = ctx.shape if stage != "atom" else 0
    plans = _PLANS.get((active_overlay(), stage))
    if plans is None:
        plans = _PLANS[(active_overlay(), stage)] = {}
    plan = plans.get(shape)
    if plan is None:  # the rules that apply to candidates of this shape, in order (a handful of shapes occur)
        plan = plans[shape] = tuple((r.check, r.params, r) for r in cascade(stage) if r.when & shape == r.when)
    for check, params, rule in plan:
        hit = check(ctx, params)
        if hit:
            return rule, hit if isinstance(hit, str) else rule.reason
    return None


# --- atom stage ------------------------------------------------------------------------------------------------

@predicate("in_phone_number")
def _in_phone_number(c: Ctx, p: dict) -> bool:
    return any(a <= c.atom.start() < b for a, b in c.blocked)


@predicate("year_word_nam")
def _year_word_nam(c: Ctx, p: dict) -> bool:
    word = c.atom.group("s")
    return word is not None and word.lower() == p["word"] and not _five_follows(c.text, c.atom.end())


_NEXT_WORD = regex.compile(r"[ \t]+([\p{L}]+(?:[ \t]+[\p{L}]+)?)")


def _five_follows(text: str, pos: int) -> bool:
    """True when the words after a lone "năm" allow reading it as the numeral five."""
    m = _NEXT_WORD.match(text, pos, pos + 80)
    if m is None:
        return False
    words = m.group(1).lower().split()
    if len(words) == 2 and words[0] in phrase_set("exclusions", "range_words") and words[1] in lexicon().spelled_words:
        return True                         # "từ năm đến bảy ngày"
    nouns = phrase_set("exclusions", "nam_as_five_before")
    return words[0] in nouns or " ".join(words) in nouns


# --- candidate stage -------------------------------------------------------------------------------------------

# Predicates that are one helper of extractors/exclusions.py asked about the candidate as it is.
_HELPERS = {
    "list_marker": ex.is_list_marker,
    "year_in_list": ex.year_list_item,
    "vague_pair": ex.vague_pair,
    "ticker": ex.ticker,
    "calendar_list": ex.calendar_list_item,
    "model_list": ex.model_list_item,
    "fixed_phrase": ex.fixed_phrase,
    "table_cell": ex.table_cell,
    "label_list": ex.label_list_item,
}
for _name, _helper in _HELPERS.items():
    PREDICATES[_name] = lambda c, p, _helper=_helper: _helper(c.text, c.q)

@predicate("glued_to_name_before")
def _glued_before(c: Ctx, p: dict) -> bool:
    t, a = c.text, c.q.atom_start
    prev = t[a - 1] if a > 0 else " "
    prev2 = t[a - 2] if a > 1 else " "
    return prev.isalpha() or (prev in p["joiners"] and prev2.isalnum())


@predicate("regex_before")
def _regex_before(c: Ctx, p: dict) -> bool:
    """The pattern `pattern` (a key of exclusions.yaml) matches the `window` characters before the number."""
    a = c.q.atom_start if p.get("from") == "atom" else c.q.start
    return bool(p["rx"].search(c.text[max(0, a - p["window"]):a]))


@predicate("glued_to_name_after")
def _glued_after(c: Ctx, p: dict) -> bool:
    return c.text[c.q.end:c.q.end + 1].isalpha()


@predicate("clock_after")
def _clock_after(c: Ctx, p: dict) -> bool:
    return ex.CLOCK.match(c.text, c.q.atom_end) is not None


@predicate("identifier_after")
def _identifier_after(c: Ctx, p: dict) -> bool:
    q = c.q
    return lexicon().id_after.match(c.text[q.end:q.end + 12]) is not None


@predicate("triple_slash")
def _triple_slash(c: Ctx, p: dict) -> bool:
    return c.q.triple_slash


@predicate("dash_chain")
def _dash_chain(c: Ctx, p: dict) -> bool:
    return c.q.range_sep == "dash" and rx(r"-\d").match(c.text[c.q.end:c.q.end + 2]) is not None


@predicate("descending_dash")
def _descending_dash(c: Ctx, p: dict) -> bool:
    return c.q.range_sep == "dash-desc"


@predicate("regex_after")
def _regex_after(c: Ctx, p: dict) -> bool:
    """The pattern `pattern` matches right after the number (within `window` characters), shape permitting."""
    q = c.q
    if p.get("from") == "atom_end":     # "15 tháng Giêng": "tháng" was already taken as the unit
        return p["rx"].match(c.text[q.atom_end:q.atom_end + p["window"]]) is not None
    start = q.end - p.get("back", 0)
    return p["rx"].match(c.text[start:q.end + p["window"]]) is not None


@predicate("regex_around")
def _regex_around(c: Ctx, p: dict) -> bool:
    """The pattern `pattern` matches the number with one character either side (quotes, parentheses)."""
    q = c.q
    return p["rx"].match(c.text[max(0, q.start - 1):q.end + 1]) is not None


@predicate("model_mini")
def _model_mini(c: Ctx, p: dict) -> bool:
    q, t = c.q, c.text
    return (rx(r"[ \t]+mini(?![\p{L}])").match(t[q.end:q.end + 8]) is not None
            and rx(r"\p{L}*\p{Lu}\p{L}*[ \t]+$").search(t[max(0, q.start - 20):q.start]) is not None)


@predicate("star_grade")
def _star_grade(c: Ctx, p: dict) -> bool:
    q = c.q
    return (rx(lexicon().excl["star_grade_after_regex"]).match(c.text[q.end:q.end + 24]) is not None
            and not tail_phrase(words_before(c.text, q.start, 3, c.floor), phrase_set("exclusions", "star_score_before")))


@predicate("version_number")
def _version(c: Ctx, p: dict) -> bool:
    q = c.q
    return ex.VERSION.fullmatch(c.text[q.atom_start:q.atom_end]) is not None


@predicate("long_zero_number")
def _long_zero(c: Ctx, p: dict) -> bool:
    q = c.q
    atom = c.text[q.atom_start:q.atom_end]
    return len(rx(r"\D").sub("", atom)) >= p["min_digits"] and atom.startswith("0")


def _label_guard(c: Ctx) -> bool:
    """False when the label words before are protected or the number continues a duration ("2 năm 3 tháng")."""
    b, q = c.before, c.q
    units = phrase_set("exclusions", "duration_units")
    compound_duration = (b and b[-1] in units and len(b) >= 2
                         and rx(r"[\d.,]+").fullmatch(b[-2]) and q.unit in units)
    return not compound_duration and not tail_phrase(b, phrase_set("exclusions", "label_protect"))


@predicate("label_always")
def _label_always(c: Ctx, p: dict) -> bool:
    if c.q.unit in phrase_set("exclusions", "label_always_kept_units"):
        return False                        # "từ năm 3 tuổi": an age at that time
    return _label_guard(c) and bool(tail_phrase(c.before, phrase_set("exclusions", "label_always")))


@predicate("label_unless_unit")
def _label_unless_unit(c: Ctx, p: dict) -> bool:
    return (_label_guard(c)
            and bool(tail_phrase(c.before, phrase_set("exclusions", "label_unless_unit")))
            and not ex.counted_after_label(c.text, c.q))


@predicate("street_address")
def _street_address(c: Ctx, p: dict) -> bool:
    q = c.q
    return (bool(tail_phrase(c.before, phrase_set("exclusions", "address_before")))
            and ex.CAP_WORD.match(c.text, q.end) is not None and q.value == int(q.value) and q.value < 2000)


@predicate("in_proper_name")
def _in_proper_name(c: Ctx, p: dict) -> bool | str:
    q = c.q
    ranked = tail_phrase(c.before, phrase_set("cues", "rank_before")) or tail_phrase(
        c.before, phrase_set("cues", "rank_le_before"))
    if ranked:
        return False
    return ex.name_or_address(c.text, q, c.before, c.floor) or False


@predicate("slash_date_or_id")
def _slash_date_or_id(c: Ctx, p: dict) -> bool | str:
    return ex.slash_reason(c.text, c.q) or False


@predicate("bare_year")
def _bare_year(c: Ctx, p: dict) -> bool:
    q = c.q
    return ex.YEAR.fullmatch(c.text[q.atom_start:q.atom_end]) is not None and \
        not (q.value % 100 == 0 and ex.counted_noun_follows(c.text, q))


@predicate("year_span")
def _year_span(c: Ctx, p: dict) -> bool:
    q = c.q
    return (q.range_sep in ("dash", "word")
            and ex.YEAR_ANY.fullmatch(c.text[q.atom_start:q.atom_end]) is not None and 1900 <= q.value_max <= 2099)


def _bare_dash_range(c: Ctx) -> bool:
    return c.q.range_sep == "dash"


@predicate("dash_year_range")
def _dash_year_range(c: Ctx, p: dict) -> bool:
    return _bare_dash_range(c) and ex.YEAR.fullmatch(c.text[c.q.atom_start:c.q.atom_end]) is not None


@predicate("score_cue_range")
def _score_cue_range(c: Ctx, p: dict) -> bool:
    return _bare_dash_range(c) and bool(tail_phrase(c.before, phrase_set("exclusions", "score_cues")))


@predicate("small_score_range")
def _small_score_range(c: Ctx, p: dict) -> bool:
    q = c.q
    if not (_bare_dash_range(c) and q.value_max <= p["max"] and q.value == int(q.value)):
        return False
    follow = words_after(c.text, q.end, 1)
    return (not follow or follow[0][0].lower() in phrase_set("cues", "subject_stop_words")
            or follow[0][0][:1].isupper())


@predicate("unit_then_date")
def _unit_then_date(c: Ctx, p: dict) -> bool:
    """The number's unit is `unit` and the pattern `pattern` of this module follows ("5 tháng 9", "3 giờ sáng")."""
    q = c.q
    return q.unit == p["unit"] and p["rx"].match(c.text, q.end, q.end + p["window"]) is not None


@predicate("id_then_date")
def _id_then_date(c: Ctx, p: dict) -> bool:
    q, t = c.q, c.text
    return (q.unit == p["unit"] and p["rx"].match(t, q.end, q.end + p["window"]) is not None
            and (q.value > 31 or rx(r"\p{Lu}\p{Ll}*[ \t]+$").search(t[max(0, q.start - 20):q.start]) is not None))


@predicate("period_phrase")
def _period_phrase(c: Ctx, p: dict) -> bool:
    q = c.q
    pos = q.unit_start or q.end
    return q.unit in phrase_set("exclusions", "duration_units") and lexicon().period_after.match(c.text, pos, pos + 60) is not None


@predicate("ordinal_thu")
def _ordinal_thu(c: Ctx, p: dict) -> bool:
    b = c.before
    return bool(b) and b[-1] == p["word"] and \
        not tail_phrase(b[:-1], phrase_set("cues", "rank_thu_verbs"))


@predicate("rate_base")
def _rate_base(c: Ctx, p: dict) -> bool:
    return ex.rate_base(c.text, c.q, c.before)


@predicate("spelled_not_a_count")
def _spelled_not_a_count(c: Ctx, p: dict) -> bool | str:
    return ex.spelled_reason(c.text, c.q, c.before) or False


# --- mention stage ---------------------------------------------------------------------------------------------

@predicate("not_finite")
def _not_finite(c: Ctx, p: dict) -> bool:
    q = c.q
    return not all(v is None or math.isfinite(v) for v in (q.value, q.value_max, q.denominator))


@predicate("bare_label_count")
def _bare_label_count(c: Ctx, p: dict) -> bool:
    from extractors.attributes import is_label_count
    return c.kind == "count" and is_label_count(c.text, c.q, c.before_words)
