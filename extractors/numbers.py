"""Parsing numbers as Vietnamese press writes them: digit groups, scale words, spelled-out numerals."""
from __future__ import annotations

import math

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


@per_rules
def _lexicon() -> dict:
    """The number words of rules/numbers.yaml, lower-cased, with derived lookup tables."""
    raw = load_rules("numbers")
    scales = {k.lower(): float(v) for k, v in raw["scales"].items()}
    return {
        "scales": scales,
        "digit_scales": sorted({s.lower() for s in raw["digit_scales"]}, key=len, reverse=True),
        "units": {k.lower(): int(v) for k, v in raw["units_words"].items()},
        "after_tens": {k.lower(): int(v) for k, v in raw["after_tens_words"].items()},
        "ten": raw["ten_word"].lower(),
        "tens": {w.lower() for w in raw["tens_words"]},
        "hundred": {w.lower() for w in raw["hundred_words"]},
        "zero_filler": {w.lower() for w in raw["zero_filler_words"]},
        "half": {w.lower() for w in raw["half_words"]},
        "factor": {k.lower(): float(v) for k, v in raw["factor_words"].items()},
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


def parse_spelled(s: str) -> float | None:
    """Value of a spelled-out Vietnamese number ("hai mươi lăm" -> 25, "ba triệu" -> 3e6), else None."""
    words = _SPACE.sub(" ", s.strip().lower()).split(" ")
    if not words or words == [""]:
        return None
    lex = _lexicon()
    # Split on scale words from the largest down: "hai triệu ba trăm nghìn" = 2e6 + 300e3.
    total, chunk, i = 0.0, [], 0
    last_scale = None
    while i < len(words):
        two = " ".join(words[i:i + 2])
        if len(words) > i + 1 and two in lex["scales"] and two.split(" ")[0] not in lex["hundred"] | {"chục"}:
            scale, step = lex["scales"][two], 2
        elif words[i] in lex["scales"] and words[i] not in lex["hundred"] and words[i] != "chục":
            scale, step = lex["scales"][words[i]], 1
        else:
            chunk.append(words[i])
            i += 1
            continue
        small = _parse_below_thousand(chunk) if chunk else None
        if small is None:
            return None
        total += small * scale
        last_scale = scale
        chunk = []
        i += step
    if chunk:
        if chunk in (["rưỡi"],) and last_scale:
            return total + last_scale / 2
        small = _parse_below_thousand(chunk)
        if small is None:
            return None
        # "hai triệu ba" = 2.3 million: a lone digit after a scale means the next lower order.
        if last_scale and len(chunk) == 1 and small < 10 and chunk[0] in lex["units"]:
            small *= last_scale / 10
        total += small
    return total


def _parse_below_thousand(words: list[str]) -> float | None:
    """Value of a spelled number below 1000 ("một trăm linh năm" = 105), else None."""
    lex = _lexicon()
    value, i, n = 0, 0, len(words)
    if i < n and i + 1 < n and words[i] in lex["units"] and words[i + 1] in lex["hundred"]:
        value += lex["units"][words[i]] * 100
        i += 2
        if i < n and words[i] in lex["zero_filler"]:
            i += 1
            if i < n and words[i] in lex["units"] and i == n - 1:
                return value + lex["units"][words[i]]
            return None
    if i < n and words[i] == lex["ten"]:
        value += 10
        i += 1
    elif i + 1 < n and words[i] in lex["units"] and words[i + 1] in lex["tens"]:
        value += lex["units"][words[i]] * 10
        i += 2
        if i < n and words[i] in lex["after_tens"]:
            return value + lex["after_tens"][words[i]] if i == n - 1 else None
    if i < n:
        w = words[i]
        if value and w in ("lăm", "nhăm"):
            value += 5
        elif w in lex["units"]:
            value += lex["units"][w]
        else:
            return None
        i += 1
    if i != n or (value == 0 and words != ["không"]):
        return None if i != n else float(value)
    return float(value)


def parse_number(s: str) -> float | None:
    """Normalized value of a number phrase: digits with optional scale words, or spelled out; None if not one."""
    try:
        return _parse_number(s)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None


def _parse_number(s: str) -> float | None:
    text = s.strip()
    if not text:
        return None
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
