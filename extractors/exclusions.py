"""Decide whether a candidate quantity is not a mention (ANNOTATION.md sections 2 and 5b)."""
from __future__ import annotations


import regex

from extractors.candidates import Quantity
from extractors.context import tail_phrase, words_after, words_before
from extractors.lexicon import lexicon, phrase_set, rx, word_alternation
from rules import load_rules, per_rules

CLOCK = regex.compile(r"[:hg]\d|h(?![\p{L}])|:\d\d")
_SUBSTITUTION = regex.compile(r"\(\p{Lu}[\p{L}\p{M}.' -]*,?[ \t]*$")
YEAR = regex.compile(r"(?:19|20)\d\d")
YEAR_ANY = regex.compile(r"1[0-9]\d\d|20\d\d")  # the start of a span of years: "1863-2021"
VERSION = regex.compile(r"\d+\.0")
CAP_WORD = regex.compile(r"[ \t]+\p{Lu}")


def phone_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans of phone and hotline numbers inside [lo, hi)."""
    excl = lexicon().excl
    spans = [(m.start(), m.end()) for m in rx(excl["phone_number_regex"]).finditer(text, lo, hi)]
    spans += [(m.start(), m.end()) for m in rx(excl["phone_line_regex"]).finditer(text, lo, hi)]
    return spans


_AFTER_NUMBER_AND_SEP = regex.compile(r"\d[ \t]*(?:,|và|hoặc)[ \t]*$")


@per_rules
def _label_list_re() -> regex.Pattern:
    """A label word then a list of bare numbers ending in a separator: "lớp 6, 7 và ", "quận 1, "."""
    excl = lexicon().excl
    words = [str(w) for key in ("label_always", "label_unless_unit") for group in excl[key].values() for w in group
             if isinstance(w, str)]
    alt = word_alternation(words, space=r"[ \t]+")
    return regex.compile(r"(?<![\p{L}])" + alt + r"[ \t]+\d+(?:[ \t]*(?:,|và|hoặc)[ \t]*\d+)*"
                         r"[ \t]*(?:,|và|hoặc)[ \t]*$", regex.IGNORECASE)


def label_list_item(text: str, q: Quantity) -> bool:
    """A bare number continuing a list of labels: the 7 and 8 of "lớp 6, 7 và 8"."""
    if q.spelled or q.value != int(q.value):
        return False
    seg = text[max(0, q.start - 60):q.start]
    if not _AFTER_NUMBER_AND_SEP.search(seg):
        return False
    follow = text[q.end:q.end + 3]
    if rx(r"[ \t]+\p{Ll}").match(follow) and not rx(r"[ \t]*(?:,|và|hoặc)").match(follow):
        # "lớp 6 và 30 học sinh": a counted noun after the number ends the list
        nxt = words_after(text, q.end, 1)
        if nxt and nxt[0][0].lower() not in phrase_set("cues", "subject_stop_words"):
            return False
    m = _label_list_re().search(seg)
    if m is None:
        return False
    label_end = rx(r"\D*").match(seg[m.start():]).end() + m.start()
    words = [w.lower() for w in rx(r"[\p{L}\p{M}]+").findall(seg[:label_end])]
    return not tail_phrase(words, phrase_set("exclusions", "label_protect"))   # "lần lượt 70, 60 và 55 tuổi"


def is_list_marker(text: str, q: Quantity) -> bool:
    """A small integer numbering an item: "1." / "2)" at a line start, "(3)" opening a clause."""
    if q.spelled or q.unit is not None or q.has_scale or q.value_max is not None or q.denominator is not None:
        return False
    if q.value > 50 or q.value != int(q.value):
        return False
    line_start = text.rfind("\n", 0, q.start) + 1
    lead = text[line_start:q.start]
    if rx(r"[ \t\-–•*+]*").fullmatch(lead) and rx(r"[.)](?:[ \t]|\p{L}|[ \t]*(?:\n|$))").match(text[q.end:q.end + 3]):
        return True                         # "1. Tăng cường", "1.\nTăng cường"
    if _sentence_list_marker(text, q, lead):
        return True
    if text[q.end:q.end + 2] in ("/ ", "/\t") and rx(r"(?:^|[;:])[ \t]*$").search(lead):
        return True                         # "điều kiện: 1/ thuộc hệ chuyên; 2/ đạt giải"
    if lead.endswith("(") and text[q.end:q.end + 1] == ")":
        return bool(rx(r"(?:^|[.:;])[ \t]*\($").search(lead))
    return _is_table_row_number(text, q, lead)


def _sentence_list_marker(text: str, q: Quantity, lead: str) -> bool:
    """Items numbered inside running text: "... 2 cái hớ! 1. Hành động ... 2. Ông ...", a published ranking
    "Top 10 ...: 1 - Tập đoàn A 2 – Ngân hàng B", "(1) Sản xuất ..., (2) Sản xuất ...". The number is followed by
    "." / "-" / ")" and a capital (or sits in parentheses), and the item before it is numbered the same way
    nearby; an item that does not open a sentence (or follow a colon) needs a list of three."""
    n = int(q.value)
    if lead.endswith("(") and rx(r"\)[ \t]+\p{L}").match(text, q.end):
        shape, opener = r"\(%d\)[ \t]+\p{L}", lead[:-1]
    else:
        after = rx(r"[ \t]*([.)\-–])[ \t]+\p{Lu}").match(text, q.end)
        if after is None or (after.group(1) == "." and after.start(1) != q.end):
            return False
        sep = "[-–]" if after.group(1) in "-–" else regex.escape(after.group(1))
        shape, opener = r"(?<![\p{L}\d.,/])%d[ \t]*" + sep + r"[ \t]+\p{Lu}", lead
    before, after = text[max(0, q.start - 1500):q.start], text[q.end:q.end + 1500]
    has_prev = n > 1 and regex.search(shape % (n - 1), before) is not None
    has_next = regex.search(shape % (n + 1), after) is not None
    if not opener.strip() or rx(r"[.!?:…;][\s\"”]*$").search(opener[-6:]):
        return has_prev or has_next
    # in mid-sentence ("... Quân đội 3. Công ty ..."), a list of at least three items
    return has_prev and (has_next or (n > 2 and regex.search(shape % (n - 2), before) is not None))


def _is_table_row_number(text: str, q: Quantity, lead: str) -> bool:
    """The row number ("STT") of a flattened table: a line holding only N, followed by a text cell,
    with the row N-1 or N+1 laid out the same way nearby ("12\nQuản trị nhân lực\n120\n...")."""
    if lead.strip() or not rx(r"[ \t]*\n[ \t]*\p{L}").match(text[q.end:q.end + 4]):
        return False
    n = int(q.value)
    prev_row = regex.compile(r"\n[ \t]*0*" + str(n - 1) + r"[ \t]*\n[ \t]*\p{L}")
    next_row = regex.compile(r"\n[ \t]*0*" + str(n + 1) + r"[ \t]*\n[ \t]*\p{L}")
    return bool(n > 1 and prev_row.search(text, max(0, q.start - 800), q.start + 1)
                or next_row.search(text, q.end, q.end + 800))


def name_or_address(text: str, q: Quantity, before: list[str], floor: int) -> str | None:
    """"iPhone 12 Pro", "Dung Quất 2 là", "Địa chỉ: 816 Trường Sa": a number inside a proper name."""
    if _SUBSTITUTION.search(text, max(0, q.start - 40), q.start) and text[q.end:q.end + 1] == ")":
        return "minute-in-lineup"           # "(Nacho 45)", "(Giroud, 77)"
    follow = words_after(text, q.end, 1)
    nxt = follow[0][0] if follow and follow[0][1] - q.end <= 1 else ""
    nxt_is_name_or_end = (not nxt or nxt[:1].isupper() or nxt.lower() in phrase_set("cues", "subject_stop_words")
                          or (not q.spelled and _name_follower(text, q)))
    raw_before = text[max(floor, q.start - 40):q.start]
    prev_word = rx(r"([\p{L}\d]+)[ \t]*$").search(raw_before)
    if prev_word is not None and prev_word.end() == len(raw_before):
        w = prev_word.group(1)
        at_start = not raw_before[:prev_word.start()].strip() or rx(r"[.:;!?\n(\"“]\s*$").search(raw_before[:prev_word.start()])
        if not q.spelled and rx(r"\p{Ll}+\p{Lu}").match(w):
            return "name-with-digits"       # a camel-case brand names a product wherever it stands ("iPhone 12")
        if (w[:1].isupper() or any(c.isupper() for c in w[1:])) and not at_start and nxt_is_name_or_end:
            return "name-with-digits"
        if not q.spelled and _named_unit_follows(text, q) and _inside_name(raw_before):
            return "name-with-digits"
    elif (nxt[:1].isupper() and not rx(r"\p{Lu}+\d*|\p{Lu}\d+").fullmatch(nxt)
          and rx(r"[:,(]\s*$|^\s*[-–•*+]?\s*$").search(raw_before) and q.value < 2000):
        return "address"
    return None


def _name_follower(text: str, q: Quantity) -> bool:
    """True when a verb or linking word that ends a name follows q ("Đak Mi 4 xả", "Viking 1 chụp")."""
    follow = words_after(text, q.end, 2)
    if not follow or follow[0][1] - q.end > 1:
        return False
    followers = phrase_set("exclusions", "name_number_followers")
    words = [w.lower() for w, _, _ in follow]
    pair = " ".join(words)
    if pair in phrase_set("exclusions", "name_number_counted"):
        return False                        # "840 chỉ tiêu": a counted noun that starts like a follower
    return words[0] in followers or pair in followers


def year_list_item(text: str, q: Quantity) -> bool:
    """True for a year continuing a list of years ("năm 2017, 2018 lần lượt"); "lần lượt" is not its unit."""
    if not YEAR.fullmatch(text[q.atom_start:q.atom_end]) or q.has_scale:
        return False
    if q.unit is not None and not (q.unit == "lần" and rx(r"[ \t]+lần[ \t]+lượt").match(text, q.atom_end)):
        return False
    return bool(rx(lexicon().excl["year_list_before_regex"]).search(text[max(0, q.start - 16):q.start]))


def vague_pair(text: str, q: Quantity) -> bool:
    """True for either numeral of "1, 2 năm" (one or two years): consecutive numerals joined by a comma, time unit."""
    excl = lexicon().excl
    units = phrase_set("exclusions", "vague_pair_units")
    if q.unit is None:  # the first numeral: "1" of "1, 2 năm"
        after = rx(excl["vague_pair_after_regex"]).match(text[q.end:q.end + 16])
        before = text[max(0, q.start - 4):q.start]
        return (after is not None and after.group("u").lower() in units and _numeral(after) == q.value + 1
                and not rx(r"[\d.,/;][ \t]{0,2}$").search(before))
    m = rx(excl["vague_pair_before_regex"]).search(text[max(0, q.start - 12):q.start])
    return (m is not None and q.unit in units and q.value == _numeral(m) + 1
            and not rx(r"[ \t]*(?:,|và|hoặc)[ \t]*\d").match(text[q.end:q.end + 8]))


def _numeral(m: regex.Match) -> int:
    """The value of group `n` (a digit) or `s` (a spelled numeral) of a vague-pair match."""
    return int(m.group("n")) if m.group("n") else load_rules("numbers")["units_words"][m.group("s").lower()]


def ticker(text: str, q: Quantity) -> bool:
    """True when a spelled numeral is written in capitals inside running text (a stock ticker: "HAI mất 6,7%")."""
    word = text[q.atom_start:q.atom_end]
    return (len(word) >= 2 and word.isupper() and q.unit is None and not q.has_scale
            and bool(rx(lexicon().excl["ticker_after_regex"]).match(text[q.atom_end:q.atom_end + 4]))
            and bool(rx(lexicon().excl["ticker_context_regex"]).search(text[max(0, q.start - 150):q.end + 150])))


def _named_unit_follows(text: str, q: Quantity) -> bool:
    """True when an administrative unit with its proper name follows ("Ban Chỉ đạo 24 huyện Quảng Xương").

    A count of units would be plural and unnamed ("24 huyện"); a named one means the number belongs to the name
    before it.
    """
    follow = words_after(text, q.end, 3)
    units = phrase_set("exclusions", "named_unit_after_name")
    for size in (2, 1):
        if len(follow) > size and " ".join(w.lower() for w, _, _ in follow[:size]) in units:
            return follow[size][0][:1].isupper()
    return False


def _inside_name(raw_before: str) -> bool:
    """True when one of the last two words of the clause before is capitalized and not the clause's first word."""
    clause = rx(r"[.,;:!?()\n\"“”]").split(raw_before)[-1]
    words = clause.split()
    if len(words) < 2 or words[-1].lower() in phrase_set("cues", "subject_stop_words"):
        return False
    return any(w[:1].isupper() for w in words[-2:]) and not (len(words) == 2 and not words[1][:1].isupper())


def counted_after_label(text: str, q: Quantity) -> bool:
    """True when a noun that is always counted follows ("cao tốc 4 làn xe", "tòa 30 tầng")."""
    follow = " ".join(w.lower() for w, _, _ in words_after(text, q.end, 2))
    nouns = phrase_set("exclusions", "counted_after_label")
    return any(follow == n or follow.startswith(n + " ") for n in nouns)


def counted_noun_follows(text: str, q: Quantity) -> bool:
    """True when a lower-case content word directly follows q ("2000 người")."""
    follow = words_after(text, q.end, 1)
    if not follow or follow[0][1] - q.end > 1:
        return False
    w = follow[0][0]
    return w[:1].islower() and w.lower() not in phrase_set("cues", "subject_stop_words")


def slash_reason(text: str, q: Quantity) -> str | None:
    """Dates and ids among a/b candidates ("21/9", "9/2023", "52/2020")."""
    a, d = q.value, q.denominator
    if d is None or "out-of" in q.notes:
        return None                         # "29 trên 30" is never a date
    raw_den = rx(r"/[ ]?(\d+)").search(text[q.atom_end:q.end])
    if raw_den and YEAR.fullmatch(raw_den.group(1)):
        return "month-year"
    if 1900 <= a <= 2099 and a == int(a) and d == (a + 1) % 100:
        return "season"                     # "mùa giải 2020/21"
    if 1900 <= a <= 2099 and a == int(a) and d < 100 and q.unit is None:
        return "year-or-id"                 # "Luật Nhập cư 1959/63"
    if (a, d) in ((24, 7), (24, 24), (7, 7)):
        return "fixed-phrase"               # "trực 24/24", "mở cửa 24/7"
    if a == 0 or d == 0:
        return "date-or-id"
    if 1 <= a <= 31 and 1 <= d <= 12 and a == int(a) and d == int(d):
        follow = words_after(text, q.end, 1)
        nxt = follow[0][0].lower() if follow else ""
        counted = (follow and follow[0][0][:1].islower() and nxt not in phrase_set("cues", "subject_stop_words")
                   and nxt not in phrase_set("exclusions", "date_context_after"))
        before = words_before(text, q.start, 3)
        if a < d and tail_phrase(before, phrase_set("exclusions", "fraction_before")):
            return None
        if rx(r"\d[ \t]*[-–][ \t]*$").search(text[max(0, q.start - 6):q.start]):
            return "date"                   # "30/4 - 1/5"
        if counted and a <= d:
            return None
        if tail_phrase(before, phrase_set("exclusions", "date_context_before")):
            return "date"
        if not (a <= d and counted) or text[q.end:q.end + 1] == "/":
            return "date"
    return None


def rate_base(text: str, q: Quantity, before: list[str]) -> bool:
    """True for a number that only defines a rate ("/100 dân", "trên 100.000 dân")."""
    ex = lexicon().excl
    if q.value not in ex["rate_base_values"] or q.value_max is not None:
        return False
    slash = text[q.start - 1:q.start] == "/" or text[q.start - 2:q.start] == "/ "
    if not slash and not tail_phrase(before, phrase_set("exclusions", "rate_base_before")):
        return False
    if not slash and not rx(lexicon().excl["rate_context_regex"]).search(text[max(0, q.start - 60):q.start]):
        return False                        # "dự kiến trên 10.000 người" is a bound, not a rate base
    follow = " ".join(w.lower() for w, _, _ in words_after(text, q.end, 3))
    return any(follow == p or follow.startswith(p + " ") for p in phrase_set("exclusions", "rate_base_after"))


def floor_of(q: Quantity) -> int:
    """A safe lower bound for looking back from q (keeps slices non-negative)."""
    return max(0, q.start - 40)


@per_rules
def _calendar_list_re() -> regex.Pattern:
    """A calendar word then bare numbers ending in a separator: "tháng 4, 5 và ", "ngày 22, "."""
    words = word_alternation(lexicon().excl["calendar_list_bounds"], space=r"[ \t]+")
    return regex.compile(r"(?<![\p{L}])(?P<w>" + words + r")[ \t]+\d{1,2}(?:[ \t]*(?:,|và|hoặc)[ \t]*\d{1,2})*"
                         r"[ \t]*(?:,|và|hoặc)[ \t]*$", regex.IGNORECASE)


def calendar_list_item(text: str, q: Quantity) -> bool:
    """A bare number continuing a list of months or days ("tháng 9, 10 âm lịch"), not a count."""
    m = _calendar_list_re().search(text[max(0, q.start - 40):q.start])
    if m is None or q.value != int(q.value) or not 0 < q.value <= lexicon().excl["calendar_list_bounds"][m.group("w").lower()]:
        return False
    if text[q.atom_end:q.atom_end + 1] == "/":
        return False                          # "ngày 22, 23/4" is left to the date rules
    nxt = words_after(text, q.end, 2)
    if not nxt or nxt[0][1] - q.end > 1 or not nxt[0][0][:1].islower():
        return True
    follow = phrase_set("exclusions", "calendar_list_follow")
    two = " ".join(w.lower() for w, _, _ in nxt[:2])
    return nxt[0][0].lower() in follow or two in follow or nxt[0][0].lower() in phrase_set("cues", "subject_stop_words")


def model_list_item(text: str, q: Quantity) -> bool:
    """A bare number repeating the product number of the list item before it ("iPhone 12 mini, 12, 12 Pro")."""
    excl = lexicon().excl
    m = rx(excl["model_list_before_regex"]).search(text[max(0, q.start - 40):q.start])
    if m is None or text[q.start:q.end] != m.group("n"):
        return False
    return rx(excl["model_list_after_regex"]).match(text[q.end:q.end + 8]) is not None or \
        rx(excl["model_suffix_after_regex"]).match(text[q.end:q.end + 12]) is not None


def fixed_phrase(text: str, q: Quantity) -> bool:
    """True for numbers inside fixed phrases of exclusions.yaml ("4 trong 1", "2 con số")."""
    ex = lexicon().excl
    if q.unit is not None or q.has_scale or q.value_max is not None or q.denominator is not None:
        return False
    if rx(ex["fixed_phrase_regex"]).match(text[q.end:q.end + 12]):
        return True
    if q.value == 1 and rx(ex["one_of_after_regex"]).match(text[q.end:q.end + 16]) and not \
            rx(ex["one_in_rate_before_regex"]).search(text[max(0, q.start - 12):q.start]):
        return True                         # "là 1 trong 3 sinh viên": "one of", the 3 is the count
    return q.value == 1 and rx(ex["fixed_phrase_before_regex"]).search(text[max(0, q.start - 12):q.start]) is not None


_CELL = regex.compile(r"\d[\d.,]*\d|\d")
_TOKEN = regex.compile(r"\S+")
_EMPTY_CELL = regex.compile(r"(?<=\n[ \t]*)[-–](?=[ \t]*\n)")   # a lone dash line: an empty table cell


def _is_cell(text: str, m: regex.Match) -> bool:
    """True when the whitespace-delimited token m is a bare number or an empty-cell dash line."""
    return bool(_CELL.fullmatch(m.group()) or _EMPTY_CELL.match(text, m.start()))


def _numeric_run(text: str, q: Quantity) -> tuple[int, bool, bool]:
    """How many bare-number cells (or empty-cell dashes) stand side by side, whitespace only, around q;
    whether the run spans lines; and whether a lower-case word (a counted noun) follows it on its line."""
    lo = max(0, q.start - 120)
    n, first, last = 1, q.start, q.end
    if text[q.start - 1:q.start].isspace():
        toks = list(_TOKEN.finditer(text, lo, q.start))
        for m in reversed(toks[1:] if lo > 0 else toks):
            if not _is_cell(text, m):
                break
            n, first = n + 1, m.start()
    noun = False
    if text[q.end:q.end + 1].isspace():
        for m in _TOKEN.finditer(text, q.end, q.end + 120):
            if not _is_cell(text, m):
                noun = m.group()[:1].islower() and "\n" not in text[last:m.start()]
                break
            n, last = n + 1, m.end()
    return n, "\n" in text[first:last], noun


def table_cell(text: str, q: Quantity) -> bool:
    """A bare number inside a row of bare numbers (a flattened table) rather than in a sentence.
    A one-value-per-row column ("Kế toán\n230\n2\nLuật") stays: its number is read with its row label."""
    if q.value_max is not None or q.denominator is not None:
        return False
    n, multiline, noun = _numeric_run(text, q)
    limits = lexicon().excl["table_run"]
    return n >= limits["always"] or n >= limits["without_noun"] and not multiline and not noun


def _pair_pronoun(text: str, q: Quantity, before: list[str], follow: list[tuple[str, int, int]]) -> bool:
    """"giữa hai người", "Hai người từng hẹn hò": a spelled number + "người" naming people already named."""
    if text[q.atom_start:q.atom_end].lower() != "hai" or not follow or \
            follow[0][0].lower() not in phrase_set("exclusions", "pair_pronoun_noun"):
        return False
    rest = words_after(text, follow[0][2], 2)
    if not rest or rest[0][1] - follow[0][2] > 1:
        return True                         # "người" ends the clause: "của hai người."
    nxt = rest[0][0].lower()
    two = " ".join(w.lower() for w, _, _ in rest)
    nouns = phrase_set("exclusions", "pair_pronoun_noun_after")
    if nxt in nouns or two in nouns:
        return False                        # "hai người con", "hai người đẹp"
    if before and before[-1] in phrase_set("exclusions", "pair_pronoun_before"):
        return True
    verbs = phrase_set("exclusions", "pair_pronoun_after")
    return nxt in verbs or two in verbs


@per_rules
def _spelled_adjective_before() -> dict[str, frozenset[str]]:
    """`spelled_adjective_before` of exclusions.yaml: numeral word -> the words after which it is an adjective."""
    groups = load_rules("exclusions").get("spelled_adjective_before", {})
    return {word: frozenset(w.lower() for w in after) for word, after in groups.items()}


def spelled_reason(text: str, q: Quantity, before: list[str]) -> str | None:
    """Spelled-out numbers: only clear counts ("hai tỉnh", "ba triệu"), not pronouns or fixed phrases."""
    words = text[q.atom_start:q.atom_end].lower().split()
    follow = words_after(text, q.atom_end, 3)
    follow_text = " ".join(w.lower() for w, _, _ in follow)
    if q.unit is None and not q.has_scale and _pair_pronoun(text, q, before, follow):
        return "spelled-pronoun"
    if not follow and q.unit is None and not q.has_scale:
        return "spelled-alone"
    protected = tail_phrase(before, phrase_set("exclusions", "label_protect"))  # "trong vòng ba tuần"
    if len(before) >= 2 and before[-1] == "hạng" and before[-2] in phrase_set("cues", "rank_thu_verbs") | {"giành"}:
        return None                         # "giành hạng ba", "xếp hạng nhì" are ranks
    if before and before[-1] == "thứ" and tail_phrase(before[:-1], phrase_set("cues", "rank_thu_verbs")):
        return None                         # "đứng thứ hai", "lớn thứ ba thế giới" are ranks
    if not protected and (tail_phrase(before, phrase_set("exclusions", "spelled_not_after")) or tail_phrase(
            before, phrase_set("exclusions", "vague_before"))):
        return "spelled-context"
    adjective_before = _spelled_adjective_before().get(words[0], ())
    if len(words) == 1 and q.unit is None and not q.has_scale and follow and follow[0][0].lower() in adjective_before:
        return "spelled-adjective"          # "nho chín đỏ": ripe, not nine
    if q.unit is None and not q.has_scale and follow_text:
        for p in phrase_set("exclusions", "spelled_not_before"):
            if follow_text == p or follow_text.startswith(p + " "):
                return "spelled-pronoun"
    if words == ["năm"] or words[-1] == "năm" and len(words) == 1:
        nxt = follow[0][0].lower() if follow else ""
        if nxt not in phrase_set("exclusions", "nam_as_five_before") and q.unit is None:
            return "year-word"
        if q.unit == "năm" or nxt == "năm":
            pass
    if words[0] in ("ba", "bảy", "tám", "năm") and len(words) == 1 and follow and follow[0][0][:1].isupper():
        return "spelled-name"
    if q.start > 0 and text[q.start - 1] in "-/":
        return "spelled-name"
    if words == ["năm"] and q.unit == "tháng":
        return "idiom"                      # "những năm tháng chiến tranh"
    if text[q.atom_start:q.atom_start + 1].isupper() and rx(r"\p{Lu}[\p{L}]*[ \t]+$").search(text[max(floor_of(q), q.start - 30):q.start]):
        return "spelled-name"               # "Kỳ Hiểu Ba", "Quận Hai"
    if q.unit is None and not q.has_scale and follow and (
            follow[0][0].lower() in phrase_set("cues", "subject_stop_words") or follow[0][0][:1].isupper()):
        return "spelled-no-noun"            # "là ba của mình", "hai đã", "Hai Bà Trưng"
    if len(words) == 1 and not follow[0][0][:1].isalpha() if follow else False:
        return "spelled-alone"
    return None
