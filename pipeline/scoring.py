"""The scorer of ANNOTATION.md section 6: span matching, P/R/F1, attribute accuracy, bootstrap intervals.

Matching, per document: a prediction and a gold record match when their spans overlap; the matching is
one-to-one and greedy over all overlapping pairs sorted by (larger overlap, smaller |start difference|,
smaller |end difference|, earlier gold record, earlier prediction), the last two in input order.
Exact matching is separate: equal start and end, one-to-one in input order.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple, Sequence

import numpy as np

from pipeline.records import KEYED_FIELDS, KINDS, Record
from pipeline.textmetrics import bag_f1

REL_TOL = 1e-6  # relative tolerance of value / value_max / denominator equality
ATTRIBUTE_FIELDS = ("kind", "unit", "qualifier", "modality", "change")
TOKEN_F1_FIELDS = ("subject", "time", "location")
# Exact-match accuracy on the matched pairs whose gold record carries the key (ANNOTATION.md section 7).
KEYED_ACCURACY_FIELDS = KEYED_FIELDS
HEADLINE = ("mention", "mention_exact", "value")
ERROR_TYPES = ("missed", "spurious", "wrong_value")
SENTENCE_LIMIT = 300  # characters either side of a span kept when a sentence has no visible end
_SENTENCE_BREAK = re.compile(r"[.!?…](?=\s)|\n")


class PRF(NamedTuple):
    """Precision, recall and F1."""

    p: float
    r: float
    f1: float


@dataclass
class DocComparison:
    """Gold and predicted records of one evaluated document and how they were matched."""

    doc_id: str
    gold: list[Record]
    pred: list[Record]
    pairs: list[tuple[int, int]]  # (gold index, prediction index), overlap matching
    exact_pairs: list[tuple[int, int]]  # (gold index, prediction index), exact-span matching

    def value_correct(self) -> list[tuple[int, int]]:
        """The overlap-matched pairs whose value, value_max and denominator equal gold."""
        return [(g, p) for g, p in self.pairs if values_equal(self.gold[g], self.pred[p])]

    def counts(self) -> tuple[int, int, int, int, int]:
        """(n_gold, n_pred, matched, matched exactly, value-correct) of this document."""
        return (len(self.gold), len(self.pred), len(self.pairs), len(self.exact_pairs),
                len(self.value_correct()))


@dataclass
class ScoreError:
    """A missed, spurious or wrong-value mention, with the sentence around it."""

    type: str
    doc_id: str
    start: int
    end: int
    text: str
    gold: Record | None
    pred: Record | None
    sentence: str | None = None
    rule: str | None = None  # the rule the error is owed to (pipeline.error_rules.assign_rules), None if not asked

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of the error (with the prediction's rule ids, and the rule blamed once assigned)."""
        return {"type": self.type, "doc_id": self.doc_id, "span": [self.start, self.end], "text": self.text,
                "gold": self.gold.to_dict(provenance=False) if self.gold else None,
                "pred": self.pred.to_dict(provenance=False) if self.pred else None,
                "pred_rules": list(self.pred.rules) if self.pred else None,
                "rule": self.rule, "sentence": self.sentence}


@dataclass
class Scores:
    """Every number of one evaluation, plus its errors."""

    mention: PRF
    mention_exact: PRF
    value: PRF
    attr_acc: dict[str, float | None]
    per_kind: dict[str, dict[str, Any]]
    ci: dict[str, tuple[float, float]]
    counts: dict[str, int]
    doc_ids: list[str] = field(default_factory=list)
    errors: list[ScoreError] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The scores as a JSON-ready dict (keys: mention, mention_exact, value, attr_acc, per_kind, ci, counts)."""
        return {
            "mention": list(self.mention),
            "mention_exact": list(self.mention_exact),
            "value": list(self.value),
            "attr_acc": dict(self.attr_acc),
            "per_kind": {k: {**v, "mention": list(v["mention"]), "mention_exact": list(v["mention_exact"]),
                             "value": list(v["value"])} for k, v in self.per_kind.items()},
            "ci": {k: list(v) for k, v in self.ci.items()},
            "counts": dict(self.counts),
        }

    def format_table(self) -> str:
        """A fixed-width plain-text table of the scores."""
        return format_table(self)

    def format_errors(self) -> str:
        """Every error, one block per mention, grouped by document."""
        return format_errors(self.errors)


# ---------------------------------------------------------------- matching


def overlap(a: Record, b: Record) -> int:
    """Number of characters two spans share."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def match_overlap(gold: Sequence[Record], pred: Sequence[Record]) -> list[tuple[int, int]]:
    """One-to-one overlap matching, greedy largest overlap first, deterministic tie-break (module doc)."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            shared = overlap(g, p)
            if shared > 0:
                candidates.append((-shared, abs(g.start - p.start), abs(g.end - p.end), gi, pi))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for *_, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def match_exact(gold: Sequence[Record], pred: Sequence[Record]) -> list[tuple[int, int]]:
    """One-to-one matching of equal spans, in input order."""
    free: dict[tuple[int, int], list[int]] = defaultdict(list)
    for gi, g in enumerate(gold):
        free[(g.start, g.end)].append(gi)
    pairs = []
    for pi, p in enumerate(pred):
        waiting = free.get((p.start, p.end))
        if waiting:
            pairs.append((waiting.pop(0), pi))
    return sorted(pairs)


def _close(a: float | None, b: float | None) -> bool:
    """Equal within REL_TOL; null equals only null."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0)


def values_equal(gold: Record, pred: Record) -> bool:
    """Value, value_max and denominator all equal (ANNOTATION.md section 6)."""
    return (_close(gold.value, pred.value) and _close(gold.value_max, pred.value_max)
            and _close(gold.denominator, pred.denominator))


def token_f1(gold: str | None, pred: str | None) -> float:
    """Token-overlap F1 of two phrases (lowercased whitespace tokens); both empty or null = 1."""
    return bag_f1((pred or "").lower().split(), (gold or "").lower().split())


def compare(gold: Sequence[Record], predicted: Sequence[Record],
            doc_ids: Iterable[str] | None = None) -> list[DocComparison]:
    """Per evaluated document (sorted by doc_id): its records and their matching."""
    evaluated = sorted(set(doc_ids) if doc_ids is not None else {r.doc_id for r in gold})
    by_doc_gold = _group(gold)
    by_doc_pred = _group(predicted)
    out = []
    for doc_id in evaluated:
        g = by_doc_gold.get(doc_id, [])
        p = by_doc_pred.get(doc_id, [])
        out.append(DocComparison(doc_id, g, p, match_overlap(g, p), match_exact(g, p)))
    return out


def _group(records: Sequence[Record]) -> dict[str, list[Record]]:
    """Records by doc_id, input order kept."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        groups[r.doc_id].append(r)
    return groups


# ---------------------------------------------------------------- metrics


def prf(tp_pred: float, n_pred: float, tp_gold: float, n_gold: float) -> PRF:
    """P = tp_pred / n_pred, R = tp_gold / n_gold; nothing predicted and nothing to find = 1, else 0/0 = 0."""
    if n_pred == 0 and n_gold == 0:
        return PRF(1.0, 1.0, 1.0)
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(float(p), float(r), float(f1))


def score(gold: Sequence[Record], predicted: Sequence[Record], doc_ids: Iterable[str] | None = None, *,
          bootstrap: int = 1000, seed: int = 0, texts: dict[str, str] | None = None) -> Scores:
    """Score predictions against gold over the evaluated documents (default: the gold documents)."""
    return score_compared(compare(gold, predicted, doc_ids), predicted, bootstrap=bootstrap, seed=seed, texts=texts)


def score_compared(docs: Sequence[DocComparison], predicted: Sequence[Record], *, bootstrap: int = 1000,
                   seed: int = 0, texts: dict[str, str] | None = None) -> Scores:
    """`score` of documents already compared; `predicted` (all predictions) counts those of other documents."""
    per_doc = np.array([d.counts() for d in docs], dtype=float).reshape(-1, 5)
    n_gold, n_pred, tp, tp_exact, tp_value = (int(x) for x in per_doc.sum(axis=0))
    evaluated = {d.doc_id for d in docs}
    pairs = matched_pairs(docs)
    counts = {
        "docs": len(docs), "gold": int(n_gold), "predicted": int(n_pred), "matched": int(tp),
        "matched_exact": int(tp_exact), "value_correct": int(tp_value),
        "missed": int(n_gold - tp), "spurious": int(n_pred - tp), "wrong_value": int(tp - tp_value),
        "ignored_predictions": sum(1 for r in predicted if r.doc_id not in evaluated),
        **{f"{name}_pairs": len(keyed_pairs(pairs, name)) for name in KEYED_ACCURACY_FIELDS},
    }
    return Scores(
        mention=prf(tp, n_pred, tp, n_gold),
        mention_exact=prf(tp_exact, n_pred, tp_exact, n_gold),
        value=prf(tp_value, n_pred, tp_value, n_gold),
        attr_acc=attribute_accuracy(pairs),
        per_kind=per_kind_scores(docs),
        ci=bootstrap_ci(per_doc, bootstrap, seed),
        counts=counts,
        doc_ids=[d.doc_id for d in docs],
        errors=collect_errors(docs, texts),
    )


def matched_pairs(docs: Sequence[DocComparison]) -> list[tuple[Record, Record]]:
    """(gold, prediction) of every overlap-matched pair, document after document."""
    return [(d.gold[g], d.pred[p]) for d in docs for g, p in d.pairs]


def attribute_accuracy(pairs: Sequence[tuple[Record, Record]]) -> dict[str, float | None]:
    """Share of matched pairs with equal kind/unit/qualifier/modality/change; mean token F1 of subject/time/location;
    share with equal period/place among the pairs whose gold carries that key (None when no pair does)."""
    out: dict[str, float | None] = {}
    for name in ATTRIBUTE_FIELDS:
        out[name] = (sum(getattr(g, name) == getattr(p, name) for g, p in pairs) / len(pairs)) if pairs else None
    for name in TOKEN_F1_FIELDS:
        out[f"{name}_f1"] = (sum(token_f1(getattr(g, name), getattr(p, name)) for g, p in pairs) / len(pairs)
                             if pairs else None)
    for name in KEYED_ACCURACY_FIELDS:
        keyed = keyed_pairs(pairs, name)
        out[name] = sum(getattr(g, name) == getattr(p, name) for g, p in keyed) / len(keyed) if keyed else None
    return out


def keyed_pairs(pairs: Sequence[tuple[Record, Record]], name: str) -> list[tuple[Record, Record]]:
    """The pairs whose gold record carries the keyed field `name` (null counts: it is an annotated value)."""
    return [(g, p) for g, p in pairs if g.has_field(name)]


def per_kind_scores(docs: Sequence[DocComparison]) -> dict[str, dict[str, Any]]:
    """Per kind: precision counts predictions by their predicted kind, recall counts gold by its gold kind."""
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    hits = {m: (Counter(), Counter()) for m in HEADLINE}  # metric -> (by predicted kind, by gold kind)
    for d in docs:
        n_gold.update(r.kind for r in d.gold)
        n_pred.update(r.kind for r in d.pred)
        for metric, pairs in (("mention", d.pairs), ("mention_exact", d.exact_pairs), ("value", d.value_correct())):
            for g, p in pairs:
                hits[metric][0][d.pred[p].kind] += 1
                hits[metric][1][d.gold[g].kind] += 1
    out = {}
    for kind in [k for k in KINDS if n_gold[k] or n_pred[k]]:
        out[kind] = {m: prf(hits[m][0][kind], n_pred[kind], hits[m][1][kind], n_gold[kind]) for m in HEADLINE}
        out[kind].update(n_gold=n_gold[kind], n_pred=n_pred[kind])
    return out


def bootstrap_ci(per_doc: np.ndarray, rounds: int, seed: int, level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile intervals of the headline metrics, resampling documents with replacement (seeded)."""
    n = len(per_doc)
    if rounds <= 0 or n == 0:
        return {}
    rng = np.random.default_rng(seed)
    sums = np.empty((rounds, per_doc.shape[1]))
    for b in range(rounds):
        weights = np.bincount(rng.integers(0, n, size=n), minlength=n)
        sums[b] = weights @ per_doc
    samples: dict[str, list[float]] = defaultdict(list)
    for n_gold, n_pred, tp, tp_exact, tp_value in sums:
        for metric, hit in (("mention", tp), ("mention_exact", tp_exact), ("value", tp_value)):
            p, r, f1 = prf(hit, n_pred, hit, n_gold)
            samples[f"{metric}_p"].append(p)
            samples[f"{metric}_r"].append(r)
            samples[f"{metric}_f1"].append(f1)
    tail = (1 - level) / 2 * 100
    return {name: (float(np.percentile(v, tail)), float(np.percentile(v, 100 - tail)))
            for name, v in samples.items()}


# ---------------------------------------------------------------- errors


def sentence_around(text: str, start: int, end: int, limit: int = SENTENCE_LIMIT) -> str:
    """The sentence holding text[start:end] (breaks: newline, or .!?… before a space), cut at `limit` chars."""
    lo = max(0, start - limit)
    left = lo
    for m in _SENTENCE_BREAK.finditer(text, lo, start):
        left = m.end()
    hi = min(len(text), end + limit)
    m = _SENTENCE_BREAK.search(text, end, hi)
    right = (m.end() if m.group() != "\n" else m.start()) if m else hi
    sentence = text[left:right].strip()
    prefix = "…" if left == lo and lo > 0 else ""
    suffix = "…" if m is None and hi < len(text) else ""
    return f"{prefix}{sentence}{suffix}"


def collect_errors(docs: Sequence[DocComparison], texts: dict[str, str] | None) -> list[ScoreError]:
    """Missed gold, spurious predictions and wrong-value pairs, ordered by document and position."""
    errors = []
    for d in docs:
        text = (texts or {}).get(d.doc_id)
        matched_gold = {g for g, _ in d.pairs}
        matched_pred = {p for _, p in d.pairs}
        items = []
        for gi, g in enumerate(d.gold):
            if gi not in matched_gold:
                items.append(ScoreError("missed", d.doc_id, g.start, g.end, g.text, g, None))
        for pi, p in enumerate(d.pred):
            if pi not in matched_pred:
                items.append(ScoreError("spurious", d.doc_id, p.start, p.end, p.text, None, p))
        for gi, pi in d.pairs:
            g, p = d.gold[gi], d.pred[pi]
            if not values_equal(g, p):
                items.append(ScoreError("wrong_value", d.doc_id, g.start, g.end, g.text, g, p))
        for e in sorted(items, key=lambda e: (e.start, e.end, ERROR_TYPES.index(e.type))):
            if text is not None:
                e.sentence = sentence_around(text, e.start, e.end)
            errors.append(e)
    return errors


def describe(record: Record | None) -> str:
    """A short human summary of a record's value: kind value[-max][/denominator] [unit]."""
    if record is None:
        return "-"
    value = _num(record.value)
    if record.value_max is not None:
        value += f"-{_num(record.value_max)}"
    if record.denominator is not None:
        value += f"/{_num(record.denominator)}"
    unit = f" {record.unit}" if record.unit else ""
    return f"{record.kind} {value}{unit}"


def _num(x: float) -> str:
    """A number without a useless .0."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e18 else f"{x:.10g}"


# ---------------------------------------------------------------- formatting


def _fmt(x: float | None) -> str:
    """A score with three decimals, '-' for none."""
    return "    -" if x is None else f"{x:.3f}"


def format_table(s: Scores) -> str:
    """The fixed-width plain-text table of Scores.format_table."""
    c = s.counts
    lines = [
        f"documents {c['docs']}   gold {c['gold']}   predicted {c['predicted']}   matched {c['matched']}"
        f" (exact {c['matched_exact']})   value-correct {c['value_correct']}",
        f"missed {c['missed']}   spurious {c['spurious']}   wrong value {c['wrong_value']}"
        + (f"   ignored predictions (unevaluated docs) {c['ignored_predictions']}" if c["ignored_predictions"] else ""),
        "",
        f"{'metric':<17}{'P':>7}{'R':>7}{'F1':>7}   95% CI of F1",
    ]
    for name in HEADLINE:
        p, r, f1 = getattr(s, name)
        ci = s.ci.get(f"{name}_f1")
        ci_text = f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "-"
        label = "value (headline)" if name == "value" else name
        lines.append(f"{label:<17}{_fmt(p):>7}{_fmt(r):>7}{_fmt(f1):>7}   {ci_text}")
    lines += ["", f"{'kind':<10}{'gold':>6}{'pred':>6}   {'mention P':>9}{'R':>7}{'F1':>7}   {'value P':>9}{'R':>7}{'F1':>7}"]
    for kind, k in s.per_kind.items():
        # P is undefined without predictions of the kind, R without gold of the kind: shown as "-".
        mp, mr, mf = k["mention"]
        vp, vr, vf = k["value"]
        if not k["n_pred"]:
            mp = vp = None
        if not k["n_gold"]:
            mr = vr = None
        lines.append(f"{kind:<10}{k['n_gold']:>6}{k['n_pred']:>6}   {_fmt(mp):>9}{_fmt(mr):>7}{_fmt(mf):>7}"
                     f"   {_fmt(vp):>9}{_fmt(vr):>7}{_fmt(vf):>7}")
    lines += ["", f"attributes on {c['matched']} matched pairs"]
    for name, acc in s.attr_acc.items():
        if name in KEYED_ACCURACY_FIELDS:
            continue
        label = f"{name} (token F1)" if name.endswith("_f1") else f"{name} accuracy"
        lines.append(f"  {label:<22}{_fmt(acc):>7}")
    for name in KEYED_ACCURACY_FIELDS:  # left out while no gold record carries the key (gold before v1.2)
        keyed = c.get(f"{name}_pairs", 0)
        if keyed:
            lines.append(f"  {name + ' accuracy':<22}{_fmt(s.attr_acc.get(name)):>7}   on {keyed} pairs with gold {name}")
    return "\n".join(lines)


def format_errors(errors: Sequence[ScoreError]) -> str:
    """The error listing: per document, one line per error and its sentence."""
    lines: list[str] = []
    current = None
    for e in errors:
        if e.doc_id != current:
            current = e.doc_id
            lines += ["", f"== {e.doc_id}"] if lines else [f"== {e.doc_id}"]
        lines += error_line(e)
    return "\n".join(lines) if lines else "no errors"


def error_line(e: ScoreError, with_doc: bool = False) -> list[str]:
    """The lines of one error: type, span, text, values (and the document), the rules, the sentence."""
    detail = {"missed": f"gold {describe(e.gold)}",
              "spurious": f"pred {describe(e.pred)}",
              "wrong_value": f"gold {describe(e.gold)}  pred {describe(e.pred)}"
                             + (f" ({e.pred.text!r})" if e.pred and e.pred.text != e.text else "")}[e.type]
    where = f"{e.doc_id} " if with_doc else ""
    lines = [f"{e.type.upper():<12}{where}[{e.start}:{e.end}] {e.text!r}  {detail}"]
    if e.pred is not None and e.pred.rules:
        lines.append(f"    rules {' '.join(e.pred.rules)}")
    if e.sentence:
        lines.append(f"    | {e.sentence}")
    return lines
