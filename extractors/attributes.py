"""Attributes of a mention from its context: kind, qualifier, change, modality, subject, time, location."""
from __future__ import annotations

import bisect

import regex

from extractors.candidates import Quantity
from extractors.context import head_phrase, tail_phrase, words_after, words_before
from extractors.trace import fired, slug
from extractors.lexicon import lexicon, phrase_map, phrase_set, rx, word_alternation
from rules import load_rules, per_rules

_NUMERIC = regex.compile(r"[\d.,/]+")
_TIME_WORDS = frozenset({"năm", "tháng", "quý", "ngày", "tuần", "giai đoạn", "đến hết", "hết"})
_AVERAGE = regex.compile(r"(?<![\p{L}])[Tt]rung bình(?![\p{L}])[^.;:!?\n\d]*$")
# A capitalized word that is not the first of its sentence, right before a place name ("Đông Anh").
_NAME_BEFORE = regex.compile(r"(?<=[\p{L}\d,][ \t]+)\p{Lu}[\p{L}]*[ \t]+$")
_BOUNDED_RANGE = regex.compile(r"(?:đến|tới)[ \t]+(?:hơn|dưới|gần|khoảng|trên)(?![\p{L}])", regex.IGNORECASE)
_INDEX_WORDS = ("chỉ số", "hệ số", "điểm số", "chỉ số đạt", "hệ số đạt", "đạt điểm")


def _why(rule_id: str, kind: str, unit: str | None, hint: str) -> tuple[str, str | None, str]:
    """Note the kind rule and pass its decision through."""
    fired(rule_id)
    return kind, unit, hint


def kind_and_unit(text: str, q: Quantity, before: list[str]) -> tuple[str, str | None, str]:
    """(kind, unit, qualifier hint) from the surface of q and the words before it."""
    if q.unit_kind == "percent":
        return _why("kind.from_unit", "percent", q.unit, "")
    if q.unit_kind == "money":
        return _why("kind.from_unit", "money", q.unit, "")
    if q.unit == "lần":
        if q.value != int(q.value) or tail_phrase(_strip_qualifiers(before), phrase_set("cues", "factor_cues")) or \
                rx(lexicon().cues["factor_after_regex"]).match(text[q.end:q.end + 20]):
            return _why("kind.number.factor", "number", "lần", "")
        return _why("kind.count.times", "count", None, "")
    if q.unit == "điểm":
        nxt = " ".join(w.lower() for w, _, _ in words_after(text, q.end, 2))
        places = phrase_set("units", "diem_place_nouns")
        if q.value == int(q.value) and any(nxt == p or nxt.startswith(p + " ") for p in places):
            return _why("kind.count.diem_places", "count", None, "")
        return _why("kind.number.points", "number", "điểm", "")
    if q.unit == "bậc":
        return _why("kind.number.steps", "number", "bậc", "")
    if q.unit_kind == "measure":
        return _why("kind.from_unit", "measure", q.unit, "")
    if q.unit_kind == "number":
        return _why("kind.from_unit", "number", q.unit, "")
    rank_cue = tail_phrase(before, phrase_set("cues", "rank_before"))
    top_cue = tail_phrase(before, phrase_set("cues", "rank_le_before"))
    if q.denominator is not None:
        if rank_cue and rank_cue != "thứ" or (before and before[-1] in ("hạng", "thứ")):
            return _why("kind.rank.cue", "rank", None, "")
        return _why("kind.ratio", "ratio", None, "")
    if top_cue and top_cue in ("top", "tốp"):
        return _why("kind.rank.top", "rank", None, "le")
    if top_cue in ("trong nhóm", "nhóm"):
        follow = " ".join(w.lower() for w, _, _ in words_after(text, q.end, 5))
        if any(p in follow for p in phrase_set("cues", "rank_le_after_nouns")):
            return _why("kind.rank.leading_group", "rank", None, "le")
    if rank_cue and not (rank_cue == "xếp hạng" and len(before) >= 3 and before[-3] == "bảng"):
        return _why("kind.rank.cue", "rank", None, "")  # "bảng xếp hạng 50 thương hiệu" counts the list
    if before and before[-1] == "gấp" and q.unit is None:
        return _why("kind.number.gap_factor", "number", "lần", "")  # "tăng gấp 3 so với cùng kỳ": a factor without "lần"
    if before and before[-1] == "tuổi":
        return _why("kind.measure.age", "measure", "tuổi", "")  # "ở tuổi 39", "bước vào tuổi 40"
    if q.has_scale and _bare(text, q) and _money_context(text, q, before):
        return _why("kind.money.context", "money", "VND", "")  # "lợi nhuận 106,8 tỷ"
    if q.value != int(q.value) and not q.has_scale:
        return _why("kind.number.decimal", "number", None, "")
    joined = " ".join(before)
    follow = words_after(text, q.end, 1)
    if any(joined.endswith(w) for w in _INDEX_WORDS) and (not follow or not follow[0][0][:1].isalpha()):
        return _why("kind.number.index", "number", None, "")
    return _why("kind.count", "count", None, "")


def _bare(text: str, q: Quantity) -> bool:
    """True when nothing countable follows q (punctuation, end, a function word or a capitalized word)."""
    follow = words_after(text, q.end, 1)
    if not follow or follow[0][1] - q.end > 1:
        return True
    w = follow[0][0]
    if len(w) >= 2 and w.isupper() and w.isalpha():
        return False                           # an acronym noun: "2 SIM", "12 CLB", "5 DN"
    return not w[:1].isalpha() or w[:1].isupper() or w.lower() in phrase_set("cues", "subject_stop_words") or \
        w.lower() in ("mỗi", "một", "trên", "so")


@per_rules
def _money_re() -> regex.Pattern:
    words = phrase_set("cues", "money_context_words")
    return regex.compile(r"(?<![\p{L}])" + word_alternation(words, space=r"\ ") + r"(?![\p{L}])")


def _money_context(text: str, q: Quantity, before: list[str]) -> bool:
    """True when the clause before q talks about money."""
    wider = words_before(text, q.start, 20)
    return _money_re().search(" ".join(wider)) is not None


def is_label_count(text: str, q: Quantity, before: list[str]) -> bool:
    """A bare small integer after a noun with nothing counted after it: a label ("cấp 3", "gói 6")."""
    if q.spelled or q.has_scale or q.unit is not None or q.value != int(q.value) or q.value >= 10000:
        return False
    if q.value_max is not None or q.denominator is not None or not before:
        return False
    prev = before[-1]
    if not prev[:1].isalpha() or not prev[:1].islower():
        return False
    if tail_phrase(before, phrase_set("cues", "bare_count_before")) or tail_phrase(
            before, phrase_map("cues", "qualifiers_before")) or tail_phrase(before, phrase_set("cues", "rank_before")):
        return False
    if tail_phrase(before, phrase_set("cues", "rank_le_before")):
        return False
    return _bare(text, q)


def _strip_qualifiers(before: list[str]) -> list[str]:
    """Words before a number with trailing qualifier and gap words removed."""
    quals = phrase_map("cues", "qualifiers_before")
    gaps = phrase_set("cues", "change_gap_words")
    out = list(before)
    while out:
        p = tail_phrase(out, quals) or tail_phrase(out, gaps)
        if not p:
            break
        out = out[:len(out) - len(p.split())]
    return out


def qualifier(text: str, q: Quantity, before: list[str], hint: str) -> str:
    """The qualifier (eq/approx/gt/ge/lt/le) from cue words before and bound words after q."""
    quals = phrase_map("cues", "qualifiers_before")
    if q.value_max is not None and _BOUNDED_RANGE.search(text, q.atom_end, q.end):
        fired("qual.eq.bounded_range")
        return "eq"                           # "hơn 30 triệu đồng/m2 đến dưới 50 triệu": the range is the statement
    found: list[tuple[str, str]] = [(hint, f"qual.{hint}.rank_cue")] if hint else []
    words = list(before)
    from_word = lexicon().cues["from_word"]
    saw_from = False
    cancel = phrase_set("cues", "qualifier_cancel")
    for _ in range(3):
        p = tail_phrase(words, quals)
        if p and tail_phrase(words, cancel):
            break
        if not p:
            if words and words[-1] in ("đến", "tới", "lên", "là", "đạt", "mức", "còn"):
                words = words[:-1]
                continue
            break
        rest = words[:len(words) - len(p.split())]
        if p == from_word:
            saw_from = True
        elif p in ("hơn", "kém") and rest and rest[-1] in phrase_set("cues", "comparative_adjectives") and \
                rx(r"\s*(?:so với|so cùng kỳ|so)\b").match(text[q.end:q.end + 20]):
            pass  # "cao hơn 2 điểm so với năm trước": a difference between two things, not a bound
        elif p == "trên" and rest and _NUMERIC.fullmatch(rest[-1]):
            pass  # "29 trên 30 gói thầu": x out of y, not a bound
        elif p in ("hơn", "trên") and rest and rest[-1] in ("nhiều", "lớn"):
            found.append(("gt", f"qual.gt.{slug(rest[-1] + ' ' + p)}"))
        else:
            found.append((quals[p], f"qual.{quals[p]}.{slug(p)}"))
        words = rest
    after = " ".join(w.lower() for w, _, _ in words_after(text, q.end, 7))
    if "trở" in after:
        for cat, phrases in lexicon().cues["qualifiers_after"].items():
            if any(rx(r"(?:^|\s)" + regex.escape(p) + r"(?:\s|$)").search(after) for p in phrases):
                if saw_from or cat == "ge" and "trở lên" in after:
                    found.append((cat, f"qual.{cat}.after_{slug(next(p for p in phrases if p in after))}"))
    for cat in lexicon().cues["qualifier_strength"]:
        for got, rid in found:
            if got == cat:
                fired(rid)
                return cat
    if _AVERAGE.search(text, max(0, q.start - 45), q.start):
        fired("qual.approx.average_clause")
        return "approx"                       # "Trung bình, mỗi người dân có 1 tài khoản"
    return "eq"


def change(text: str, q: Quantity, before: list[str], kind: str) -> str | None:
    """increase/decrease when a change verb directly governs the number, else None."""
    if text[max(0, q.start - 1):q.start] == "+" or text[max(0, q.start - 2):q.start] == "+ ":
        fired("chg.increase.plus_sign")
        return "increase"                     # "Saka (Anh): +10 triệu euro"
    words = list(before)
    if words and tail_phrase(words, phrase_set("cues", "level_words")):
        return None
    if words and words[-1] == "từ":
        return None
    stripped = _strip_qualifiers(words)
    if stripped and tail_phrase(stripped, phrase_set("cues", "level_words")):
        return None
    cue = tail_phrase(stripped, phrase_map("cues", "change_cues"))
    if cue:
        direction = phrase_map("cues", "change_cues")[cue]
        fired(f"chg.{direction}.{slug(cue)}")
        return direction
    return None


@per_rules
def _cue_re(key: str) -> regex.Pattern:
    """Whole-word, lower-case alternation of the phrases of cues.yaml KEY."""
    words = phrase_set("cues", key)
    return regex.compile(r"(?<![\p{L}])" + word_alternation(words, space=r"\ ") + r"(?![\p{L}])")


@per_rules
def _plan_horizon_re() -> regex.Pattern:
    return regex.compile(lexicon().cues["plan_horizon_regex"], regex.IGNORECASE)


def _target_cue(s: str) -> str | None:
    """The target cue of s that no cancel phrase covers, if any."""
    m = _cue_re("target_cues").search(_cue_re("target_cancel").sub(" ", s.lower()))
    return m.group() if m else None


def list_intro_cue(intro: str | None) -> str | None:
    """The target cue of the line introducing a list (None when there is no intro line or no cue)."""
    return _target_cue(intro) if intro is not None else None


def modality(facts: "SentenceFacts", pos: int, intro_cue: str | None) -> str:
    """target when a target cue (not a cancelled one) precedes the number at POS in its sentence, in the list
    intro line, or a plan cue is in a previous sentence ending with ":" and this one reports nothing as done."""
    cue = facts.target_cue_before(pos)
    if cue:
        fired(f"mod.target.{slug(cue)}")
        return "target"
    if intro_cue:
        fired(f"mod.target.list_intro.{slug(intro_cue)}")
        return "target"
    # A plan cue in the previous sentence carries over only when that sentence introduces what follows
    # (ends with ":") or sets a plan with a horizon ("phấn đấu đến năm 2025 ..."): on the dantri corpus a
    # free carry-over was wrong ~22 times out of 25.
    if facts.plan_carries_over and not facts.has_actual_cue:
        fired("mod.target.plan_carried_over")
        return "target"
    return "actual"


def is_quota(kind: str, subj: str | None, facts: "SentenceFacts") -> bool:
    """True for a count of quota places ("tuyển sinh 11.250 chỉ tiêu") in a sentence about allotting them."""
    if kind != "count" or not subj:
        return False
    head = subj.lower()
    if not any(head == n or head.startswith(n + " ") for n in phrase_set("cues", "quota_nouns")):
        return False
    return facts.allots_quota


def subject(text: str, q: Quantity, kind: str, unit: str | None, clause_lo: int) -> str | None:
    """The head noun phrase of what is counted: after a count, before a share/amount."""
    stops = _stops()
    cues = lexicon().cues
    if kind in ("count", "ratio", "rank") or kind == "percent" and q.end < len(text):
        after = words_after(text, q.end, cues["subject_max_words"] + 1)
        phrase = _phrase(text, after, _stops_and_time(), cues["subject_max_words"])
        gdp = phrase_set("cues", "gdp_words")
        if phrase and kind == "percent" and phrase.split()[0].lower() in phrase_set("cues", "comparative_adjectives"):
            phrase = None                     # "tăng 4-5% cao hơn TPHCM": no noun after the share
        if phrase and (kind != "percent" or phrase.lower() in gdp or phrase.split()[0].lower() in gdp
                       or kind == "percent" and after and after[0][0][:1].isalpha() and not _NUMERIC.fullmatch(after[0][0])):
            fired("subj.after_number")
            return _drop_prefix(_with_list(text, after, phrase, _stops_and_time()))
        if kind in ("count", "ratio", "rank"):
            return None
    if kind == "percent":
        share = _share_subject(text, q, clause_lo, stops)
        if share:
            fired("subj.after_share_word")
            return share
    if kind == "measure" and unit in ("năm", "tháng", "tuần", "ngày", "giờ", "phút", "giây", "tuổi"):
        # A duration or age is about the noun right after it ("15 năm kinh nghiệm") or the person/thing
        # named before it ("Nữ diễn viên 26 tuổi"); better a guess from the clause than nothing.
        after = words_after(text, q.end, cues["subject_max_words"] + 1)
        if after and after[0][1] - q.end <= 1 and after[0][0][:1].islower():
            phrase = _phrase(text, after, _stops_time_links(),
                             cues["subject_max_words"])
            if phrase and head_phrase(phrase.lower().split(), phrase_set("cues", "duration_subject_nouns")):
                fired("subj.duration_noun")
                return phrase
    return _subject_before(text, q, clause_lo, stops)


@per_rules
def _stops() -> frozenset[str]:
    """Words that end or open no subject (cues.yaml subject_stop_words and subject_adverbs), joined once."""
    return phrase_set("cues", "subject_stop_words") | phrase_set("cues", "subject_adverbs")


@per_rules
def _stops_and_time() -> frozenset[str]:
    """Subject stop words and time words."""
    return _stops() | _TIME_WORDS


@per_rules
def _stops_time_links() -> frozenset[str]:
    """Subject stop words, time words and link verbs (a subject before a figure ends at "là", "đạt"…)."""
    return _stops_and_time() | phrase_set("cues", "subject_link_verbs")


@per_rules
def _list_blockers() -> frozenset[str]:
    """Words that cannot open an item of a subject list."""
    return phrase_set("cues", "subject_list_blockers") | phrase_set("cues", "subject_link_verbs")


def _phrase(text: str, words: list[tuple[str, int, int]], stops: frozenset, limit: int) -> str | None:
    """Text of the leading words up to a stop word, number or limit (offsets kept from the text)."""
    taken = []
    keep = phrase_set("cues", "subject_compounds")
    nouns = phrase_set("cues", "subject_noun_compounds")
    for i, (w, a, b) in enumerate(words):
        low = w.lower()
        if taken and f"{taken[-1][0].lower()} {low}" in keep:
            taken.append((w, a, b))           # "thiết bị": "bị" ends a compound, not the phrase
            continue
        nxt = words[i + 1][0].lower() if i + 1 < len(words) else ""
        if low in stops and f"{low} {nxt}" in nouns:
            taken.append((w, a, b))           # "chỉ số", "chỉ tiêu": a noun, not the adverb "chỉ"
            continue
        if low in stops or w[:1].isdigit() or w in "%$€/":
            break
        if i + 1 < len(words) and f"{low} {words[i + 1][0].lower()}" in stops:
            break
        taken.append((w, a, b))
        if len(taken) >= limit:
            break
    if not taken:
        return None
    return text[taken[0][1]:taken[-1][2]]


_LIST_SEP = regex.compile(r"[ \t]*,[ \t]*|[ \t]+(?:và|hoặc)[ \t]+")


def _with_list(text: str, after: list[tuple[str, int, int]], phrase: str, stops: frozenset) -> str:
    """Extend a subject over a list of short nouns: "thôn, buôn", "huyện, thị xã, thành phố", "nhỏ và vừa"."""
    cues = lexicon().cues
    limit = cues["subject_list_max_words"]
    blockers = _list_blockers()
    start = next(a for w, a, b in after)
    end = start + len(phrase)
    total = len(phrase.split())
    items = 0
    if total > 3:
        return phrase
    while total < limit:
        sep = _LIST_SEP.match(text, end)
        if sep is None:
            break
        item_words = words_after(text, sep.end(), 4)
        if not item_words or item_words[0][1] != sep.end():
            break
        first = item_words[0][0]
        if not first[:1].islower() or first in blockers or " ".join(w for w, _, _ in item_words[:2]) in blockers:
            break
        item = _phrase(text, item_words, stops, 3)
        if item is None:
            break
        closed = len(item.split()) < 3 or len(item_words) <= 3
        if not closed and "," not in sep.group():
            break                             # "33 trận và tạm thời xếp ...": only a closed item follows "và"
        if not closed:
            item = " ".join(item.split()[:2])  # "thành phố ban hành": keep the likely noun, end the list
        end = sep.end() + len(item)
        total += len(item.split())
        items += 1
        if not closed:
            break
    if items == 1 and any(w[:1].isdigit() for w, _, _ in words_after(text, end, 4)):
        return phrase                         # "4 làn xe, dài 40,2km": the comma opens a clause with its own figure
    return text[start:end]


def _share_subject(text: str, q: Quantity, clause_lo: int, stops: frozenset) -> str | None:
    """"tỷ lệ hộ gia đình có truy nhập Internet đạt 90%" -> "hộ gia đình": the phrase after the share word."""
    lo = max(clause_lo, q.start - 200)
    seg = text[lo:q.start]
    cut = max(seg.rfind(";"), seg.rfind(". "), seg.rfind("\n"))
    if cut >= 0:
        lo, seg = lo + cut + 1, seg[cut + 1:]
    found = None
    for m in _share_re().finditer(seg):
        found = m
    if found is None:
        return None
    pos = lo + found.end()
    after = words_after(text, pos, lexicon().cues["subject_max_words"] + 1)
    if not after:
        return None
    phrase = _phrase(text, after, _stops_time_links(),
                     lexicon().cues["subject_max_words"])
    if phrase is None or after[0][1] >= q.start:
        return None
    return _drop_prefix(_with_list(text, after, phrase, _stops_and_time()))


@per_rules
def _share_re() -> regex.Pattern:
    words = phrase_set("cues", "share_words")
    return regex.compile(r"(?<![\p{L}])" + word_alternation(words, space=r"\ ") + r"(?![\p{L}])",
                         regex.IGNORECASE)


def _drop_prefix(phrase: str) -> str | None:
    words = phrase.split()
    p = head_phrase([w.lower() for w in words], phrase_set("cues", "subject_drop_prefixes"))
    if p and len(p.split()) < len(words):
        words = words[len(p.split()):]
    out = " ".join(words)
    return out or None


def _subject_before(text: str, q: Quantity, clause_lo: int, stops: frozenset) -> str | None:
    """Subject phrase from the start of the clause before q ("doanh thu đạt 40 tỷ" -> "doanh thu")."""
    lo = max(clause_lo, q.start - 160)
    while lo < q.start and lo > 0 and text[lo - 1].isalnum() and text[lo].isalnum():
        lo += 1                               # never start inside a word cut by the window
    seg = text[lo:q.start]
    cut = None
    for m in rx(r"[,;:()\n“”\"]|(?<!\d)\.(?!\d)").finditer(seg):
        cut = m.end()
    if cut is not None:
        lo += cut
        seg = seg[cut:]
    words = [(m.group(), lo + m.start(), lo + m.end()) for m in rx(r"[\p{L}\p{M}\d]+").finditer(seg)]
    drops = phrase_set("cues", "subject_drop_prefixes")
    heads = phrase_set("cues", "subject_value_heads")
    for k in (3, 2, 1):
        # "giá trị của Mbappe đã tăng 20 triệu euro": the thing valued is the subject, not "giá trị".
        if len(words) > k + 1 and " ".join(w[0].lower() for w in words[:k]) in heads and words[k][0].lower() == "của":
            words = words[k + 1:]
            break
    nouns = phrase_set("cues", "subject_noun_compounds")
    while words:
        two = " ".join(w[0].lower() for w in words[:2])
        if two in nouns:
            break
        if two in drops or two in stops:
            words = words[2:]
        elif words[0][0].lower() in drops or words[0][0].lower() in stops:
            words = words[1:]
        else:
            break
    gdp = phrase_set("cues", "gdp_words")
    phrase = _phrase(text, words, _stops_time_links(),
                     lexicon().cues["subject_max_words"])
    if phrase is None:
        return None
    if any(w in gdp for w in phrase.split()):
        fired("subj.gdp_denominator")
        return next(w for w in phrase.split() if w in gdp)
    fired("subj.before_number")
    return phrase


@per_rules(maxsize=512)
def _time_matches(sentence: str) -> tuple[tuple[int, int, str, str], ...]:
    """Non-overlapping time phrases of a sentence (earlier patterns win), as (start, end, text, rule id)."""
    taken: list[tuple[int, int, str, str]] = []
    starts: list[int] = []                    # the spans taken, in text order (they never overlap),
    ends: list[int] = []                      # so an overlap is found by bisection, not by a scan of them all
    for rid, pat in lexicon().time_patterns:
        for m in pat.finditer(sentence):
            a, b = m.span()
            if a == b:
                return _time_matches_scanned(sentence)
            i = bisect.bisect_left(starts, b)
            if i and ends[i - 1] > a:
                continue
            starts.insert(i, a)
            ends.insert(i, b)
            taken.append((a, b, m.group(), rid))
    return tuple(taken)


def _time_matches_scanned(sentence: str) -> tuple[tuple[int, int, str, str], ...]:
    """_time_matches for patterns that match empty strings: every span checked against every span taken."""
    taken: list[tuple[int, int, str, str]] = []
    for rid, pat in lexicon().time_patterns:
        for m in pat.finditer(sentence):
            if not any(m.start() < tb and ta < m.end() for ta, tb, _, _ in taken):
                taken.append((m.start(), m.end(), m.group(), rid))
    return tuple(taken)


@per_rules(maxsize=512)
def _place_matches(sentence: str) -> tuple[tuple[int, int, str], ...]:
    """Place names of a sentence as (start, end, text)."""
    pat = lexicon().place_re
    if pat is None:
        return ()
    out = []
    for m in pat.finditer(sentence):
        name = m.group()
        # A one-word country ("Anh", "Nga", "Ý") inside a longer proper name ("huyện Đông Anh") is not it.
        if " " not in name and (_NAME_BEFORE.search(sentence, max(0, m.start() - 30), m.start())
                                or rx(r"[ \t]+\p{Lu}").match(sentence[m.end():m.end() + 3])
                                or _not_place_re().search(sentence, max(0, m.start() - 16), m.start())
                                or _not_place_after_re().match(sentence, m.end())):
            continue                          # also "tiếng Anh", "bầu Đức", "Anh ấy", "Mỹ thuật"
        if sentence.startswith(_not_places(), m.start()):
            continue                          # "Thái Bình Dương" is the Pacific, not the province
        if _in_institution_name(sentence, m.start()):
            continue                          # "ĐH Bách khoa Hà Nội": a name, not the place of the figure
        out.append((m.start(), m.end(), name))
    return tuple(out)


_NAME_TOKEN = regex.compile(r"[\p{L}\p{M}][\p{L}\p{M}\d&.\-]*")


def _in_institution_name(sentence: str, at: int) -> bool:
    """Whether the place starting at `at` ends an institution's name (rules/places.yaml: institution_*)."""
    heads = _institution_heads()
    capital, limit = _institution_capitalized_and_limit()
    breakers = phrase_set("places", "institution_breakers")
    tokens = sentence[max(0, at - 100):at].split(" ")[::-1]
    if not tokens or tokens[0] != "":
        return False                          # the place is glued to the word before it
    tokens = tokens[1:]
    for i, tok in enumerate(tokens[:limit + 1]):
        for k in (3, 2, 1):
            phrase = " ".join(reversed(tokens[i:i + k]))
            if i + k <= len(tokens) and (phrase in capital or phrase.lower() in heads):
                return True
        if tok in ("-", "–"):
            continue                          # "Ngân hàng TMCP Sài Gòn - Hà Nội"
        if not _NAME_TOKEN.fullmatch(tok) or tok.lower() in breakers or (
                i + 1 < len(tokens) and f"{tokens[i + 1]} {tok}".lower() in breakers):
            return False
    return False


@per_rules
def _not_places() -> tuple[str, ...]:
    """Names that begin with a place name but are something else (rules/places.yaml: not_places)."""
    return tuple(load_rules("places").get("not_places") or ())


@per_rules
def _institution_capitalized_and_limit() -> tuple[frozenset[str], int]:
    """Institution heads matched with their capitals, and how many words an institution name may have."""
    rules = load_rules("places")
    return frozenset(rules.get("institution_heads_capitalized") or ()), int(rules.get("institution_max_words", 6))


@per_rules
def _institution_heads() -> frozenset[str]:
    """Lower-cased institution head words (rules/places.yaml: institution_heads)."""
    return frozenset(w.lower() for w in load_rules("places").get("institution_heads") or ())


@per_rules
def _national_scope_re() -> regex.Pattern:
    """Cues that a sentence is about the whole country or the world (rules/places.yaml: national_scope_cues)."""
    words = load_rules("places").get("national_scope_cues") or ()
    # "cao gấp 1,62 lần so với cả nước": a comparison base does not make the figure national
    # and neither does a ranking pool ("dẫn đầu cả nước", "cao nhất cả nước", "thứ 5 toàn quốc")
    return regex.compile(r"(?<![\p{L}])(?<!(?:so với|dẫn đầu|đứng đầu|nhất|thứ[ \t]+\w+)[ \t]+)"
                         r"(?<!so với[ \t]+(?:mức|trung bình)[ \t]+)"
                         + word_alternation(words, space=r"\ ") + r"(?![\p{L}])")


@per_rules
def _not_place_re() -> regex.Pattern:
    """Words right before a one-word country name that make it part of another noun ("tiếng Anh")."""
    words = phrase_set("places", "not_place_before")
    return regex.compile(r"(?<![\p{L}])" + word_alternation(words, space=r"\ ") + r"[ \t]+$",
                         regex.IGNORECASE)


@per_rules
def _not_place_after_re() -> regex.Pattern:
    """Words right after a one-word country name that make it another noun ("Anh hùng", "Mỹ thuật")."""
    words = phrase_set("places", "not_place_after")
    return regex.compile(r"[ \t]+" + word_alternation(words, space=r"\ ") + r"(?![\p{L}])",
                         regex.IGNORECASE)


def _nearest(matches, s_lo: int, q: Quantity, skip_overlap: bool) -> tuple | None:
    """The match (start, end, text, ...) nearest to q (preferring one before q on ties)."""
    best, best_d = None, None
    for match in matches:
        a, b = match[0] + s_lo, match[1] + s_lo
        if a < q.end and q.start < b:
            if skip_overlap:
                continue
        d = q.start - b if b <= q.start else a - q.end + 0.5
        if best_d is None or d < best_d:
            best, best_d = match, d
    return best


def _in_order(matches) -> bool:
    """True when the spans are non-empty, disjoint and sorted (then the nearest one is found by bisection)."""
    return all(m[0] < m[1] for m in matches) and all(x[1] <= y[0] for x, y in zip(matches, matches[1:]))


_COMPARISON_BASE = regex.compile(r"(?<![\p{L}])(?:so với|so cùng kỳ|so)(?:[ \t]+(?:cùng kỳ|cùng thời điểm|thời điểm|"
                                 r"mức|hồi|đầu|cuối|ngày))*[ \t]+$", regex.IGNORECASE)
_CLAUSE_BREAK = regex.compile(r"[,;:]|[ \t](?:trong khi|còn|nhưng)[ \t]")


class _once:
    """An attribute computed on first use and then stored on the instance (functools.cached_property takes a
    lock on every first use in Python 3.11, which costs more than most of these take to compute)."""

    def __init__(self, fn):
        self.fn, self.name, self.__doc__ = fn, fn.__name__, fn.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


class SentenceFacts:
    """What the attributes read from one sentence (time phrases, places, modality cues), worked out once
    however many figures the sentence holds: a one-line body of 250k characters can hold thousands, and
    re-reading it for each would make extraction quadratic in sentence length."""

    def __init__(self, text: str, lo: int, hi: int, previous: str = ""):
        self.lo, self.text, self.previous = lo, text[lo:hi], previous

    @_once
    def _lower(self) -> str:
        return self.text.lower()

    @_once
    def has_actual_cue(self) -> bool:
        """The sentence reports something as done ("đã", "hiện", "vừa"…: cues.yaml actual_cues)."""
        return _cue_re("actual_cues").search(self._lower) is not None

    @_once
    def plan_carries_over(self) -> bool:
        """The previous sentence states a plan (a plan cue) and introduces this one (":") or names a horizon."""
        prev = self.previous
        return bool((prev.rstrip().endswith(":") or _plan_horizon_re().search(prev))
                    and _cue_re("plan_cues").search(_cue_re("target_cancel").sub(" ", prev.lower())) is not None)

    @_once
    def allots_quota(self) -> bool:
        """The sentence allots places ("tuyển sinh", "phân bổ"…) and cancels no target."""
        low = self._lower
        return _cue_re("quota_context").search(low) is not None and _cue_re("target_cancel").search(low) is None

    @_once
    def national_scope(self) -> bool:
        """The sentence is about the whole country or the world ("cả nước", "toàn quốc"…)."""
        return _national_scope_re().search(self.text) is not None

    @_once
    def _first_target(self) -> tuple | None:
        """(the cue's start and end in the sentence, the cue, cancel spans, removed lengths) or None when the
        offsets of the lower-cased text differ from the sentence's (then each figure reads its own prefix)."""
        low = self._lower
        if len(low) != len(self.text):
            return None
        cancels = [(m.start(), m.end()) for m in _cue_re("target_cancel").finditer(low)]
        pieces, last, removed = [], 0, [0]
        for a, b in cancels:
            pieces += [low[last:a], " "]
            last = b
            removed.append(removed[-1] + (b - a - 1))
        pieces.append(low[last:])
        m = _cue_re("target_cues").search("".join(pieces))
        return (m.span() if m else None, m.group() if m else None, cancels, [a for a, _ in cancels], removed)

    def target_cue_before(self, pos: int) -> str | None:
        """The first target cue of the sentence before POS (a document offset) that no cancel phrase covers."""
        k = pos - self.lo
        facts = self._first_target
        # A phrase ending right at a letter that starts the figure ("US$") reads differently in the prefix.
        slow = facts is None or (0 < k < len(self.text) and self.text[k - 1].isalnum() and self.text[k].isalpha())
        if not slow:
            span, cue, cancels, cancel_starts, removed = facts
            i = bisect.bisect_left(cancel_starts, k)
            if i > 0 and cancels[i - 1][1] > k:
                slow = True                   # a cancel phrase runs across the number
            elif span is None:
                return None
            else:
                cut = k - removed[i]          # where pos falls in the text with cancel phrases blanked
                if span[1] <= cut:
                    return cue
                if span[0] >= cut:
                    return None
                slow = True                   # the first cue runs across the number
        return _target_cue(self.text[:max(0, k)])

    @_once
    def _times(self) -> tuple:
        """Time phrases of the sentence that are not a comparison base, and whether they are in order."""
        matches = tuple(m for m in _time_matches(self.text)
                        if not _COMPARISON_BASE.search(self.text, max(0, m[0] - 30), m[0]))
        ordered = tuple(sorted(matches))
        return (ordered, [m[0] for m in ordered], [m[1] for m in ordered]) if _in_order(ordered) else (matches,)

    @_once
    def _places(self) -> tuple:
        """Places of the sentence with their starts and ends (finditer gives them disjoint and in order)."""
        places = _place_matches(self.text)
        return (places, [p[0] for p in places], [p[1] for p in places]) if _in_order(places) else (places,)

    @_once
    def _breaks(self) -> tuple[list[int], list[int]]:
        """Starts of the clause breaks at every position, and the least end of the breaks from each on."""
        spans = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(self.text, overlapped=True)]
        least = [0] * len(spans)
        low = None
        for i in range(len(spans) - 1, -1, -1):
            low = spans[i][1] if low is None else min(low, spans[i][1])
            least[i] = low
        return [a for a, _ in spans], least

    def break_between(self, a: int, b: int) -> bool:
        """A clause break lies inside sentence offsets [a, b) (as _CLAUSE_BREAK.search(text, a, b) finds)."""
        starts, least = self._breaks
        i = bisect.bisect_left(starts, a)
        return i < len(starts) and least[i] <= b

    def nearest_time(self, q: Quantity) -> tuple | None:
        """The time phrase nearest to q that does not overlap it (one before q wins a tie)."""
        if len(self._times) == 1:
            return _nearest(self._times[0], self.lo, q, True)
        matches, starts, ends = self._times
        qs, qe = q.start - self.lo, q.end - self.lo
        i = bisect.bisect_right(ends, qs)
        j = bisect.bisect_left(starts, qe)
        before = matches[i - 1] if i > 0 else None
        after = matches[j] if j < len(matches) else None
        if before is None or after is not None and after[0] - qe + 0.5 < qs - before[1]:
            return after
        return before

    def nearest_place(self, q: Quantity) -> tuple | None:
        """The place nearest to q (one holding q first), skipping a place after q past a clause break."""
        qs, qe = q.start - self.lo, q.end - self.lo
        if len(self._places) == 1:
            places = tuple(p for p in self._places[0] if p[0] < qe or not self.break_between(qe, p[0]))
            return _nearest(places, self.lo, q, False)
        matches, starts, ends = self._places
        i = bisect.bisect_right(ends, qs)
        if i < len(matches) and starts[i] < qe:
            return matches[i]                 # the place holds (part of) the figure
        before = matches[i - 1] if i > 0 else None
        after = matches[i] if i < len(matches) and not self.break_between(qe, starts[i]) else None
        if before is None or after is not None and after[0] - qe + 0.5 < qs - before[1]:
            return after
        return before


def time_of(facts: SentenceFacts, q: Quantity) -> str | None:
    """The explicit time phrase of the sentence nearest to q (None if none); a comparison base
    ("tăng 10% so với năm 2019") is not the time of the figure."""
    best = facts.nearest_time(q)
    if best is None:
        return None
    fired(best[3])
    return best[2]


def location_of(facts: SentenceFacts, q: Quantity, main_place: str | None, unit: str | None = None,
                qual: str = "eq", kind: str | None = None) -> str | None:
    """The place named in the sentence nearest to q, else the article's main place; none for a person's age
    or a product spec (units in places.yaml: no_location_units). An age bound ("dân số từ 15 tuổi trở lên")
    describes a population group and keeps its place."""
    if unit is not None and unit in _no_location_units() and not (unit == "tuổi" and qual != "eq"):
        fired("place.none.person_or_product")
        return None
    # A place after the figure but past a clause break ("… gửi 4.000 máy, trong khi Đức, Mỹ …") is about
    # something else; places before the figure scope over the sentence ("Tại Hà Nội, có 50 ca").
    here = facts.nearest_place(q)
    if here is not None:
        fired("place.in_sentence")
        return here[2]
    if main_place is not None and kind != "rank" and facts.national_scope:
        fired("place.none.national_scope")
        return None                           # "cả nước có ...": not about the article's province
    if main_place is not None:
        fired("place.article_main_place")
    return main_place


@per_rules
def _no_location_units() -> frozenset[str]:
    """Units whose figures are about a person or a product (rules/places.yaml: no_location_units)."""
    return frozenset(load_rules("places").get("no_location_units") or ())


def main_place(text: str, lo: int = 0) -> str | None:
    """The article's main place: the province it names most, when named at least `main_place_min_mentions` times
    (rules/places.yaml); with `main_place_from_title`, the first place of the title line wins."""
    pat = lexicon().place_re
    if pat is None:
        return None
    rules = load_rules("places")
    if rules["main_place_from_title"]:
        nl = text.find("\n", lo)
        in_title = _place_matches(text[lo: nl if nl != -1 else len(text)])
        if in_title:
            return in_title[0][2]
    provinces = lexicon().main_places
    counts: dict[str, int] = {}
    for _, _, name in _place_matches(text):
        if name.lower() in provinces:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    best = max(counts.items(), key=lambda kv: kv[1])
    return best[0] if best[1] >= rules["main_place_min_mentions"] else None
