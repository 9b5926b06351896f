"""extract_mentions: find candidate numbers with regexes, drop non-mentions, attach attributes."""
from __future__ import annotations

import math

import regex

from extractors import attributes as attr
from extractors.candidates import Quantity, quantity_at
from extractors.context import Layout, article_ranges, layout, words_before
from extractors.exclusions import exclusion_reason, phone_spans
from extractors.lexicon import lexicon, phrase_set
from extractors.mention import Mention

_FACTOR_WORD = regex.compile(r"(?<![\p{L}])(?:gấp|tăng gấp|cao gấp|nhiều gấp|lớn gấp)[ \t]+(?P<w>đôi|rưỡi)(?![\p{L}])",
                             regex.IGNORECASE)
_CORRESPONDING = regex.compile(r"[\s,(]*(?:tương ứng|tương đương|hay|tức|tức là)(?:\s+(?:với|mức|khoảng|gần|hơn))?\s*",
                               regex.IGNORECASE)
_LIST_MARKER = regex.compile(r"\s*(?:[-+•*–]|\d{1,2}[.)]\s|[a-zđ][.)]\s)")


def extract_mentions(text: str, body: list[tuple[int, int]] | None = None) -> list[Mention]:
    """All indicator mentions of the article text inside body ranges, sorted by start; never raises."""
    if not isinstance(text, str) or not text:
        return []
    try:
        ranges = article_ranges(text, body)
    except Exception:  # noqa: BLE001 - a bad body must not stop a batch run
        ranges = [(0, len(text))]
    lay = layout(text)
    place = _safe(attr.main_place, text)
    out: list[Mention] = []
    for lo, hi in ranges:
        out.extend(_extract_range(text, lo, hi, lay, place))
    out = _dedupe(out)
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _safe(fn, *args):
    try:
        return fn(*args)
    except Exception:  # noqa: BLE001
        return None


def _extract_range(text: str, lo: int, hi: int, lay: Layout, place: str | None) -> list[Mention]:
    """Mentions whose span lies inside [lo, hi)."""
    lex = lexicon()
    blocked = phone_spans(text, lo, hi)
    found: list[Mention] = []
    last_end = lo
    for m in lex.number_atom.finditer(text, lo, hi):
        if m.start() < last_end:
            continue
        if blocked and any(a <= m.start() < b for a, b in blocked):
            continue
        if m.group("s") in ("năm", "Năm") and not _five_follows(text, m.end()):
            continue  # "năm" is far more often "year" than "five"; skip it cheaply
        try:
            q = quantity_at(text, m, hi)
            if q is None or q.end > hi:
                continue
            s_lo, s_hi = lay.sentence(q.start)
            if exclusion_reason(text, q, s_lo) is not None:
                if q.value_max is not None or q.denominator is not None:
                    last_end = q.end  # do not re-read the second half of an excluded range
                continue
            mention = _mention(text, q, lay, place, found[-1].end if found else lo)
        except Exception:  # noqa: BLE001 - one odd candidate must not lose the document
            continue
        if mention is not None:
            if (found and mention.subject is None and mention.kind == "percent" and found[-1].subject
                    and found[-1].kind in ("count", "ratio") and lay.sentence(found[-1].start)[0] == lay.sentence(q.start)[0]):
                mention.subject = found[-1].subject  # "08/18 chỉ tiêu hoàn thành (chiếm tỷ lệ 44,4%)"
            if found and _CORRESPONDING.fullmatch(text, found[-1].end, mention.start):
                # "VN-Index giảm 10,39 điểm, tương ứng 0,81%": a restatement of the figure before it.
                if mention.change is None and found[-1].change is not None:
                    mention.change = found[-1].change
                if found[-1].subject:
                    mention.subject = found[-1].subject
            found.append(mention)
            last_end = q.end
    for fm in _FACTOR_WORD.finditer(text, lo, hi):
        q = Quantity(fm.start("w"), fm.end("w"), 2.0 if fm.group("w").lower() == "đôi" else 1.5,
                     fm.start("w"), fm.end("w"), spelled=True, unit="lần", unit_kind="number")
        mention = _safe(_mention, text, q, lay, place)
        if mention is not None:
            mention.change = mention.change or "increase"
            found.append(mention)
    return found


_NEXT_WORD = regex.compile(r"[ \t]+([\p{L}]+(?:[ \t]+[\p{L}]+)?)")


def _five_follows(text: str, pos: int) -> bool:
    """True when the words after a lone "năm" allow reading it as the numeral five."""
    m = _NEXT_WORD.match(text, pos)
    if m is None:
        return False
    words = m.group(1).lower().split()
    if len(words) == 2 and words[0] in ("đến", "tới") and words[1] in lexicon().spelled_words:
        return True                         # "từ năm đến bảy ngày"
    nouns = phrase_set("exclusions", "nam_as_five_before")
    return words[0] in nouns or " ".join(words) in nouns


def _mention(text: str, q: Quantity, lay: Layout, place: str | None, prev_end: int = 0) -> Mention | None:
    """The Mention for a kept candidate, with every attribute filled in."""
    if not all(v is None or math.isfinite(v) for v in (q.value, q.value_max, q.denominator)):
        return None  # "1e400" digit strings: not a number a record can hold
    s_lo, s_hi = lay.sentence(q.start)
    before = words_before(text, q.start, 5, s_lo)
    kind, unit, hint = attr.kind_and_unit(text, q, before)
    if kind == "count" and attr.is_label_count(text, q, before):
        return None
    if kind == "count" and q.unit is not None and q.unit_start is not None:
        # "2 lần gửi văn bản", "5 điểm du lịch": the word is the counted noun, not a unit.
        q.end = len(text[:q.unit_start].rstrip())
    qual = attr.qualifier(text, q, before, hint)
    chg = attr.change(text, q, before, kind)
    sentence = text[s_lo:s_hi]
    mod = attr.modality(text[s_lo:q.start], q.start - s_lo, _list_intro(text, lay, q.start),
                        _previous_sentence(text, lay, s_lo), sentence)
    subj = attr.subject(text, q, kind, unit, max(s_lo, prev_end))
    if mod == "actual" and attr.is_quota(kind, subj, sentence):
        mod = "target"                      # "xét tuyển 530 chỉ tiêu": a quota is a target
    time = attr.time_of(sentence, s_lo, q)
    loc = attr.location_of(sentence, s_lo, q, place, unit, qual, kind)
    value = float(q.value)
    return Mention(
        start=q.start, end=q.end, text=text[q.start:q.end], kind=kind, value=_tidy(value),
        value_max=_tidy(q.value_max), denominator=_tidy(q.denominator) if kind in ("ratio", "rank") else None,
        unit=unit, qualifier=qual, modality=mod, change=chg, subject=subj, time=time, location=loc,
    )


def _tidy(v: float | None) -> float | None:
    """Round away binary noise from scale multiplication (1,9 * 1e6)."""
    if v is None:
        return None
    r = round(v, 6)
    return float(int(r)) if r == int(r) else r


def _previous_sentence(text: str, lay: Layout, s_lo: int) -> str:
    """The sentence just before the one starting at s_lo (a stated plan the sentence may continue)."""
    j = s_lo
    while j > 0 and text[j - 1] in "\n \t":
        j -= 1
    if j <= 0:
        return ""
    a, _ = lay.sentence(j - 1)
    return text[a:j]


def _list_intro(text: str, lay: Layout, pos: int) -> str | None:
    """The line introducing the list item that holds pos (a line ending with ':'), if any."""
    i = lay.line(pos)
    starts = lay.line_starts
    line_end = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
    if not _LIST_MARKER.match(text, starts[i], line_end):
        return None
    for j in range(i - 1, max(-1, i - 15), -1):
        a = starts[j]
        b = starts[j + 1] - 1
        line = text[a:b]
        if _LIST_MARKER.match(line):
            continue
        return line if line.rstrip().endswith(":") else None
    return None


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions overlapping an earlier, longer one (the factor pass can meet the main pass)."""
    mentions = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out
