"""Normalized periods (ANNOTATION.md section 7): a `time` phrase, or the relative words before a mention, as ISO 8601.

`period_of("quý II/2023", "2023-10-15")` -> ("2023-04/2023-06", "period.quarter"). Pure functions of their arguments
and the rules in force (rules/periods.yaml); the words and patterns are data, this module only combines them.
"""
from __future__ import annotations

import calendar
import datetime
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from extractors.lexicon import word_alternation
from rules import RuleError, load_rules, per_rules, rule_source

_PRECISION = {"y": 0, "m": 1, "d": 2}
# The checks each rule list of rules/periods.yaml may name; each frame check but `none` is used exactly once.
CHECKS = {
    "frame_rules": frozenset({"none", "filler", "stock", "from", "range", "unit_end", "unit_part", "past", "future",
                              "relative_year"}),
    "phrase_rules": frozenset({"day", "month", "quarter", "months", "quarters", "half", "years", "decade", "year"}),
    "relative_rules": frozenset({"year", "month", "quarter", "day", "none"}),
}
_DASH_CHARS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_TABLE = str.maketrans({c: "-" for c in _DASH_CHARS})
_EDGE_CHARS = " ,.;:()\"“”'‘’"
_ENDS_WITH_UNIT_END = regex.compile(r"(?:hết|cuối)\s+$")
_BARE_DAY = regex.compile(r"(?:(?:ngày|mùng|mồng)\s+)?(?P<n>\d{1,2})")
_ISO_PUBLISHED = regex.compile(r"(?P<y>\d{4})(?:-?(?P<m>\d{2})(?:-?(?P<d>\d{2}))?)?(?:[T\s].*)?")


@dataclass(frozen=True)
class _Side:
    """One end of a period at precision p ('y', 'm', 'd'); y is an offset from an unknown year when not known."""

    p: str
    y: int
    m: int | None = None
    d: int | None = None


@dataclass(frozen=True)
class _Span:
    """A period read from a phrase: its two ends, and whether their years are known (else offsets)."""

    start: _Side
    end: _Side
    known: bool
    rule: str
    future: bool = False       # "tháng 3 tới": the next such month after the publication date


class _NoPeriod(Exception):
    """The phrase gives no period; args[0] is the rule id that decided it."""


@dataclass(frozen=True)
class _Rules:
    """rules/periods.yaml compiled."""

    frame_none: tuple           # (rule id, pattern) searched anywhere in the phrase
    frame: dict                 # check -> (rule id, pattern) for the one-per-check frame rules
    phrases: tuple              # (rule id, check, pattern) tried in order (fullmatch)
    relative_scan: regex.Pattern
    relative_whole: regex.Pattern   # the same alternation, for a whole phrase (first rule in order wins)
    relative_by_group: dict     # group name -> (rule id, check, shift)
    spelled: dict
    roman: dict
    capitalized_only: frozenset
    sentence_year: regex.Pattern
    comparison_before: regex.Pattern
    rolling_before: regex.Pattern
    lunar_after: regex.Pattern
    relative_unit_before: regex.Pattern
    context_before: regex.Pattern
    context_after: regex.Pattern
    context_glued: regex.Pattern
    append_year_word: regex.Pattern
    relative_window: int        # relative_period reads this many characters before a mention at most


@per_rules
def _rules() -> _Rules:
    """Compile rules/periods.yaml (once per rules overlay)."""
    data = load_rules("periods")
    spelled = {" ".join(str(k).lower().split()): int(v) for k, v in data["spelled_numbers"].items()}
    roman = {str(k).lower(): int(v) for k, v in data["roman_numerals"].items()}
    fill = {"SPELLED": word_alternation(spelled), "ROMAN": word_alternation(roman), "YEAR": r"(?P<y>\d{4})"}

    def expand(pattern: str) -> str:
        for key, alt in fill.items():
            pattern = pattern.replace(key, alt)
        return pattern

    _check_rule_lists(data)
    frame_none, frame = [], {}
    for r in data["frame_rules"]:
        pat = regex.compile(r["params"]["regex"])
        if r["check"] == "none":
            frame_none.append((r["id"], pat))
        else:
            frame[r["check"]] = (r["id"], pat)
    phrases = tuple((r["id"], r["check"], regex.compile(expand(r["params"]["regex"]))) for r in data["phrase_rules"])
    groups, scan = {}, []
    for i, r in enumerate(data["relative_rules"]):
        params = r.get("params") or {}
        shift = int(params.get("shift", 0))
        groups[f"r{i}"] = (r["id"], r["check"], shift)
        scan.append(f"(?P<r{i}>{params['regex']})")
    return _Rules(
        frame_none=tuple(frame_none), frame=frame, phrases=phrases,
        relative_scan=regex.compile(r"(?<![\p{L}\d])(?:" + "|".join(scan) + r")(?![\p{L}\d])"),
        relative_whole=regex.compile("|".join(scan)),
        relative_by_group=groups, relative_window=int(data["relative_window"]), spelled=spelled, roman=roman,
        capitalized_only=frozenset(str(w).lower() for w in data["capitalized_only"]),
        sentence_year=regex.compile(data["sentence_year_regex"]),
        comparison_before=regex.compile(data["comparison_before_regex"]),
        rolling_before=regex.compile(data["rolling_before_regex"]),
        lunar_after=regex.compile(data["lunar_after_regex"]),
        relative_unit_before=regex.compile(data["relative_unit_before_regex"]),
        context_before=regex.compile(data["context_before_regex"]),
        context_after=regex.compile(data["context_after_regex"]),
        context_glued=regex.compile(data["context_glued_regex"]),
        append_year_word=regex.compile(r"(?:^|\s)(?:đầu|cuối|giữa|sau|hết|tháng)$"),
    )


def _check_rule_lists(data: dict) -> None:
    """Every rule names a known check and carries params.regex; each frame check but `none` appears exactly once."""
    def fail(rid: str, message: str) -> None:
        raise RuleError(rule_source("periods", rid), "R002", message, rid)

    for key, checks in CHECKS.items():
        for r in data[key]:
            if r["check"] not in checks:
                fail(r["id"], f"check '{r['check']}' of '{key}' is not one of {', '.join(sorted(checks))}")
            if not isinstance((r.get("params") or {}).get("regex"), str):
                fail(r["id"], "needs params.regex")
    frame_checks = [r["check"] for r in data["frame_rules"] if r["check"] != "none"]
    for check in CHECKS["frame_rules"] - {"none"}:
        if frame_checks.count(check) != 1:
            where = next((r["id"] for r in data["frame_rules"] if r["check"] == check), "frame_rules")
            fail(where, f"'frame_rules' needs exactly one rule with check '{check}' (has {frame_checks.count(check)})")


def _norm(text: str) -> str:
    """Text as the patterns see it: NFC, dashes as '-', spaces collapsed, surrounding punctuation dropped."""
    text = unicodedata.normalize("NFC", text)
    if any(c in text for c in _DASH_CHARS):
        text = text.translate(_DASH_TABLE)
    text = " ".join(text.split())
    return text.strip(_EDGE_CHARS)


@lru_cache(maxsize=4096)
def parse_published(published: str | None) -> tuple[int, int | None, int | None] | None:
    """A publication date "YYYY-MM-DD", "YYYY-MM", "YYYY" or "YYYYMMDD" (a time after it is ignored) as
    (year, month, day) with None for what it does not say; None when absent or not a real date."""
    if not published:
        return None
    m = _ISO_PUBLISHED.fullmatch(str(published).strip())
    if m is None:
        return None
    y = int(m["y"])
    if not 1000 <= y <= 2999:                     # the years periods are written in (see _format)
        return None
    mo = int(m["m"]) if m["m"] else None
    d = int(m["d"]) if m["d"] else None
    if mo is not None and not 1 <= mo <= 12 or d is not None and not _valid_day(y, mo, d):
        return None
    return y, mo, d


def _valid_day(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


# ---------------------------------------------------------------------------------------------------------------
# Public API

def period_of(time_text: str | None, published: str | None, sentence: str = "") -> tuple[str | None, str | None]:
    """The period of a `time` phrase as (ISO 8601 form or None, rule id); (None, None) without a phrase.

    published: the article's publication date ("YYYY-MM-DD", "YYYY-MM", "YYYY") or None; sentence: the text of the
    mention's sentence (it gives a year-less phrase its year, and the frame words the phrase did not copy).
    """
    if not time_text or not time_text.strip():
        return None, None
    return _period(time_text, published or "", sentence or "")


def relative_period(before: str, published: str | None) -> tuple[str | None, str | None]:
    """The period named by a relative phrase ("năm nay", "tháng trước") in BEFORE, as (ISO form or None, rule id).

    BEFORE is the text of the mention's sentence from its start up to the mention (not past it): the relative phrase
    nearest to the mention wins, comparison bases ("so với năm trước") are skipped, a count before the phrase makes
    it a rolling span ("3 năm nay": None). (None, None) when BEFORE names no relative period.
    """
    window = _rules().relative_window
    if len(before) > window:
        # A bounded look-back keeps a sentence of thousands of figures linear; cut at a space, never inside a word.
        cut = before.find(" ", len(before) - window)
        before = before[cut + 1:] if cut >= 0 else ""
    if not before:
        return None, None
    return _relative(before, published or "")


def period_rule_ids() -> dict[str, str]:
    """Every rule id these functions may return, with its one-line reason (for explain and the rule catalog)."""
    data = load_rules("periods")
    out = {r["id"]: r["reason"] for k in ("frame_rules", "phrase_rules", "relative_rules") for r in data[k]}
    out.update(data["outcome_rules"])
    return out


# Frame rules that change the reading of a phrase without deciding it: the rule id returned is the phrase rule's,
# so their examples check the period only.
MODIFIER_CHECKS = frozenset({"filler", "past", "future", "relative_year"})
_EXAMPLE = regex.compile(r"(?:@(?P<pub>\S+) )?(?P<text>[^\[\]]*\[(?P<phrase>[^\[\]]+)\][^\[\]]*) => (?P<want>\S+)")


def check_period_rules() -> int:
    """Compile rules/periods.yaml in force and walk its examples; raise rules.RuleError (R002, R006) at a fault.

    Returns the number of rules checked (for extractors.rulecheck.check_rules to call beside the other files).
    """
    _rules()
    failures = example_failures()
    if failures:
        rid, example, got = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise RuleError(rule_source("periods", rid), "R006", f"example {example!r}: {got}{more}", rid)
    data = load_rules("periods")
    return sum(len(data[k]) for k in CHECKS)


def example_failures() -> list[tuple[str, str, str]]:
    """Every example of rules/periods.yaml in force that its rule contradicts, as (rule id, example, what happened).

    An example is "[@YYYY-MM-DD ]sentence with [phrase] => period" ("null" for none; "@none": no publication date);
    a `hit` must be decided by its rule with that period, a `miss` by another rule (with the period given).
    """
    data = load_rules("periods")
    out = []
    for key in ("frame_rules", "phrase_rules", "relative_rules"):
        for rule in data[key]:
            for expect, texts in (rule.get("examples") or {}).items():
                for example in texts:
                    got = _example_contradiction(key, rule, expect, example, data["example_published"])
                    if got:
                        out.append((rule["id"], example, got))
    return out


def _example_contradiction(key: str, rule: dict, expect: str, example: str, default_pub: str) -> str | None:
    m = _EXAMPLE.fullmatch(example)
    if m is None:
        return "it is not written '[@YYYY-MM-DD ]sentence with [phrase] => period'"
    pub = default_pub if m["pub"] is None else None if m["pub"] == "none" else m["pub"]
    want = None if m["want"] == "null" else m["want"]
    sentence = m["text"].replace("[", "").replace("]", "")
    if key == "relative_rules":                   # relative_period sees the sentence up to the phrase's end
        period, rid = relative_period(sentence[:m["text"].index("]") - 1], pub)
    else:
        period, rid = period_of(m["phrase"], pub, sentence)
    if period != want:
        return f"it gave {period or 'null'} (rule {rid})"
    if rule["check"] not in MODIFIER_CHECKS and (rid == rule["id"]) != (expect == "hit"):
        return f"it was decided by {rid}"
    return None


# ---------------------------------------------------------------------------------------------------------------
# period_of

@per_rules(maxsize=8192)
def _period(time_text: str, published: str, sentence: str) -> tuple[str | None, str | None]:
    rules = _rules()
    sentence = _norm(sentence) if sentence else ""
    original = _with_context(_norm(time_text), sentence, rules)
    phrase = original.lower()
    if len(phrase) != len(original):              # a letter whose lower case is longer: keep the two aligned
        original = phrase
    pub = parse_published(published)
    try:
        for rid, pat in rules.frame_none:
            if pat.search(phrase):
                raise _NoPeriod(rid)
        span = _read(phrase, original, pub, rules)
        span = _resolve_year(span, pub, sentence, rules)
        return _format(span), span.rule
    except _NoPeriod as exc:
        return None, exc.args[0]


def _with_context(phrase: str, sentence: str, rules: _Rules) -> str:
    """The phrase with the frame words the `time` copy left in the sentence around it (and the lunar mark)."""
    low = sentence.lower()
    at = low.find(phrase.lower()) if sentence and len(low) == len(sentence) else -1
    if at < 0:
        return phrase
    before, after = sentence[:at], sentence[at + len(phrase):]
    glued = rules.context_glued.match(after)
    if glued:
        phrase, after = phrase + glued.group(), after[glued.end():]
    if rules.lunar_after.match(after.lower()):
        return phrase + " âm lịch"
    low_phrase = phrase.lower()
    m = rules.context_before.search(before.lower())
    if m and not rules.frame["stock"][1].match(low_phrase) and not rules.frame["from"][1].match(low_phrase):
        phrase = before[m.start():m.end()].strip() + " " + phrase
    m = rules.context_after.match(after.lower())
    if m:
        phrase = phrase + " " + after[m.start():m.end()].strip()
    return phrase


def _read(phrase: str, original: str, pub, rules: _Rules) -> _Span:
    """The span of a whole phrase (frame words included), years possibly unknown."""
    while True:                                   # "trong", "vào", "cho" ... change nothing
        m = rules.frame["filler"][1].match(phrase)
        if not m:
            break
        phrase, original = phrase[m.end():], original[m.end():]
    rel = _relative_phrase(phrase, pub, rules)
    if rel is not None:
        return rel
    stock_id, stock = rules.frame["stock"]
    m = stock.match(phrase)
    if m:
        rest, rest_orig = phrase[m.end():], original[m.end():]
        if _ENDS_WITH_UNIT_END.search(m.group()):    # "đến hết năm": the end of the unit that follows
            span = _side("hết " + rest, "hết " + rest_orig, pub, rules, "whole")
        else:
            span = _read(rest, rest_orig, pub, rules)
        return replace(span, start=span.end, rule=stock_id)
    from_id, from_pat = rules.frame["from"]
    m = from_pat.match(phrase)
    if m:
        rest, rest_orig = phrase[m.end():], original[m.end():]
        span = _range(rest, rest_orig, pub, rules)
        if span is not None:
            return span
        span = _side(rest, rest_orig, pub, rules, "whole")
        if span.start != span.end:
            return span                           # "từ năm 2021-2025": already an interval
        raise _NoPeriod(from_id)
    try:
        return _side(phrase, original, pub, rules, "whole")
    except _NoPeriod as exc:
        span = _range(phrase, original, pub, rules)
        if span is not None:
            return span
        raise exc from None


def _relative_phrase(phrase: str, pub, rules: _Rules) -> _Span | None:
    """A whole phrase that is a relative one ("năm nay", "mỗi năm"), resolved; None if it is not one."""
    m = rules.relative_whole.fullmatch(phrase)
    if m is None:
        return None
    rid, check, shift = rules.relative_by_group[m.lastgroup]
    return _relative_span(rid, check, shift, pub)


def _relative_span(rid: str, check: str, shift: int, pub) -> _Span:
    """The period of a relative rule against the publication date."""
    if check == "none":
        raise _NoPeriod(rid)
    need = {"year": 1, "quarter": 2, "month": 2, "day": 3}[check]
    if pub is None or sum(v is not None for v in pub) < need:
        raise _NoPeriod("period.none.no_publication")
    y, m, d = pub
    if check == "year":
        s = e = _Side("y", y + shift)
    elif check == "month":
        yy, mm = divmod((y * 12 + m - 1) + shift, 12)
        s = e = _Side("m", yy, mm + 1)
    elif check == "quarter":
        yy, q = divmod((y * 4 + (m - 1) // 3) + shift, 4)
        s, e = _Side("m", yy, 3 * q + 1), _Side("m", yy, 3 * q + 3)
    else:
        day = datetime.date(y, m, d) + datetime.timedelta(days=shift)
        s = e = _Side("d", day.year, day.month, day.day)
    return _Span(s, e, True, rid)


def _range(phrase: str, original: str, pub, rules: _Rules) -> _Span | None:
    """START/END joined by a range connector ("tháng 3 đến tháng 5/2022", "22-23/4"), or None."""
    rid, conn = rules.frame["range"]
    for m in conn.finditer(phrase):
        left, right = phrase[:m.start()], phrase[m.end():]
        if not left or not right:
            continue
        try:
            b = _side(right, original[m.end():], pub, rules, "end")
        except _NoPeriod:
            continue
        bare = _BARE_DAY.fullmatch(left)
        if bare:                                  # "22-23/4", "từ 3 đến 5/2022"
            n = int(bare["n"])
            e = b.end
            a_side = _Side("d", e.y, e.m, n) if e.p == "d" else _Side("m", e.y, n) if e.p == "m" else None
            if a_side is None:
                continue
            return _join(_Span(a_side, a_side, b.known, rid), b, rid)
        try:
            a = _side(left, original[:m.start()], pub, rules, "start")
        except _NoPeriod:
            continue
        return _join(a, b, rid)
    return None


def _join(a: _Span, b: _Span, rid: str) -> _Span:
    """The interval from a's start to b's end, a year-less end taking its year from the other (wrapping a year)."""
    s, e = a.start, b.end
    if a.known and b.known:
        return _Span(s, e, True, rid)
    if b.known:
        s = replace(s, y=e.y - (1 if _key(s, e) > _key(e, s) else 0))
        return _Span(s, e, True, rid)
    if a.known:
        e = replace(e, y=s.y + (1 if _key(e, s) < _key(s, e) else 0))
        return _Span(s, e, True, rid)
    e = replace(e, y=s.y + (1 if _key(e, s) < _key(s, e) else 0))
    return _Span(s, e, False, rid, a.future or b.future)


def _key(x: _Side, other: _Side) -> tuple:
    """Month and day of x at the precision both sides have, for ordering within a year."""
    p = min(_PRECISION[x.p], _PRECISION[other.p])
    return (x.m or 0, x.d or 0)[:p]


def _side(phrase: str, original: str, pub, rules: _Rules, mode: str) -> _Span:
    """One calendar phrase; mode 'start'/'end' allows "đầu X"/"cuối X" as a range end, 'whole' a whole phrase."""
    phrase, original = phrase.strip(), original.strip()
    future = False
    rel_id, rel = rules.frame["relative_year"]
    year_shift = None
    m = rel.search(phrase)
    if m:
        r = _relative_phrase(m["rel"], pub, rules)
        year_shift = r.start.y if r is not None else None
        phrase, original = phrase[:m.start()], original[:m.start()]
        if rules.append_year_word.search(phrase) or phrase in ("", "năm"):
            phrase, original = (phrase + " năm").strip(), (original + " năm").strip()
    for check in ("past", "future"):
        m = rules.frame[check][1].search(phrase)
        if m and m.start() > 0:
            phrase, original = phrase[:m.start()], original[:m.start()]
            future = future or check == "future"
    end_id, end_pat = rules.frame["unit_end"]
    part_id, part_pat = rules.frame["unit_part"]
    edge = None
    m = end_pat.match(phrase) or part_pat.match(phrase)
    if m:
        word = phrase[:m.end()].strip()
        edge = "end" if end_pat.match(phrase) else "start" if word == "đầu" else "part"
        phrase, original = phrase[m.end():], original[m.end():]
        if edge == "part" or (edge == "start" and mode != "start"):
            raise _NoPeriod(part_id)
    if phrase == "năm" and edge is None and year_shift is None:
        raise _NoPeriod("period.none.unread")     # "năm" alone is the unit of the context ("đầu năm", "hết năm")
    span = _phrase(phrase, original, rules)
    if year_shift is not None:
        if span.known:
            raise _NoPeriod("period.none.invalid")
        span = _Span(replace(span.start, y=span.start.y + year_shift), replace(span.end, y=span.end.y + year_shift),
                     True, span.rule)
    if future:
        span = replace(span, future=True)
    if edge == "end":
        span = replace(span, start=span.end, rule=end_id if mode == "whole" else span.rule)
    elif edge == "start":
        span = replace(span, end=span.start)
    return span


def _phrase(phrase: str, original: str, rules: _Rules) -> _Span:
    """A bare calendar phrase by the first phrase rule that reads it all."""
    if phrase == "năm":
        return _Span(_Side("y", 0), _Side("y", 0), False, "period.year")   # "đầu năm": the year is the context's
    for rid, check, pat in rules.phrases:
        m = pat.fullmatch(phrase)
        if m:
            return _from_match(rid, check, m, original, rules)
    raise _NoPeriod("period.none.unread")


def _num(word: str | None, rules: _Rules) -> int | None:
    if word is None:
        return None
    if word.isdigit():
        return int(word)
    return rules.roman.get(word) or rules.spelled.get(" ".join(word.split()))


def _from_match(rid: str, check: str, m, original: str, rules: _Rules) -> _Span:
    """The span a phrase rule's match reads (groups y, m, d, q, n, w, y1, y2, mw, qw)."""
    g = m.groupdict()
    y = int(g["y"]) if g.get("y") else None
    known = y is not None
    if known and not 1000 <= y <= 2999:
        raise _NoPeriod("period.none.invalid")
    yy = y if known else 0
    if check == "years":
        y1, y2s = int(g["y1"]), g["y2"]
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if len(y2s) == 2 and y2 <= y1:
            y2 += 100
        if not (1000 <= y1 <= 2999 and 1000 <= y2 <= 2999) or y2 < y1:
            raise _NoPeriod("period.none.invalid")
        return _Span(_Side("y", y1), _Side("y", y2), True, rid)
    if check == "decade":
        return _Span(_Side("y", yy), _Side("y", yy + 9), True, rid)
    if check == "year":
        return _Span(_Side("y", yy), _Side("y", yy), known, rid)
    if check == "day":
        d, mo = int(g["d"]), int(g["m"])
        if not 1 <= mo <= 12 or not 1 <= d <= 31 or (known and not _valid_day(y, mo, d)):
            raise _NoPeriod("period.none.invalid")
        return _Span(_Side("d", yy, mo, d), _Side("d", yy, mo, d), known, rid)
    if check == "month":
        if g.get("mw"):
            word = " ".join(g["mw"].split())
            if word in rules.capitalized_only:
                at = m.start("mw")
                if original[at:at + 1].islower():
                    raise _NoPeriod("period.none.unread")
            mo = rules.spelled.get(word)
        else:
            mo = int(g["m"])
        if mo is None or not 1 <= mo <= 12:
            raise _NoPeriod("period.none.invalid")
        return _Span(_Side("m", yy, mo), _Side("m", yy, mo), known, rid)
    if check == "quarter":
        q = {"đầu": 1, "cuối": 4}[g["qw"]] if g.get("qw") else _num(g.get("q"), rules)
        if q is None or not 1 <= q <= 4:
            raise _NoPeriod("period.none.invalid")
        return _Span(_Side("m", yy, 3 * q - 2), _Side("m", yy, 3 * q), known, rid)
    if check in ("months", "quarters", "half"):
        n = 6 if check == "half" else _num(g.get("n"), rules)
        size = 3 if check == "quarters" else 1
        if n is None or not 1 <= n * size <= 12:
            raise _NoPeriod("period.none.invalid")
        n *= size
        first = g.get("w") in ("đầu", None)
        a, b = (1, n) if first else (13 - n, 12)
        return _Span(_Side("m", yy, a), _Side("m", yy, b), known, rid)
    raise _NoPeriod("period.none.unread")


def _resolve_year(span: _Span, pub, sentence: str, rules: _Rules) -> _Span:
    """A year-less span given its year: from the sentence, else the publication date (section 7)."""
    if span.known:
        return span
    years = _sentence_years(sentence, rules)
    if len(years) > 1:
        raise _NoPeriod("period.none.ambiguous_year")
    if years:
        base = years.pop()
    elif pub is None:
        raise _NoPeriod("period.none.no_year")
    else:
        py, pm, _ = pub
        start_month = span.start.m or 1
        if pm is None:
            if start_month != 1 or span.future:
                raise _NoPeriod("period.none.no_year")
            base = py
        elif span.future:
            base = py + 1 if start_month < pm else py
        else:
            base = py - 1 if start_month > pm else py   # a month later than publication: the year before
    return _Span(replace(span.start, y=span.start.y + base), replace(span.end, y=span.end.y + base), True, span.rule)


def _sentence_years(sentence: str, rules: _Rules) -> set[int]:
    """The distinct years the sentence names, comparison bases left out ("so với năm 2022")."""
    if not sentence:
        return set()
    low = sentence.lower()                        # already normalized by _period
    out = set()
    for m in rules.sentence_year.finditer(low):
        if rules.comparison_before.search(low[max(0, m.start() - 60):m.start()]):
            continue
        out.add(int(m.group()))
    return out


def _format(span: _Span) -> str:
    """The coarsest exact ISO 8601 form of a span with known years (both ends at the same precision)."""
    s, e = span.start, span.end
    p = max(_PRECISION[s.p], _PRECISION[e.p])
    a, b = _at(s, p, first=True), _at(e, p, first=False)
    for x in (a, b):
        if not 1000 <= x[0] <= 2999 or (p >= 1 and not 1 <= x[1] <= 12) or (p == 2 and not _valid_day(*x)):
            raise _NoPeriod("period.none.invalid")
    if a > b:
        raise _NoPeriod("period.none.invalid")
    if p == 2 and a[2] == 1 and b[2] == calendar.monthrange(b[0], b[1])[1]:
        p, a, b = 1, a[:2], b[:2]
    if p == 1 and a[1] == 1 and b[1] == 12:
        p, a, b = 0, a[:1], b[:1]
    fa, fb = _iso(a), _iso(b)
    return fa if fa == fb else f"{fa}/{fb}"


def _at(x: _Side, p: int, first: bool) -> tuple:
    """x written at precision p: its first (or last) month and day where it is coarser."""
    m = x.m if x.m is not None else (1 if first else 12)
    if p == 0:
        return (x.y,)
    if p == 1:
        return (x.y, m)
    if x.d is not None:
        d = x.d
    elif first:
        d = 1
    else:
        d = calendar.monthrange(x.y, m)[1] if 1 <= m <= 12 and 1 <= x.y <= 9999 else 31
    return (x.y, m, d)


def _iso(t: tuple) -> str:
    return "-".join([f"{t[0]:04d}"] + [f"{v:02d}" for v in t[1:]])


# ---------------------------------------------------------------------------------------------------------------
# relative_period

@per_rules(maxsize=8192)
def _relative(before: str, published: str) -> tuple[str | None, str | None]:
    rules = _rules()
    low = _norm(before).lower()
    pub = parse_published(published)
    for m in reversed(list(rules.relative_scan.finditer(low))):
        rid, check, shift = rules.relative_by_group[m.lastgroup]
        unit = rules.relative_unit_before.search(low, max(0, m.start() - 40), m.start()) if check == "year" else None
        start = unit.start() if unit else m.start()
        head = low[max(0, start - 60):start]
        if rules.comparison_before.search(head):
            continue                              # "so với năm trước": a comparison base, not the figure's time
        if rules.rolling_before.search(head):
            return None, "period.none.rolling"    # "3 năm nay", "2 tháng trước"
        if unit:                                  # "6 tháng đầu năm nay": the whole phrase
            return _period(low[start:m.end()], published, "")
        try:
            return _format(_relative_span(rid, check, shift, pub)), rid
        except _NoPeriod as exc:
            return None, exc.args[0]
    return None, None
