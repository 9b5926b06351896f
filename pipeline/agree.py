"""Inter-annotator agreement: the scorer both ways, and per-field agreement on matched pairs."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Sequence

from pipeline.records import KEYED_FIELDS, Record
from pipeline.scoring import Scores, compare, matched_pairs, score, score_compared, values_equal

# Fields compared on matched pairs; "span" = same start and end, "value" = value, value_max, denominator equal.
AGREEMENT_FIELDS = ("span", "kind", "value", "unit", "qualifier", "modality", "change", "subject", "time",
                    "location") + KEYED_FIELDS
KAPPA_FIELDS = ("kind", "qualifier", "modality", "change")


@dataclass
class Agreement:
    """Agreement between annotations A and B of the same documents."""

    a_vs_b: Scores  # A taken as gold, B as predictions
    b_vs_a: Scores  # B taken as gold, A as predictions
    field_agreement: dict[str, float | None]  # share of matched pairs with equal values
    kappa: dict[str, float | None]  # Cohen's kappa of the categorical fields on matched pairs
    n_pairs: int
    only_in_a: list[str] = field(default_factory=list)  # evaluated documents annotated only in A
    only_in_b: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: both score sets, field agreement, kappa, pair count, unshared documents."""
        return {"a_vs_b": self.a_vs_b.to_json(), "b_vs_a": self.b_vs_a.to_json(),
                "field_agreement": dict(self.field_agreement), "kappa": dict(self.kappa),
                "n_pairs": self.n_pairs, "only_in_a": self.only_in_a, "only_in_b": self.only_in_b}

    def format_table(self) -> str:
        """Readable plain-text agreement summary."""
        lines = ["== A as gold, B as predictions", self.a_vs_b.format_table(), "",
                 "== B as gold, A as predictions", self.b_vs_a.format_table(), "",
                 f"== field agreement on {self.n_pairs} matched pairs (A as gold)",
                 f"{'field':<12}{'equal':>8}{'kappa':>8}"]
        for name in AGREEMENT_FIELDS:
            share = self.field_agreement.get(name)
            if name in KEYED_FIELDS and share is None:
                continue  # annotations without period / place (before v1.2): no row
            kappa = self.kappa.get(name)
            lines.append(f"{name:<12}{_fmt(share):>8}{_fmt(kappa) if name in KAPPA_FIELDS else '':>8}")
        for label, docs in (("only in A", self.only_in_a), ("only in B", self.only_in_b)):
            if docs:
                lines.append(f"documents {label}: {', '.join(docs)}")
        return "\n".join(lines)


def _fmt(x: float | None) -> str:
    """Three decimals, '-' for none."""
    return "-" if x is None else f"{x:.3f}"


def cohen_kappa(a: Sequence[Any], b: Sequence[Any]) -> float | None:
    """Cohen's kappa of two label sequences; None when empty, 1.0 when both always use one same label."""
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[label] * cb[label] for label in ca) / (n * n)
    if expected == 1.0:
        # Both annotators used a single identical label everywhere: chance agreement is total.
        return 1.0 if observed == 1.0 else 0.0
    return (observed - expected) / (1 - expected)


def _equal(name: str, a: Record, b: Record) -> bool:
    """Whether two matched records agree on one AGREEMENT_FIELDS entry."""
    if name == "span":
        return (a.start, a.end) == (b.start, b.end)
    if name == "value":
        return values_equal(a, b)
    return getattr(a, name) == getattr(b, name)


def agree(a: Sequence[Record], b: Sequence[Record], a_docs: set[str], b_docs: set[str], *,
          bootstrap: int = 1000, seed: int = 0, texts: dict[str, str] | None = None) -> Agreement:
    """Agreement of annotations A and B over the union of their documents."""
    doc_ids = set(a_docs) | set(b_docs)
    a_as_gold = compare(a, b, doc_ids)
    pairs = matched_pairs(a_as_gold)
    share = {}
    for name in AGREEMENT_FIELDS:  # period / place: only the pairs where both annotations carry the key
        both = [(x, y) for x, y in pairs if x.has_field(name) and y.has_field(name)]
        share[name] = sum(_equal(name, x, y) for x, y in both) / len(both) if both else None
    kappa = {name: cohen_kappa([getattr(x, name) for x, _ in pairs], [getattr(y, name) for _, y in pairs])
             for name in KAPPA_FIELDS}
    return Agreement(
        a_vs_b=score_compared(a_as_gold, b, bootstrap=bootstrap, seed=seed, texts=texts),
        b_vs_a=score(b, a, doc_ids, bootstrap=bootstrap, seed=seed, texts=texts),
        field_agreement=share, kappa=kappa, n_pairs=len(pairs),
        only_in_a=sorted(set(a_docs) - set(b_docs)), only_in_b=sorted(set(b_docs) - set(a_docs)))
