"""Candidate quantity spans: a number (digits or spelled out), its scale word, a range, a ratio, a unit."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from extractors.lexicon import lexicon
from rules import load_rules
from extractors.numbers import parse_digits, parse_spelled, scale_value

_RANGE_DASH = regex.compile(r"[ \t]*[-–—~][ \t]*")
_RANGE_WORD = regex.compile(r"[ \t]+(?:đến|tới|-|–)[ \t]+", regex.IGNORECASE)
_DIGIT_ATOM = regex.compile(r"\d+(?:[.,]\d+)*(?!\d)")
_SLASH_DIGITS = regex.compile(r"/[ ]?(\d+(?:[.,]\d+)*)(?!\d)")
_COMPOUND = regex.compile(r"[ \t]+(\d{1,3}(?:,\d+)?)[ \t]*")
_NOUN_PER = regex.compile(r"[ \t](?P<n>\p{Ll}[\p{L}]*)/(?P<p>\p{L}[\p{L}\d²]*)(?![\p{L}\d/])")
_HALF = regex.compile(r"[ \t]+rưỡi(?![\p{L}])", regex.IGNORECASE)


@lru_cache(maxsize=1)
def _noun_per_words() -> frozenset[str]:
    return frozenset(load_rules("units").get("noun_per_words") or ())


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
    """Value of the longest parseable prefix of a run of number words, and how many words it used."""
    words = words_text.split()
    lex_num_end = len(words)
    # "mười năm" / "hai mươi năm" are 10 / 20 years: a final "năm" after a tens word is the unit.
    # "một tỷ năm" = a billion years: a final "năm" is five only after "trăm"/"linh"/"lẻ".
    if len(words) > 1 and words[-1].lower() == "năm" and words[-2].lower() not in ("trăm", "linh", "lẻ"):
        lex_num_end -= 1
    for k in range(lex_num_end, 0, -1):
        v = parse_spelled(" ".join(words[:k]))
        if v is not None:
            return v, k
    return None, 0


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in regex.finditer(r"\S+", text[start:end])]


def _parse_scaled(text: str, pos: int) -> tuple[float, int, bool] | None:
    """Parse a digit atom at pos with optional scale words and compounds; (value, end, has_scale)."""
    m = _DIGIT_ATOM.match(text, pos)
    if m is None:
        return None
    v = parse_digits(m.group())
    if v is None:
        return None
    end, total, has_scale = m.end(), 0.0, False
    while True:
        sm = lexicon().scale_after.match(text, end)
        if sm is None:
            return (total + v if has_scale else v), end, has_scale
        scale = scale_value(sm.group("sc"))
        if scale is None:
            return (total + v if has_scale else v), end, has_scale
        total += v * scale
        end, has_scale = sm.end(), True
        hm = _HALF.match(text, end)
        if hm is not None:
            return total + scale / 2, hm.end(), True
        cm = _COMPOUND.match(text, end)
        if cm is None:
            return total, end, True
        nxt = lexicon().scale_after.match(text, cm.end())
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
        return
    first_unit = lexicon().unit_after.match(text, q.end, hi)
    after_first = first_unit.end() if first_unit is not None else q.end
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
            um = lexicon().unit_after.match(text, end2, hi)
            if um is None or um.group("u") != first_unit.group("u"):
                return
        v1 = q.value
        if scaled2 and not q.has_scale:
            # "1,5-2 triệu": the scale of the second number applies to the first.
            scale = v2 / parse_digits(_DIGIT_ATOM.match(text, sm.end()).group()) if v2 else 1.0
            v1 = q.value * scale
        raw2 = _DIGIT_ATOM.match(text, sm.end()).group()
        if not q.has_scale and not scaled2 and v1 < 1000 <= v2 and "." in raw2 and v1 * 1000 <= v2:
            v1 = q.value * 1000  # "10-15.000 đồng/kg" = 10.000-15.000
        if not v2 > v1:
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


def _attach_unit(text: str, q: Quantity, hi: int) -> None:
    """Attach a unit, currency, percent sign or "/unit" rate after the number, extending the span."""
    lex = lexicon()
    if q.denominator is not None:
        um = lex.unit_after.match(text, q.end, hi)
        if um is not None and um.group("u") == "%":
            q.unit, q.unit_kind, q.unit_start, q.end = "%", "percent", um.start("u"), um.end()
        return
    um = lex.unit_after.match(text, q.end, hi)
    if um is not None:
        info = lex.unit_of_form[" ".join(um.group("u").split())]
        q.unit, q.unit_kind, q.unit_start, q.end = info.unit, info.kind, um.start("u"), um.end()
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
    nm = _NOUN_PER.match(text, q.end, hi)
    if nm is not None and nm.group("p") in _noun_per_words():
        # "2.706 khách/giờ": a count per unit is a measure with a compound unit.
        q.unit, q.unit_kind, q.unit_start, q.end = f"{nm.group('n')}/{nm.group('p')}", "measure", nm.start("n"), nm.end()
        q.noun_per = True
