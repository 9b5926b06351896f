"""extract_mentions and explain: find candidate numbers, run the exclusion cascade, attach attributes and rule ids."""
from __future__ import annotations

import regex

from extractors import attributes as attr
from extractors.candidates import Quantity, quantity_at
from extractors.context import Layout, article_ranges, layout, words_before
from extractors.exclusion_rules import Ctx, first_exclusion
from extractors.exclusions import phone_spans
from extractors.lexicon import lexicon, word_alternation
from extractors.mention import Mention
from extractors.indicators import link_indicator
from extractors.periods import period_of, relative_period
from extractors.rule_catalog import describe_rule
from extractors.place_names import canonical_place
from extractors.trace import NumberTrace, collecting, fired
from rules import load_rules, per_rules

_LIST_MARKER = regex.compile(r"\s*(?:[-+•*–]|\d{1,2}[.)]\s|[a-zđ][.)]\s)")


def extract_mentions(text: str, body: list[tuple[int, int]] | None = None,
                     published: str | None = None) -> list[Mention]:
    """All indicator mentions of the article text inside body ranges, sorted by start, each with its rule ids.

    PUBLISHED (ISO "YYYY-MM-DD", or None) resolves periods without a year and picks the province list in force.
    """
    return [t.mention for t in _read(text, body, explain=False, published=published)]


def explain(text: str, body: list[tuple[int, int]] | None = None, published: str | None = None) -> list[NumberTrace]:
    """Every number of the text, kept as a mention or excluded, with the rules that took part, sorted by start."""
    return _read(text, body, explain=True, published=published)


def _read(text: str, body, explain: bool, published: str | None = None) -> list[NumberTrace]:
    if not isinstance(text, str) or not text:
        return []
    doc = _Document(text, layout(text), attr.main_place(text), published)
    out: list[NumberTrace] = []
    for lo, hi in article_ranges(text, body):
        out.extend(_read_range(text, lo, hi, doc, explain))
    out = _dedupe(out)
    out.sort(key=lambda t: (t.start, t.end))
    return out


def _read_range(text: str, lo: int, hi: int, doc: _Document, explain: bool) -> list[NumberTrace]:
    """Traces of the numbers inside [lo, hi): every mention, and (when explaining) every excluded number."""
    lay = doc.lay
    lex = lexicon()
    blocked = phone_spans(text, lo, hi)
    found: list[Mention] = []
    out: list[NumberTrace] = []
    last_end = lo
    for m in lex.number_atom.finditer(text, lo, hi):
        if m.start() < last_end:
            continue
        atom_ctx = Ctx(text, atom=m, blocked=blocked)
        hit = first_exclusion("atom", atom_ctx)
        if hit is not None:
            if explain:
                out.append(_excluded(text, m.start(), m.end(), ["cand.digits" if m.group("d") else "cand.spelled"], hit))
            continue
        q = quantity_at(text, m, hi)
        if q is None or q.end > hi:
            if explain and q is None and m.group("d"):
                out.append(NumberTrace(m.start(), m.end(), m.group(), "excluded", "cand.unreadable",
                                       "digits that do not form a number", ["cand.unreadable"]))
            continue
        cand_ids = candidate_rules(q)
        s_lo, _ = lay.sentence(q.start)
        ctx = Ctx(text, q=q, floor=s_lo)
        hit = first_exclusion("candidate", ctx)
        if hit is not None:
            if q.value_max is not None or q.denominator is not None:
                last_end = q.end  # do not re-read the second half of an excluded range
            if explain:
                out.append(_excluded(text, q.start, q.end, cand_ids, hit))
            continue
        with collecting() as ids:
            ids.extend(cand_ids)
            mention, hit = _mention(text, q, doc, found[-1].end if found else lo)
            if mention is not None:
                _carry_over(text, lay, found, mention, q)
        if mention is None:
            if explain:
                out.append(_excluded(text, q.start, q.end, cand_ids, hit))
            continue
        mention.rules = list(ids)
        found.append(mention)
        out.append(NumberTrace(mention.start, mention.end, mention.text, "mention", cand_ids[0],
                               _candidate_reason(cand_ids[0]) if explain else "", mention.rules, mention))
        last_end = q.end
    for fm in _factor_word_re().finditer(text, lo, hi):
        word = fm.group("w").lower()
        q = Quantity(fm.start("w"), fm.end("w"), _factor_words()[word], fm.start("w"), fm.end("w"),
                     spelled=True, unit="lần", unit_kind="number")
        with collecting() as ids:
            ids.append("cand.factor_word")
            mention, hit = _mention(text, q, doc)
        if mention is not None:
            if mention.change is None:
                mention.change = "increase"
                ids.append("chg.increase.factor_word")
            mention.rules = list(ids)
            out.append(NumberTrace(mention.start, mention.end, mention.text, "mention", "cand.factor_word",
                                   _candidate_reason("cand.factor_word") if explain else "", mention.rules, mention))
        elif explain:
            out.append(_excluded(text, q.start, q.end, ["cand.factor_word"], hit))
    return out


def _excluded(text: str, start: int, end: int, cand_ids: list[str], hit) -> NumberTrace:
    """The trace of a number dropped by exclusion rule HIT = (rule, detail)."""
    rule, detail = hit
    reason = rule.reason if detail == rule.reason else f"{rule.reason} [{detail}]"
    return NumberTrace(start, end, text[start:end], "excluded", rule.id, reason, cand_ids + [rule.id])


def _carry_over(text: str, lay: Layout, found: list[Mention], mention: Mention, q: Quantity) -> None:
    """Attributes a figure takes from the one before it: a share's subject, a restatement's change and subject."""
    if not found:
        return
    prev = found[-1]
    if (mention.subject is None and mention.kind == "percent" and prev.subject and prev.kind in ("count", "ratio")
            and lay.sentence(prev.start)[0] == lay.sentence(q.start)[0]):
        mention.subject = prev.subject      # "08/18 chỉ tiêu hoàn thành (chiếm tỷ lệ 44,4%)"
        fired("subj.share_of_previous")
    if _restatement_re().fullmatch(text, prev.end, mention.start):
        # "VN-Index giảm 10,39 điểm, tương ứng 0,81%": a restatement of the figure before it.
        if mention.change is None and prev.change is not None:
            mention.change = prev.change
            fired("chg.restatement")
        if prev.subject:
            mention.subject = prev.subject
            fired("subj.restatement")


def _mention(text: str, q: Quantity, doc: "_Document", prev_end: int = 0):
    """(the Mention for a kept candidate with every attribute, None) or (None, the mention-stage exclusion)."""
    lay, place = doc.lay, doc.place
    s_lo, s_end = lay.sentence(q.start)
    before = words_before(text, q.start, 5, s_lo)
    kind, unit, hint = attr.kind_and_unit(text, q, before)
    hit = first_exclusion("mention", Ctx(text, q=q, floor=s_lo, kind=kind, before_words=before))
    if hit is not None:
        return None, hit
    if kind == "count" and q.unit is not None and q.unit_start is not None:
        # "2 lần gửi văn bản", "5 điểm du lịch": the word is the counted noun, not a unit.
        q.end = len(text[:q.unit_start].rstrip())
    qual = attr.qualifier(text, q, before, hint)
    chg = attr.change(text, q, before, kind)
    facts = doc.sentence(s_lo)
    mod = attr.modality(facts, q.start, doc.list_intro_cue(q.start))
    subj = attr.subject(text, q, kind, unit, max(s_lo, prev_end))
    if mod == "actual" and attr.is_quota(kind, subj, facts):
        mod = "target"                      # "xét tuyển 530 chỉ tiêu": a quota is a target
        fired("mod.target.quota")
    time = attr.time_of(facts, q)
    loc = attr.location_of(facts, q, place, unit, qual, kind)
    s_hi = max(s_end, q.end)
    # ANNOTATION.md section 7: the period of the time phrase, or of a relative phrase ("năm nay") before the figure.
    period, period_rule = (period_of(time, doc.published, text[s_lo:s_hi]) if time is not None
                           else relative_period(text[s_lo:q.start], doc.published))
    canonical, place_rule = canonical_place(loc, doc.published)
    sent_lo = min(s_lo, q.start)
    indicator, indicator_rule = link_indicator(kind, unit, subj, text[sent_lo:s_hi], chg,
                                               (q.start - sent_lo, q.end - sent_lo))
    for rule_id in (period_rule, place_rule, indicator_rule):
        if rule_id:
            fired(rule_id)
    return Mention(
        start=q.start, end=q.end, text=text[q.start:q.end], kind=kind, value=_tidy(float(q.value)),
        value_max=_tidy(q.value_max), denominator=_tidy(q.denominator) if kind in ("ratio", "rank") else None,
        unit=unit, qualifier=qual, modality=mod, change=chg, subject=subj, time=time, location=loc,
        period=period, place=canonical, indicator=indicator, sentence_start=sent_lo, sentence_end=s_hi,
    ), None


class _Document:
    """One document being read: its layout and main place, and what was worked out once per sentence and per
    list line (so a sentence or line holding thousands of figures is read a bounded number of times)."""

    def __init__(self, text: str, lay: Layout, place: str | None, published: str | None = None):
        self.text, self.lay, self.place, self.published = text, lay, place, published
        self._sentences: dict[int, attr.SentenceFacts] = {}
        self._intro_cues: dict[int, str | None] = {}

    def sentence(self, s_lo: int) -> attr.SentenceFacts:
        """The facts of the sentence starting at s_lo."""
        facts = self._sentences.get(s_lo)
        if facts is None:
            _, s_hi = self.lay.sentence(s_lo)
            facts = attr.SentenceFacts(self.text, s_lo, s_hi, _previous_sentence(self.text, self.lay, s_lo))
            self._sentences[s_lo] = facts
        return facts

    def list_intro_cue(self, pos: int) -> str | None:
        """The target cue of the intro line of the list item holding pos, if any."""
        line = self.lay.line(pos)
        if line not in self._intro_cues:
            self._intro_cues[line] = attr.list_intro_cue(_list_intro(self.text, self.lay, pos))
        return self._intro_cues[line]


def candidate_rules(q: Quantity) -> list[str]:
    """The ids of the candidate rules (rules/numbers.yaml `candidate_rules`) that read q's surface."""
    ids = ["cand.spelled" if q.spelled else "cand.digits"]
    if q.has_scale:
        ids.append("cand.scale")
    if q.value_max is not None:
        ids.append("cand.range.dash" if q.range_sep and q.range_sep.startswith("dash") else "cand.range.words")
    if q.denominator is not None:
        ids.append("cand.ratio.out_of" if "out-of" in q.notes else "cand.ratio.slash")
    if q.unit is not None:
        base, _, per = q.unit.partition("/")
        uid = lexicon().unit_ids.get(base)
        if q.noun_per:
            ids.append("unit.noun_per")
        else:
            if uid:
                ids.append(uid)
            if per:
                ids.append("unit.per_unit")
    return ids


def _candidate_reason(rule_id: str) -> str:
    """The one-line reason of a candidate rule."""
    return describe_rule(rule_id) or rule_id


@per_rules
def _factor_words_of() -> dict[str, float]:
    return {str(k).lower(): float(v) for k, v in load_rules("numbers")["factor_words"].items()}


def _factor_words() -> dict[str, float]:
    """Words that are a factor by themselves after a factor verb ("gấp đôi" = 2)."""
    return _factor_words_of()


@per_rules
def _factor_word_re_of() -> regex.Pattern:
    verbs = word_alternation(load_rules("cues")["factor_word_verbs"], space=r"[ \t]+")
    words = word_alternation(_factor_words_of(), space=r"[ \t]+")
    return regex.compile(r"(?<![\p{L}])" + verbs + r"[ \t]+(?P<w>" + words + r")(?![\p{L}])", regex.IGNORECASE)


def _factor_word_re() -> regex.Pattern:
    """A factor verb and a factor word: "gấp đôi", "tăng gấp rưỡi"."""
    return _factor_word_re_of()


@per_rules
def _restatement_re_of() -> regex.Pattern:
    return regex.compile(load_rules("cues")["restatement_regex"], regex.IGNORECASE)


def _restatement_re() -> regex.Pattern:
    """The words between a figure and its restatement ("10,39 điểm, tương ứng 0,81%")."""
    return _restatement_re_of()


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


def _dedupe(traces: list[NumberTrace]) -> list[NumberTrace]:
    """Drop mentions overlapping an earlier, longer one (the factor pass can meet the main pass)."""
    traces = sorted(traces, key=lambda t: (t.start, -(t.end - t.start)))
    out: list[NumberTrace] = []
    last: NumberTrace | None = None
    for t in traces:
        if t.outcome == "mention":
            if last is not None and t.start < last.end:
                continue
            last = t
        out.append(t)
    return out
