"""Why each number of a document became a mention or not: extractors.explain, as the pipeline reads the document.

The document is read as `chiso extract` reads it (normalized text, the cleaner's article body), so the
numbers the cleaner leaves out (page furniture) are listed too, with the rule id OUTSIDE_ARTICLE.
"""
from __future__ import annotations

import json
from typing import Any, Sequence

import regex

from pipeline.clean_text import find_body
from pipeline.document import Document
from pipeline.scoring import describe, sentence_around

# The pseudo rule of a number the extractor never saw: the cleaner left its line out of the article.
OUTSIDE_ARTICLE = "clean.outside_article"
OUTSIDE_REASON = "outside the article: the cleaner dropped this line as page furniture (--no-clean keeps it)"
_DIGITS = regex.compile(r"\d+(?:[.,]\d+)*")
# Characters of sentence shown either side of a number.
CONTEXT_CHARS = 160
# Mention fields shown after kind and value (defaults left out).
SHOWN_FIELDS = ("qualifier", "modality", "change", "subject", "time", "location", "period", "place")
FIELD_DEFAULTS = {"qualifier": "eq", "modality": "actual"}


def explain_document(doc: Document, clean: bool = True) -> list:
    """Every number of the document (extractors.NumberTrace, sorted by start), furniture numbers included."""
    import extractors
    from pipeline.api import published_of

    if clean and doc.body is None:
        doc.body = find_body(doc.text)
    body = doc.body if clean else None
    traces = list(extractors.explain(doc.text, body, published=published_of(doc)))
    if body is not None:
        traces += _outside(doc.text, body)
        traces.sort(key=lambda t: (t.start, t.end))
    return traces


def _outside(text: str, body: Sequence[tuple[int, int]]) -> list:
    """Traces of the digit groups that lie in no body range."""
    from extractors import NumberTrace

    out = []
    for m in _DIGITS.finditer(text):
        if not any(a <= m.start() < b for a, b in body):
            out.append(NumberTrace(m.start(), m.end(), m.group(), "excluded", OUTSIDE_ARTICLE, OUTSIDE_REASON,
                                   [OUTSIDE_ARTICLE]))
    return out


def in_context(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> str:
    """The sentence around text[start:end], the number marked as ⟦number⟧, on one line."""
    marked = f"{text[:start]}⟦{text[start:end]}⟧{text[end:]}"
    return " ".join(sentence_around(marked, start, end + 2, limit).split())


def trace_json(text: str, trace) -> dict[str, Any]:
    """A trace as a JSON-ready dict, with its sentence."""
    return {**trace.to_dict(), "sentence": in_context(text, trace.start, trace.end)}


def document_json(doc: Document, traces: Sequence) -> str:
    """One JSON line: the document id and every number with its outcome, rules and sentence."""
    return json.dumps({"doc_id": doc.doc_id, "numbers": [trace_json(doc.text, t) for t in traces]},
                      ensure_ascii=False)


def summary(traces: Sequence) -> str:
    """"N numbers: M mentions, K excluded"."""
    kept = sum(t.outcome == "mention" for t in traces)
    return f"{len(traces)} numbers: {kept} mentions, {len(traces) - kept} excluded"


def format_blocks(text: str, traces: Sequence) -> str:
    """One block per number: span, outcome and deciding rule, its reason, every rule, the mention, the sentence."""
    blocks = []
    for t in traces:
        head = f"[{t.start}-{t.end}] {t.text!r}  "
        if t.outcome == "mention":
            head += f"MENTION {describe(t.mention)}"
        else:
            head += f"excluded by {t.rule}"
        lines = [head, f"    reason  {t.rule}: {t.reason}", f"    rules   {' '.join(t.rules) or '-'}"]
        if t.mention is not None:
            shown = _fields(t.mention)
            if shown:
                lines.append(f"    fields  {shown}")
        lines.append(f"    context {in_context(text, t.start, t.end)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def format_table(traces: Sequence) -> str:
    """One aligned line per number: span, text, outcome, deciding rule, then the value or the reason."""
    rows = [("span", "text", "outcome", "rule", "value / reason")]
    for t in traces:
        detail = f"{describe(t.mention)}  [{' '.join(t.rules)}]" if t.mention is not None else t.reason
        rows.append((f"{t.start}-{t.end}", _clip(t.text, 24), t.outcome, t.rule, detail))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4] for r in rows)


def _fields(mention) -> str:
    """The mention's attributes that say something (defaults and nulls left out)."""
    parts = []
    for name in SHOWN_FIELDS:
        value = getattr(mention, name)
        if value is not None and value != FIELD_DEFAULTS.get(name):
            parts.append(f"{name}={value!r}" if name in ("subject", "time", "location", "place")
                         else f"{name}={value}")
    return "  ".join(parts)


def _clip(s: str, width: int) -> str:
    """S on one line, cut to WIDTH characters."""
    s = " ".join(s.split())
    return s if len(s) <= width else s[:width - 1] + "…"
