"""extractors.regex_literals: what a pattern needs, the cheap test that lets indicator linking skip most patterns."""
from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.indicators import indicators
from extractors.regex_literals import may_match, required_literals

NEEDS = [
    ("tổ công nghệ số", {"tổ công nghệ số"}),
    ("DVCTT", {"dvctt"}),                                               # case-folded
    ("(?:dịch vụ công trực tuyến|DVCTT)\\W{0,3}toàn trình", {"toàn trình"}),   # the most selective part
    ("thuê bao (?:di động|điện thoại)", {"thuê bao "}),
    ("(?:xuất khẩu|kim ngạch)", {"xuất khẩu", "kim ngạch"}),           # either alternative
    ("(?:xuất khẩu|\\d+)", None),                                       # one alternative needs nothing
    ("(?:mức độ 4)?toàn trình", {"toàn trình"}),                        # an optional part needs nothing
    ("(?:ab){2,}c", {"ab"}),
    ("[0-9]+%", {"%"}),
    ("\\d+", None),
    ("(?<=tỷ lệ )\\d", None),
    ("\\p{L}+ đồng", {" đồng"}),                                         # read by the `regex` module only: needs
]


@pytest.mark.parametrize("pattern,expected", NEEDS)
def test_required_literals(pattern, expected):
    got = required_literals(pattern)
    if pattern.startswith("\\p"):
        assert got in (None, frozenset(expected))                      # Python's parser may refuse \p{L}
    else:
        assert got == (frozenset(expected) if expected is not None else None)


def test_may_match_is_false_only_when_every_pattern_lacks_what_it_needs():
    needs = (required_literals("băng rộng cố định"), required_literals("cáp quang"))
    assert may_match(needs, "tỷ lệ hộ có cáp quang đạt")
    assert not may_match(needs, "doanh thu đạt 5 tỷ đồng")
    assert may_match((None,), "anything")


PATTERNS = sorted({p.pattern for ind in indicators() for p in ind.subject + ind.sentence})


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS).flatmap(lambda p: st.tuples(st.just(p), st.from_regex(regex.sub(r"\\p\{L\}", "a", p)))))
def test_every_text_an_indicator_pattern_matches_holds_what_it_needs(case):
    # The shortcut must never rule out a text the pattern matches: generate matches of the built-in indicator
    # patterns and check that the test lets each through.
    pattern, text = case
    compiled = regex.compile(pattern, regex.IGNORECASE | regex.V1)
    if compiled.search(text) is None:
        return                                  # from_regex wrote a text the regex module reads differently
    assert may_match((required_literals(pattern),), text.casefold())
