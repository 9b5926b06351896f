"""Find the article inside raw scraped text: title, lead, body and captions, without the page furniture.

The text is never changed: `find_body` returns character ranges of the kept lines in document
coordinates. What counts as furniture is data in rules/furniture.yaml (see the comments there).
"""
from __future__ import annotations

from dataclasses import dataclass
import regex

from rules import load_rules, per_rules

# Characters allowed between the tokens of a dateline/toolbar line.
_SEPARATORS = r"[\s|\-–—,.:;()•·/]"


@dataclass(frozen=True)
class Line:
    """One non-blank line: its stripped text and where that text sits in the document."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class FurnitureRules:
    """The compiled rules of rules/furniture.yaml."""

    cut: regex.Pattern
    line: regex.Pattern
    edge: regex.Pattern
    # Dateline / toolbar lines: made only of dates, labels, numbers and separators (see the YAML).
    dateline_any: regex.Pattern
    dateline_no_number: regex.Pattern
    dateline_telling: regex.Pattern
    dateline_label: regex.Pattern
    # Furniture inside a line (crawls that glue a page into one line), and the shortest repeated sentence.
    inline: regex.Pattern | None
    inline_requires: tuple[str, ...]   # a line is searched for inline furniture only when it holds one of these
    min_repeated_sentence_chars: int
    max_furniture_chars: int
    header_lines: int
    max_header_chars: int
    min_sentence_words: int


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _token(patterns: list[str]) -> str:
    """Any of the patterns as a whole word."""
    return rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(patterns)})(?![\p{{L}}\p{{N}}])"


def _token_line(patterns: list[str]) -> regex.Pattern:
    """A line made only of the given tokens and separators."""
    return regex.compile(rf"{_SEPARATORS}*(?:{_token(patterns)}{_SEPARATORS}*)+", regex.IGNORECASE)


@per_rules  # per rules overlay: a researcher's furniture.yaml (--rules DIR) applies
def furniture_rules(name: str = "furniture") -> FurnitureRules:
    """Compile rules/NAME.yaml once."""
    data = load_rules(name)
    flags = regex.IGNORECASE

    def whole(key: str) -> regex.Pattern:
        return regex.compile(_alternation(data[key]), flags)

    parts = data["dateline"]
    dates, labels, numbers = parts["dates"], parts["labels"], parts["numbers"]
    return FurnitureRules(
        cut=whole("cut"), line=whole("line"), edge=whole("edge"),
        dateline_any=_token_line(dates + labels + numbers),
        dateline_no_number=_token_line(dates + labels),
        dateline_telling=regex.compile(_token(dates + labels), flags),
        dateline_label=regex.compile(_token(labels), flags),
        inline=regex.compile(_alternation(data["inline"]), flags) if data.get("inline") else None,
        inline_requires=tuple(str(w).lower() for w in data.get("inline_requires") or ()),
        min_repeated_sentence_chars=int(data.get("min_repeated_sentence_chars", 30)),
        max_furniture_chars=int(data.get("max_furniture_chars", 160)),
        header_lines=int(data.get("header_lines", 8)),
        max_header_chars=int(data.get("max_header_chars", 200)),
        min_sentence_words=int(data.get("min_sentence_words", 8)),
    )


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, stripped, with their document offsets."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            lines.append(Line(start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return lines


def _short(line: Line, rules: FurnitureRules) -> bool:
    return len(line.text) <= rules.max_furniture_chars


def is_cut_marker(line: Line, rules: FurnitureRules) -> bool:
    """A line after which nothing belongs to the article (related articles, comments, footer)."""
    return _short(line, rules) and rules.cut.fullmatch(line.text) is not None


def is_dateline(line: Line, rules: FurnitureRules) -> bool:
    """A line made only of dates, labels and numbers: at least one date or label; a number needs a label."""
    text = line.text
    if not _short(line, rules) or rules.dateline_any.fullmatch(text) is None:
        return False
    if rules.dateline_telling.search(text) is None:
        return False
    return rules.dateline_no_number.fullmatch(text) is not None or rules.dateline_label.search(text) is not None


def is_edge_furniture(line: Line, rules: FurnitureRules) -> bool:
    """A line that is furniture next to the title or at the end (bylines, source lines)."""
    return _short(line, rules) and rules.edge.fullmatch(line.text) is not None


@dataclass(frozen=True)
class LineKinds:
    """What each line of a document is, computed once: furniture anywhere, edge furniture, cut marker."""

    furniture: list[bool]
    edge: list[bool]
    cut: list[bool]
    dateline: list[bool]

    @classmethod
    def of(cls, lines: list[Line], rules: FurnitureRules) -> "LineKinds":
        """Classify every line."""
        dateline = [is_dateline(line, rules) for line in lines]
        return cls(
            furniture=[d or rules.line.fullmatch(line.text) is not None for line, d in zip(lines, dateline)],
            edge=[is_edge_furniture(line, rules) for line in lines],
            cut=[is_cut_marker(line, rules) for line in lines],
            dateline=dateline,
        )


def _ends_header(line: Line, rules: FurnitureRules) -> bool:
    """A line that is already article text (a lead): long, or a sentence of several words."""
    return (len(line.text) > rules.max_header_chars
            or (line.text[-1] in ".!?…" and len(line.text.split()) >= rules.min_sentence_words))


def _find_title(lines: list[Line], kinds: LineKinds, rules: FurnitureRules) -> int | None:
    """Index of the title line: the last real line above the header's dateline if any, else the first real line."""
    def real(i: int) -> bool:
        return not (kinds.furniture[i] or kinds.cut[i])

    for i, line in enumerate(lines[:rules.header_lines]):
        if _ends_header(line, rules):
            break
        if kinds.dateline[i]:
            above = [j for j in range(i) if real(j)]
            named = [j for j in above if not kinds.edge[j]]
            if named or above:
                return (named or above)[-1]
            break
    return next((i for i in range(len(lines)) if real(i)), None)


def _kept_indexes(lines: list[Line], rules: FurnitureRules) -> list[int]:
    """Indexes of the article's lines in order: the title, then the body without furniture."""
    kinds = LineKinds.of(lines, rules)
    title = _find_title(lines, kinds, rules)
    if title is None:
        return []

    def repeated_title(i: int) -> bool:
        return lines[i].text == lines[title].text

    # Skip the furniture between the title and the lead.
    first = title + 1
    while first < len(lines) and (kinds.furniture[first] or kinds.edge[first] or kinds.cut[first]
                                  or repeated_title(first)):
        first += 1
    # The first marker of related articles / comments ends the article.
    stop = next((i for i in range(first, len(lines)) if kinds.cut[i]), len(lines))
    # Trailing bylines, sources and counters.
    while stop > first and (kinds.furniture[stop - 1] or kinds.edge[stop - 1]):
        stop -= 1
    return [title] + [i for i in range(first, stop) if not (kinds.furniture[i] or repeated_title(i))]


# A sentence inside a line: from a capital letter (after a line start or a sentence end) to its end mark.
_SENTENCE = regex.compile(r"(?:(?<=^)|(?<=[.!?…][ \t]))\p{Lu}[^\n]*?[.!?…](?=[ \t]|$)")


def _repeated_sentences(line: Line, min_chars: int) -> list[tuple[int, int]]:
    """The second copies of sentences a crawl wrote twice in a row ("Rosé diện đầm. Rosé diện đầm.")."""
    holes = []
    previous = None
    for m in _SENTENCE.finditer(line.text):
        if previous is not None and m.group() == previous.group() and len(m.group()) >= min_chars \
                and not line.text[previous.end():m.start()].strip():
            holes.append((line.start + m.start(), line.start + m.end()))
        previous = m
    return holes


def line_holes(line: Line, rules: FurnitureRules) -> list[tuple[int, int]]:
    """Spans of a kept line that are furniture after all: inline furniture and repeated sentences."""
    holes = _repeated_sentences(line, rules.min_repeated_sentence_chars)
    if rules.inline is not None and (not rules.inline_requires
                                     or any(w in line.text.lower() for w in rules.inline_requires)):
        holes += [(line.start + m.start(), line.start + m.end()) for m in rules.inline.finditer(line.text)]
    return sorted(holes)


def _strip_range(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _punch(text: str, ranges: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`ranges` without `holes` (both sorted), each piece stripped, empty pieces dropped."""
    out = []
    for start, end in ranges:
        pos = start
        for h_start, h_end in holes:
            if h_end <= pos or h_start >= end:
                continue
            out.append(_strip_range(text, pos, max(pos, h_start)))
            pos = max(pos, h_end)
        out.append(_strip_range(text, pos, end))
    return [(s, e) for s, e in out if s < e]


def find_body(text: str, rules: str = "furniture") -> list[tuple[int, int]]:
    """The article inside raw scraped `text` as sorted, disjoint (start, end) ranges into `text`."""
    lines = split_lines(text)
    compiled = furniture_rules(rules)
    ranges: list[tuple[int, int]] = []
    holes: list[tuple[int, int]] = []
    previous = None
    for i in _kept_indexes(lines, compiled):
        # Consecutive kept lines share a range; a dropped line between two kept ones splits it.
        if ranges and previous == i - 1:
            ranges[-1] = (ranges[-1][0], lines[i].end)
        else:
            ranges.append((lines[i].start, lines[i].end))
        holes += line_holes(lines[i], compiled)
        previous = i
    return _punch(text, ranges, holes) if holes else ranges


def body_text(text: str, ranges: list[tuple[int, int]]) -> str:
    """The kept text, ranges joined by blank lines (for reading and debugging, not for offsets)."""
    return "\n\n".join(text[start:end] for start, end in ranges)
