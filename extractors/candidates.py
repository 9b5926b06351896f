"""Candidate quantity spans: a number (digits or spelled out), its scale word, a range, a ratio, a unit."""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from extractors.lexicon import lexicon, phrase_set, rx
from rules import load_rules, per_rules
from extractors.numbers import DIGIT_GROUP, parse_digits, parse_spelled, read_spelled, scale_value

_RANGE_DASH = regex.compile(r"[ \t]*[-–—~][ \t]*")
# "5 đến 7", "hơn 30 triệu đồng/m2 đến dưới 50 triệu đồng/m2": a bound word may follow "đến".
_RANGE_WORD = regex.compile(r"[ \t]+(?:đến|tới|-|–)(?:[ \t]+(?:hơn|dưới|gần|khoảng|trên))?[ \t]+", regex.IGNORECASE)
_DIGIT_ATOM = regex.compile(r"(?:" + DIGIT_GROUP + r")(?!\d)")
_SLASH_DIGITS = regex.compile(r"/[ ]?([0-9]+(?:[.,][0-9]+)*)(?!\d)")
_COMPOUND = regex.compile(r"[ \t]+([0-9]{1,3}(?:,[0-9]+)?)[ \t]*")
# "2.706 khách/giờ", "6.000 ghế cung ứng/ngày": a counted noun of up to three syllables, "/", a period or unit.
_NOUN_PER = regex.compile(r"[ \t](?P<n>\p{Ll}[\p{L}]*(?:[ \t]\p{Ll}[\p{L}]*){0,2})/(?P<p>\p{L}[\p{L}\d²]*)(?![\p{L}\d/])")
_OUT_OF = regex.compile(r"[ \t]+trên[ \t]+([0-9]+(?:\.[0-9]{3})*)(?![\d.,/])(?=[ \t]+\p{Ll}|[ \t]*[,.;)])")
_HALF = regex.compile(r"[ \t]+rưỡi(?![\p{L}])", regex.IGNORECASE)
# How far ahead a pattern that follows a number may look. Patterns holding a literal word ("rưỡi", "trên", "/")
# otherwise make the regex engine search the rest of the document for it on every number: quadratic time.
NEAR = 80
# Longest run of spelled-out number words read as one number ("chín trăm chín mươi chín nghìn ... " is ~25);
# a longer run is cut here, since trying every prefix of a run is quadratic in its length.
MAX_SPELLED_WORDS = 64


def match_near(pattern: regex.Pattern, text: str, pos: int, limit: int | None = None,
               window: int = NEAR) -> regex.Match | None:
    """pattern.match(text, pos, limit), looking at most WINDOW characters past pos (LIMIT: len(text))."""
    limit = len(text) if limit is None else limit
    end = min(limit, pos + window)
    m = pattern.match(text, pos, end)
    if m is not None and m.end() == end and end < limit:
        return pattern.match(text, pos, limit)   # the window cut a lookahead short: decide on the real text
    return m


@per_rules
def _noun_per_words() -> frozenset[str]:
    return frozenset(load_rules("units").get("noun_per_words") or ())


@per_rules
def _bare_currency_forms() -> frozenset[str]:
    return frozenset(load_rules("units").get("bare_currency_forms") or ())


@per_rules
def _unit_not_before() -> dict:
    raw = load_rules("units").get("unit_not_before") or {}
    return {form: frozenset(words) for form, words in raw.items()}


def _unit_is_word(text: str, um: regex.Match) -> bool:
    """True when a unit form starts another word ("đồng tiền", "đồng hồ", "ngày càng")."""
    words = _unit_not_before().get(um.group("u"))
    if not words:
        return False
    m = _CONTENT_WORD.match(text, um.end())
    return m is not None and m.group(1) in words


_CONTENT_WORD = regex.compile(r"[ \t]+(\p{Ll}+)")


def _noun_follows(text: str, pos: int) -> bool:
    """True when a lower-case word that is not a function word follows pos (a counted noun)."""
    m = _CONTENT_WORD.match(text, pos)
    if m is None:
        return False
    return m.group(1) not in phrase_set("cues", "subject_stop_words")


@dataclass
class Quantity:
    """A candidate quantity expression and what its surface says (before exclusions and attributes)."""

    start: int
    end: int
    value: float
    atom_start: int
    atom_end: int
    spelled: bool = False
    value_max: float | None = None
    denominator: float | None = None
    unit: str | None = None
    unit_kind: str | None = None
    unit_start: int | None = None
    has_scale: bool = False
    triple_slash: bool = False
    range_sep: str | None = None
    noun_per: bool = False
    notes: list = field(default_factory=list)


def _spelled_value(words_text: str) -> tuple[float | None, int]:
    """Value of the longest number opening a run of number words, and how many words it used (one pass of the
    grammar in numbers.read_spelled; a final "năm" is the year unless the grammar wants it, a vague run has none)."""
    return read_spelled(words_text.split()[:MAX_SPELLED_WORDS])


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in rx(r"\S+").finditer(text[start:end])]


def _parse_scaled(text: str, pos: int) -> tuple[float, int, bool] | None:
    """Parse a digit atom at pos with optional scale words and compounds; (value, end, has_scale)."""
    scale_after = lexicon().scale_after
    m = _DIGIT_ATOM.match(text, pos)
    if m is None:
        return None
    v = parse_digits(m.group())
    if v is None:
        return None
    end, total, has_scale = m.end(), 0.0, False
    while True:
        sm = scale_after.match(text, end)
        if sm is None:
            return (total + v if has_scale else v), end, has_scale
        scale = scale_value(sm.group("sc"))
        if scale is None:
            return (total + v if has_scale else v), end, has_scale
        total += v * scale
        end, has_scale = sm.end(), True
        hm = match_near(_HALF, text, end)
        if hm is not None:
            return total + scale / 2, hm.end(), True
        cm = _COMPOUND.match(text, end)
        if cm is None:
            return total, end, True
        nxt = scale_after.match(text, cm.end())
        sub = parse_digits(cm.group(1))
        if nxt is None or sub is None or (scale_value(nxt.group("sc")) or scale) >= scale:
            return total, end, True
        v, end = sub, cm.end(1)


def quantity_at(text: str, m: regex.Match, hi: int) -> Quantity | None:
    """Build the candidate quantity that starts with number atom match m (None if it is not a number)."""
    if m.group("d") is not None:
        parsed = _parse_scaled(text, m.start())
        if parsed is None:
            return None
        value, end, has_scale = parsed
        q = Quantity(m.start(), end, value, m.start(), m.end(), has_scale=has_scale)
        if not has_scale:
            om = match_near(_OUT_OF, text, m.end())
            if om is not None and not rx(r"[\p{L}\d\-+#._/]").match(text[m.start() - 1:m.start()] or " "):
                den = parse_digits(om.group(1))
                if den is not None and value == int(value) and den == int(den) and 0 < value <= den:
                    q.denominator, q.end = den, om.end()  # "29 trên 30 gói thầu" = 29 of 30
                    q.notes.append("out-of")
                    return q
            sm = _SLASH_DIGITS.match(text, m.end())
            if sm is not None:
                den = parse_digits(sm.group(1))
                if den is not None:
                    q.denominator, q.end = den, sm.end()
                    if text[sm.end():sm.end() + 1] == "/" and text[sm.end() + 1:sm.end() + 2].isalnum():
                        q.triple_slash = True
                    return q
    else:
        value, used = _spelled_value(m.group("s"))
        if value is None:
            return None
        spans = _word_spans(text, m.start(), m.end())[:used]
        end = spans[-1][1]
        words = [text[a:b].lower() for a, b in spans]
        if words == ["một"] or (words[0] == "một" and not any(scale_value(w) for w in words)):
            return None
        has_scale = any(scale_value(w) for w in words)
        q = Quantity(m.start(), end, value, m.start(), end, spelled=True, has_scale=has_scale)
    _extend_range(text, q, hi)
    _attach_unit(text, q, hi)
    return q


def _extend_range(text: str, q: Quantity, hi: int) -> None:
    """Extend q over "5-7", "5 đến 7 triệu", "từ 10 đến 15" when the second number is larger."""
    if q.spelled:
        _extend_spelled_range(text, q, hi)
        return
    lex = lexicon()
    first_unit = lex.unit_after.match(text, q.end, hi)
    after_first = first_unit.end() if first_unit is not None else q.end
    if first_unit is not None:
        pm = lex.per_unit.match(text, after_first, hi)
        if pm is not None and _RANGE_WORD.match(text, pm.end(), hi):
            after_first = pm.end()            # "30 triệu đồng/m2 đến 50 triệu đồng/m2"
    for sep_re in (_RANGE_DASH, _RANGE_WORD):
        sm = sep_re.match(text, after_first, hi)
        if sm is None:
            continue
        parsed = _parse_scaled(text, sm.end())
        if parsed is None:
            continue
        v2, end2, scaled2 = parsed
        if first_unit is not None:
            # "1m đến 1,83m", "5% - 7%": a unit on the first number must be repeated on the second.
            um = lex.unit_after.match(text, end2, hi)
            if um is None:
                return
            if um.group("u") != first_unit.group("u"):
                _mixed_unit_range(text, q, first_unit, v2, um, "dash" if sep_re is _RANGE_DASH else "word")
                return
        v1 = q.value
        if scaled2 and not q.has_scale and first_unit is None:
            # (a first number with its own unit is complete: "500.000 đồng - 1 triệu đồng")
            # "1,5-2 triệu": the scale of the second number applies to the first.
            scale = v2 / parse_digits(_DIGIT_ATOM.match(text, sm.end()).group()) if v2 else 1.0
            v1 = q.value * scale
        raw2 = _DIGIT_ATOM.match(text, sm.end()).group()
        if not q.has_scale and not scaled2 and v1 < 1000 <= v2 and "." in raw2 and v1 * 1000 <= v2:
            v1 = q.value * 1000  # "10-15.000 đồng/kg" = 10.000-15.000
        if not v2 > v1:
            if sep_re is _RANGE_DASH and v2 < v1 and v2 > 0 and (scaled2 or q.has_scale or first_unit is not None
                                                                  or lex.unit_after.match(text, end2, hi)):
                # "30-25 độ C", "15-10 triệu": a range written high to low; value is its low end.
                q.value, q.value_max, q.end = v2, v1, end2
                q.range_sep = "dash"
                q.has_scale = q.has_scale or scaled2
                return
            if sep_re is _RANGE_DASH and v2 <= v1:
                q.range_sep = "dash-desc"
                q.notes.append(("dash_second", sm.end(), end2))
            return
        q.value, q.value_max, q.end = v1, v2, end2
        q.range_sep = "dash" if sep_re is _RANGE_DASH else "word"
        q.has_scale = q.has_scale or scaled2
        if text[end2:end2 + 1] == "/" and text[end2 + 1:end2 + 2].isdigit():
            q.triple_slash = True  # "22-23/4" is a pair of dates
        return


def _mixed_unit_range(text: str, q: Quantity, first_unit: regex.Match, v2: float, um: regex.Match,
                      sep: str) -> None:
    """"8 tháng đến 1 năm", "900 Mbps đến 1 Gbps": one range in the first unit, the second end converted
    (rules/units.yaml: range_unit_groups); nothing changes when the units do not convert or the range descends."""
    forms = lexicon().unit_of_form
    u1 = forms[" ".join(first_unit.group("u").split())]
    u2 = forms[" ".join(um.group("u").split())]
    factor = _unit_factor(u1.unit, u2.unit)
    if factor is None or not v2 * factor > q.value:
        return
    q.value_max, q.end, q.range_sep = _round_converted(v2 * factor), um.end(), sep
    q.unit, q.unit_kind, q.unit_start = u1.unit, u1.kind, first_unit.start("u")


def _round_converted(v: float) -> float:
    """Drop float noise from a unit conversion (1,2 m -> 1200 mm, not 1199.9999999)."""
    return float(round(v, 9))


@per_rules
def _unit_factor(unit1: str, unit2: str) -> float | None:
    """How many unit1 make one unit2 when both are in one group of rules/units.yaml: range_unit_groups."""
    for group in load_rules("units").get("range_unit_groups") or ():
        if unit1 in group and unit2 in group:
            return group[unit2] / group[unit1]
    return None


_SPELLED_RANGE = regex.compile(r"[ \t]+(?:đến|tới|-|–)[ \t]+", regex.IGNORECASE)


def _extend_spelled_range(text: str, q: Quantity, hi: int) -> None:
    """Extend a spelled number over "hai đến ba", "mười lăm đến hai mươi" when the second is larger."""
    sm = _SPELLED_RANGE.match(text, q.end, hi)
    if sm is None:
        return
    m2 = lexicon().number_atom.match(text, sm.end(), hi)
    if m2 is None or m2.group("s") is None:
        return
    v2, used = _spelled_value(m2.group("s"))
    if v2 is None or not v2 > q.value:
        return
    spans = _word_spans(text, m2.start(), m2.end())[:used]
    last_scale = scale_value(text[spans[-1][0]:spans[-1][1]])
    if last_scale and not q.has_scale and q.value * last_scale < v2 * 10:
        q.value *= last_scale                 # "hai - ba triệu": the scale of the second applies to both
    q.value_max, q.end, q.atom_end = v2, spans[-1][1], spans[-1][1]
    q.has_scale = q.has_scale or last_scale is not None
    q.range_sep = "word"


_MINUS_BEFORE = regex.compile(r"(?:(?<=^|[\s(:,])[-−–]|(?<![\p{L}])âm[ \t]+)$", regex.IGNORECASE)


def _negative_temperature(text: str, q: Quantity) -> None:
    """"-10 độ C", "âm 5 độ C": a temperature below zero; the sign joins the span and the value."""
    m = _MINUS_BEFORE.search(text, max(0, q.start - 5), q.start)
    if m is not None:
        q.value, q.start = -q.value, m.start()


def _attach_unit(text: str, q: Quantity, hi: int) -> None:
    """Attach a unit, currency, percent sign or "/unit" rate after the number, extending the span."""
    if q.unit is not None:
        return                              # set by a mixed-unit range ("8 tháng đến 1 năm")
    lex = lexicon()
    if q.denominator is not None:
        um = lex.unit_after.match(text, q.end, hi)
        if um is not None and um.group("u") == "%":
            q.unit, q.unit_kind, q.unit_start, q.end = "%", "percent", um.start("u"), um.end()
        return
    um = lex.unit_after.match(text, q.end, hi)
    if um is not None and um.group("u") in _bare_currency_forms() and _noun_follows(text, um.end()):
        um = None                           # "3 bảng đấu" is a count of tables, "300 bảng." is GBP
    if um is not None and q.value < 1000 and not q.has_scale and _unit_is_word(text, um):
        um = None                           # "100 đồng tiền cổ", "3 đồng hồ", "2 ngày càng" (not "65.000 đồng tiền lãi")
    if um is not None:
        info = lex.unit_of_form[" ".join(um.group("u").split())]
        q.unit, q.unit_kind, q.unit_start, q.end = info.unit, info.kind, um.start("u"), um.end()
        if info.unit in ("°C", "°F") and q.value_max is None:
            _negative_temperature(text, q)
        if info.kind in ("money", "measure"):
            pm = lex.per_unit.match(text, q.end, hi)
            if pm is not None and not text[pm.end():pm.end() + 1].isdigit():
                per = pm.group("pu")
                per = lex.per_unit_aliases.get(per, per)
                q.unit, q.end = f"{info.unit}/{per}", pm.end()
        return
    # A dollar sign before the number: "$5", "US$ 3,5 tỷ".
    j = q.start
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j > 0 and text[j - 1] == "$" and q.start - j <= 1:
        q.unit, q.unit_kind, q.start = "USD", "money", j - 1
        if text[max(0, q.start - 2):q.start] == "US":
            q.start -= 2
        return
    nm = match_near(_NOUN_PER, text, q.end, hi)
    if nm is not None and nm.group("p") in _noun_per_words():
        # "2.706 khách/giờ": a count per unit is a measure with a compound unit.
        q.unit, q.unit_kind, q.unit_start, q.end = f"{nm.group('n')}/{nm.group('p')}", "measure", nm.start("n"), nm.end()
        q.noun_per = True
