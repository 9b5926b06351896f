"""Parsing numbers as Vietnamese press writes them: digit groups, scale words, spelled-out numerals."""
from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

import regex

from rules import load_rules, per_rules

# Spaces that group thousands in typeset text ("5\u00a0000", "1\u202f234\u202f567"): no-break, narrow no-break, thin.
GROUP_SPACES = "\u00a0\u202f\u2009"
# A digit group: "1.426", "14,96", "5\u00a0000,5". ASCII digits only: Arabic-Indic or fullwidth digits ("٣", "３")
# are not read as numbers (docs/extraction.md, "Number formats").
DIGIT_GROUP = (r"[0-9]{1,3}(?:[" + GROUP_SPACES + r"][0-9]{3})+(?![0-9])(?:[.,][0-9]+)?"
               r"|[0-9]+(?:[.,][0-9]+)*")
_DIGITS = regex.compile(r"(?:" + DIGIT_GROUP + r")")
_GROUP_SPACE = regex.compile("[" + GROUP_SPACES + "]")
_SPACE = regex.compile(r"\s+")

# Grammar words that rules/numbers.yaml has no key for yet: rules/schema.yaml must list a key before numbers.yaml
# may hold it. A numbers.yaml entry of the same key replaces the default here.
_GRAMMAR_DEFAULTS = {
    # Ones after a bare tens digit in speech: "hai mốt" = 21, "ba lăm" = 35. Not "tư": "Ba Tư" is Persia.
    "colloquial_ones_words": {"mốt": 1, "lăm": 5, "nhăm": 5},
    # Spellings of a digit the parser reads but the candidate regex must not look for: in the corpora "bẩy" is
    # "đòn bẩy" (lever), "bóng bẩy" or a name, never a lone 7; "mười bẩy", "thứ bẩy" still parse.
    "variant_units_words": {"bẩy": 7},
    # Unit words never written after "mười"/"mươi": 15 is "mười lăm", so "mười năm" is ten years.
    "not_after_tens_words": ["năm"],
    "decimal_words": ["phẩy"],                 # "mười hai phẩy năm" = 12.5
    "sign_words": {"âm": -1},                  # "âm năm độ" = -5
    "vague_words": ["mấy", "vài", "dăm"],      # "mười mấy", "vài trăm": no value
    "fraction_words": ["phần"],                # "hai phần ba" = 2/3 ("phần trăm" is the percent unit)
    "fraction_denominator_words": {"tư": 4},   # "một phần tư" = 1/4
    "half_fraction_words": ["nửa"],            # "nửa", "một nửa" = 1/2
    "ratio_of_words": ["trong"],               # "1 trong 4" = 1/4
    "ordinal_prefix_words": ["thứ"],
    "ordinal_words": {"nhất": 1, "nhì": 2, "tư": 4},   # "thứ nhất", "thứ nhì", "thứ tư"; else the cardinal
    # A run's last "năm" is the unit "year" ("mười năm", "một tỷ năm"), the digit five only after these words.
    "year_word": "năm",
    "five_before_year_after": ["linh", "lẻ"],
}


@per_rules
def _lexicon() -> dict:
    """The number words of rules/numbers.yaml (and _GRAMMAR_DEFAULTS), lower-cased, with derived lookup tables."""
    raw = {**_GRAMMAR_DEFAULTS, **load_rules("numbers")}
    scales = {k.lower(): float(v) for k, v in raw["scales"].items()}

    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in raw[key])

    def ints(key: str) -> dict[str, int]:
        return {k.lower(): int(v) for k, v in raw[key].items()}

    units = {**ints("variant_units_words"), **ints("units_words")}
    after_tens, not_after = ints("after_tens_words"), words("not_after_tens_words")
    ones = {w: v for w, v in units.items() if v > 0 and w not in not_after}
    return {
        "scales": scales,
        # One-word scales of the spelled grammar; "trăm"/"chục" belong to a chunk, compounds come from the stack.
        "word_scales": {k: int(v) for k, v in scales.items() if " " not in k and v >= 1000},
        "digit_scales": sorted({s.lower() for s in raw["digit_scales"]}, key=len, reverse=True),
        "units": units,
        "after_tens": after_tens,
        "ones_after_ten": {**ones, **{w: v for w, v in after_tens.items() if v != 1}},   # "mốt" only after "mươi"
        "ones_after_tens": {**ones, **after_tens},
        "colloquial_ones": ints("colloquial_ones_words"),
        "ten": raw["ten_word"].lower(),
        "tens": words("tens_words"),
        "hundred": words("hundred_words"),
        "zero_filler": words("zero_filler_words"),
        "half": words("half_words"),
        "factor": {k.lower(): float(v) for k, v in raw["factor_words"].items()},
        "decimal": words("decimal_words"),
        "sign": ints("sign_words"),
        "vague": words("vague_words"),
        "fraction": words("fraction_words"),
        "fraction_denominator": ints("fraction_denominator_words"),
        "half_fraction": words("half_fraction_words"),
        "ratio_of": words("ratio_of_words"),
        "ordinal_prefix": words("ordinal_prefix_words"),
        "ordinal": ints("ordinal_words"),
        "year": raw["year_word"].lower(),
        "five_before_year": words("five_before_year_after"),
    }


def parse_digits(s: str) -> float | None:
    """Value of one digit group like "1.426", "14,96", "1,234,567" or "3.5" (None if not digits)."""
    s = s.strip()
    if not _DIGITS.fullmatch(s):
        return None
    s = _GROUP_SPACE.sub("", s)              # "5\u00a0000" = 5000
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        # Whichever separator comes last is the decimal mark ("1.234,5" VN, "1,234.5" EN).
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        grp = "." if dec == "," else ","
        if s.count(dec) > 1:
            return None
        return float(s.replace(grp, "").replace(dec, "."))
    if dots:
        groups = s.split(".")
        if _thousands(groups):
            return float("".join(groups))
        if dots == 1:
            return float(s)  # "3.5", "0.25": an English decimal point
        return None
    if commas:
        groups = s.split(",")
        if commas > 1:
            return float("".join(groups)) if _thousands(groups) else None
        if groups[1] == "000" and _thousands(groups):
            return float("".join(groups))  # "500,000": nobody writes 500.0 with three zeros
        return float(s.replace(",", "."))  # Vietnamese decimal comma, also "1,500" = 1.5
    return float(s)


def _thousands(groups: list[str]) -> bool:
    """True when groups look like thousands grouping: 1-3 digits (not a lone 0), then 3-digit groups."""
    head = groups[0]
    return 1 <= len(head) <= 3 and head != "0" and all(len(g) == 3 for g in groups[1:])


def scale_value(word: str) -> float | None:
    """Multiplier of a scale word or phrase ("triệu" -> 1e6, "nghìn tỷ" -> 1e12), else None."""
    return _lexicon()["scales"].get(_SPACE.sub(" ", word.strip().lower()))


def _words(words: str | Sequence[str]) -> list[str]:
    """Lower-cased words of a phrase given as text or as a list of words."""
    text = words if isinstance(words, str) else " ".join(words)
    return [w for w in _SPACE.split(text.strip().lower()) if w]


def parse_spelled(words: str | Sequence[str]) -> float | None:
    """Value of a whole spelled-out Vietnamese number ("hai mươi lăm" -> 25, "âm năm" -> -5), else None."""
    ws = _words(words)
    read = _read_number(ws, 0, _lexicon()) if ws else None
    if read is None or read[1] != len(ws):
        return None
    return float(read[0])


def read_spelled(words: str | Sequence[str]) -> tuple[float | None, int]:
    """Longest spelled number opening a run of number words: (value, words used).

    (None, n) when the first n words are a vague amount ("hai ba", "mười mấy"); (None, 0) when no number opens
    the run. A last "năm" of the run is the year unit unless it follows "linh"/"lẻ" ("mười năm" = 10 years).
    """
    ws = _words(words)
    lex = _lexicon()
    end = len(ws)
    # The year rule leaves "âm năm" and a decimal part ("mười hai phẩy năm") alone.
    if (end > 1 and ws[-1] == lex["year"] and ws[-2] not in lex["five_before_year"] | set(lex["sign"])
            and not lex["decimal"] & set(ws)):
        end -= 1
    read = _read_number(ws[:end], 0, lex) if ws else None
    vague = _vague_end(ws[:end], read, lex)     # "bốn năm" is four years, not "four or five"
    if vague:
        return None, vague
    return (float(read[0]), read[1]) if read else (None, 0)


def _vague_end(ws: list[str], read: tuple[Decimal, int] | None, lex: dict) -> int:
    """Length of a vague amount opening ws ("hai ba người", "mười mấy", "vài trăm"), else 0."""
    structure = lex["hundred"] | lex["tens"] | set(lex["word_scales"]) | lex["vague"]
    if read is None:
        j = 1 if ws and ws[0] in lex["vague"] else 0
    else:
        j = read[1]
        nxt = ws[j] if j < len(ws) else None
        pair = (j == 1 and nxt in lex["units"] and ws[0] in lex["units"]
                and lex["units"][nxt] == lex["units"][ws[0]] + 1 and lex["units"][ws[0]] > 0)
        if nxt is None or not (nxt in lex["vague"] or pair):
            return 0
        j += 1
        if pair and nxt == lex["year"] and not (j < len(ws) and ws[j] in structure):
            return 0            # "bốn năm một lần": four years; "bốn năm trăm" is still vague
    if j == 0:
        return 0
    while j < len(ws) and ws[j] in structure:
        j += 1
    return j


def _read_number(ws: list[str], i: int, lex: dict) -> tuple[Decimal, int] | None:
    """Longest signed number at ws[i:], with a decimal part and scales after it: (value, end) or None."""
    sign = 1
    if i < len(ws) and ws[i] in lex["sign"]:
        sign, i = lex["sign"][ws[i]], i + 1
    read = _read_integer(ws, i, lex)
    if read is None:
        return None
    value, j = read
    if j < len(ws) and ws[j] in lex["decimal"]:
        digits = _read_decimal_digits(ws, j + 1, lex)
        if digits is not None:
            frac, j = digits
            value = Decimal(value) + Decimal("0." + frac)
            scale, j = _read_scale_run(ws, j, lex)
            value *= scale
    return sign * Decimal(value), j


def _read_decimal_digits(ws: list[str], i: int, lex: dict) -> tuple[str, int] | None:
    """Digits after "phẩy": one per unit word ("không năm" = "05"), or a number's ("mười bốn" = "14")."""
    chunk = _read_chunk(ws, i, lex, after_scale=False)
    if chunk is None:
        return None
    value, j, lone = chunk
    if not lone:
        return str(value), j
    j = i
    while j < len(ws) and ws[j] in lex["units"]:
        j += 1
    return "".join(str(lex["units"][w]) for w in ws[i:j]), j


def _read_scale_run(ws: list[str], i: int, lex: dict) -> tuple[int, int]:
    """Product of the rising scale words at ws[i:] ("nghìn tỷ" = 1e12) and where they end; (1, i) if none."""
    product, j = 1, i
    while j < len(ws) and ws[j] in lex["word_scales"] and lex["word_scales"][ws[j]] > product:
        product *= lex["word_scales"][ws[j]]
        j += 1
    return product, j


def _read_integer(ws: list[str], i: int, lex: dict) -> tuple[int, int] | None:
    """Longest whole number at ws[i:]: chunks below 1000 joined by scale words; (value, end) or None.

    Terms are kept on a stack with strictly falling scales; a scale larger than the terms before it multiplies
    them all ("hai nghìn tỷ" = 2000 x 1e9, "một nghìn tỷ năm trăm tỷ" = 1.5e12).
    """
    n, scales = len(ws), lex["word_scales"]
    first = _read_chunk(ws, i, lex, after_scale=False)
    if first is None:
        return None
    pending, j, _ = first
    best = (pending, j)
    stack: list[tuple[int, int]] = []      # (value, scale of the term)
    while j < n and ws[j] in scales:
        s = scales[ws[j]]
        acc, big, has = pending or 0, 1, bool(pending)
        while stack and stack[-1][1] < s:
            v, sc = stack.pop()
            acc, big, has = acc + v, max(big, sc), True
        if not has or (stack and s * big >= stack[-1][1]):
            break
        stack.append((acc * s, s * big))
        j += 1
        total, top = sum(v for v, _ in stack), stack[-1][1]
        best = (total, j)
        if j < n and ws[j] in lex["half"]:
            return total + top // 2, j + 1          # "hai triệu rưỡi" = 2.5e6
        if j < n and ws[j] in scales:
            pending = None                          # a larger scale may multiply the terms: "nghìn tỷ"
            continue
        nxt = _read_chunk(ws, j, lex, after_scale=True)
        if nxt is None:
            break
        value, k, lone = nxt
        if k < n and ws[k] in scales:
            pending, j = value, k                   # the chunk multiplies the next scale
            continue
        if lone and value > 0:
            return total + value * top // 10, k     # "một triệu hai" = 1.2e6, "hai nghìn ba" = 2300
        if 0 < value < top:
            return total + value, k
        break
    return best


def _read_chunk(ws: list[str], i: int, lex: dict, after_scale: bool) -> tuple[int, int, bool] | None:
    """Longest number below 1000 at ws[i:]: (value, end, lone) where lone = one bare unit word; or None.

    After a scale word a chunk may open with "không trăm" or "linh"/"lẻ" ("một nghìn lẻ một" = 1001).
    """
    units = lex["units"]

    def at(k: int) -> str | None:
        return ws[k] if k < len(ws) else None

    if at(i) in units and at(i + 1) in lex["hundred"]:
        h = units[at(i)]
        if h == 0 and not after_scale:
            return None
        value, j = h * 100, i + 2
        if at(j) in lex["zero_filler"] and units.get(at(j + 1), 0) > 0:
            return value + units[at(j + 1)], j + 2, False       # "một trăm linh năm" = 105
        if at(j) in lex["half"]:
            return value + 50, j + 1, False                      # "tám trăm rưỡi" = 850
        tail = _read_tens(ws, j, lex)
        if tail is None or tail[0] == 0:
            return (value, j, False) if h else None
        v, k, lone = tail
        return value + (v * 10 if lone else v), k, False         # "một trăm hai" = 120
    if after_scale and at(i) in lex["zero_filler"]:
        tail = _read_tens(ws, i + 1, lex)
        return (tail[0], tail[1], False) if tail is not None and tail[0] > 0 else None
    return _read_tens(ws, i, lex)


def _read_tens(ws: list[str], i: int, lex: dict) -> tuple[int, int, bool] | None:
    """Longest number below 100 at ws[i:]: (value, end, lone); "hai mươi mốt", "mười lăm", "hai mốt", "bảy"."""
    def at(k: int) -> str | None:
        return ws[k] if k < len(ws) else None

    a = at(i)
    if a == lex["ten"]:
        b = at(i + 1)
        return (10 + lex["ones_after_ten"][b], i + 2, False) if b in lex["ones_after_ten"] else (10, i + 1, False)
    if a not in lex["units"]:
        return None
    u, b = lex["units"][a], at(i + 1)
    if u >= 2 and b in lex["tens"]:
        c = at(i + 2)
        return (u * 10 + lex["ones_after_tens"][c], i + 3, False) if c in lex["ones_after_tens"] \
            else (u * 10, i + 2, False)
    if u >= 2 and b in lex["colloquial_ones"]:
        return u * 10 + lex["colloquial_ones"][b], i + 2, False   # "hai mốt" = 21, "ba lăm" = 35
    return u, i + 1, True


def parse_fraction(words: str | Sequence[str]) -> tuple[float, float] | None:
    """(numerator, denominator) of "hai phần ba", "một phần tư", "một nửa", "2 phần 3", "1 trong 4"; else None.

    "quá nửa" is not one: "quá" is a qualifier (gt) the caller reads before the fraction "nửa".
    """
    ws = _words(words)
    lex = _lexicon()
    if ws and ws[-1] in lex["half_fraction"] and ws[:-1] in ([], ["một"], ["1"]):
        return 1.0, 2.0
    for k, w in enumerate(ws):
        if w in lex["fraction"] or w in lex["ratio_of"]:
            num = parse_number(" ".join(ws[:k])) if k else None
            rest = ws[k + 1:]
            den = (float(lex["fraction_denominator"][rest[0]])
                   if w in lex["fraction"] and len(rest) == 1 and rest[0] in lex["fraction_denominator"]
                   else parse_number(" ".join(rest)) if rest else None)
            if num is None or den is None or not (num > 0 and den > 0) or (w in lex["ratio_of"] and num > den):
                return None
            return num, den
    return None


def read_fraction(words: str | Sequence[str]) -> tuple[tuple[float, float], int] | None:
    """Longest fraction opening words ("một phần tư dân số" -> ((1, 4), 3)): ((numerator, denominator), used)."""
    ws = _words(words)
    lex = _lexicon()
    for k in range(min(len(ws), 2), 0, -1):          # "nửa", "một nửa" (a "quá" before it is the caller's)
        if ws[k - 1] in lex["half_fraction"] and parse_fraction(ws[:k]):
            return (1.0, 2.0), k
    num = _read_operand(ws, 0, lex)
    if num is None or num[1] >= len(ws) or not (ws[num[1]] in lex["fraction"] or ws[num[1]] in lex["ratio_of"]):
        return None
    k = num[1] + 1
    if ws[num[1]] in lex["fraction"] and k < len(ws) and ws[k] in lex["fraction_denominator"]:
        den = (float(lex["fraction_denominator"][ws[k]]), k + 1)
    else:
        den = _read_operand(ws, k, lex)
    if den is None:
        return None
    frac = parse_fraction(ws[:den[1]])
    return (frac, den[1]) if frac is not None else None


def _read_operand(ws: list[str], i: int, lex: dict) -> tuple[float, int] | None:
    """A digit group or the longest spelled number at ws[i]: (value, end)."""
    if i < len(ws) and ws[i][:1].isdigit():
        value = parse_digits(ws[i])
        return (value, i + 1) if value is not None else None
    read = _read_number(ws, i, lex) if i < len(ws) else None
    return (float(read[0]), read[1]) if read is not None else None


def parse_ordinal(words: str | Sequence[str]) -> int | None:
    """Rank of an ordinal, with or without "thứ": "thứ nhất" -> 1, "nhì" -> 2, "thứ tư" -> 4, "thứ 05" -> 5."""
    ws = _words(words)
    lex = _lexicon()
    if ws and ws[0] in lex["ordinal_prefix"]:
        ws = ws[1:]
    if len(ws) == 1 and ws[0] in lex["ordinal"]:
        return lex["ordinal"][ws[0]]
    if ws == ["một"]:
        return None                                # "thứ nhất", never "thứ một"
    value = parse_digits(ws[0]) if len(ws) == 1 and ws[0][:1].isdigit() else parse_spelled(ws)
    return int(value) if value is not None and value >= 1 and value == int(value) else None


def parse_number(s: str) -> float | None:
    """Normalized value of a number phrase: digits with optional scale words, or spelled out; None if not one."""
    try:
        return _parse_number(s)
    except (ValueError, OverflowError, TypeError, AttributeError, ArithmeticError):
        return None


def _parse_number(s: str) -> float | None:
    text = s.strip()
    if not text:
        return None
    first, _, after = text.partition(" ")
    sign = _lexicon()["sign"].get(first.lower())
    if sign is not None and after and _DIGITS.match(after):
        value = _parse_number(after)               # "âm 5" = -5 (spelled signs are read by parse_spelled)
        return None if value is None else sign * value
    m = _DIGITS.match(text)
    if m is None:
        value = parse_spelled(_SPACE.sub(" ", text))
        return value if value is not None and math.isfinite(value) else None
    value = parse_digits(m.group())
    if value is None:
        return None
    rest = _SPACE.sub(" ", text[m.end():]).strip().lower()
    if not rest:
        return value
    # Compound amounts: "2 tỷ 500 triệu", "1,9 triệu", "40 tỷ", "2 triệu rưỡi".
    total = 0.0
    while rest:
        scale_word = next((w for w in _lexicon()["digit_scales"] if rest == w or rest.startswith(w + " ")), None)
        if scale_word is None:
            return None
        scale = _lexicon()["scales"][scale_word]
        total += value * scale
        rest = rest[len(scale_word):].strip()
        if not rest:
            return total
        if rest in _lexicon()["half"]:
            return total + scale / 2
        m = _DIGITS.match(rest)
        if m is None:
            return None
        value = parse_digits(m.group())
        if value is None:
            return None
        rest = rest[m.end():].strip()
        if not rest:
            return total + value
    return total


def format_vn(value: float, decimals: int = 0) -> str:
    """Write a number the Vietnamese way: "." thousands groups, "," decimal mark (for tests and docs)."""
    neg = value < 0
    whole = int(abs(value))
    grouped = f"{whole:,}".replace(",", ".")
    out = ("-" if neg else "") + grouped
    if decimals:
        frac = f"{abs(value):.{decimals}f}".split(".")[1]
        out += "," + frac
    return out
