"""A self-contained HTML evaluation report: score tables, F1 chart, documents with gold and predictions side by side.

One file, inline CSS and SVG, no script and no external URL, so it can be mailed or archived as is.
Every piece of text goes through html.escape.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Sequence

from pipeline.error_rules import assign_rules, counts_by_rule
from pipeline.records import SCHEMA_FIELDS, Record
from pipeline.scoring import HEADLINE, KEYED_ACCURACY_FIELDS, DocComparison, Scores, compare, describe, values_equal

# The scorer's error type of each mark status.
ERROR_TYPE_OF = {"missed": "missed", "spurious": "spurious", "wrong": "wrong_value"}

# Mark classes: which colour a span gets in its column (legend order).
STATUS_LABELS = {
    "ok": "matched, value correct",
    "wrong": "matched, wrong value",
    "missed": "missed (gold only)",
    "spurious": "spurious (prediction only)",
}
CHART_COLOURS = {"mention": "#4c78a8", "value": "#54a24b"}

CSS = """
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1f2328;
       margin: 0; padding: 24px 32px; background: #f6f8fa; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 0 0 6px; color: #57606a; text-transform: uppercase; letter-spacing: .04em; }
section, .doc { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 16px 20px; margin: 0 0 18px; }
.sub { color: #57606a; margin: 0 0 16px; }
.grid { display: flex; flex-wrap: wrap; gap: 28px; align-items: flex-start; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; text-align: right; border-bottom: 1px solid #eaeef2; white-space: nowrap; }
th { background: #f6f8fa; font-weight: 600; }
th:first-child, td:first-child { text-align: left; }
td.headline, tr.headline td { font-weight: 700; }
.legend { display: flex; flex-wrap: wrap; gap: 18px; margin: 0 0 18px; padding: 10px 20px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.swatch { width: 16px; height: 16px; border-radius: 3px; display: inline-block; border: 1px solid #0002; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
.text { white-space: pre-wrap; word-wrap: break-word; font-size: 13.5px; line-height: 1.65; border: 1px solid #eaeef2; border-radius: 4px; padding: 10px 12px; background: #fcfcfd; }
mark { border-radius: 3px; padding: 0 1px; color: inherit; cursor: help; }
mark.ok { background: #c8f0cf; box-shadow: inset 0 -2px #2da44e; }
mark.wrong { background: #ffdf9e; box-shadow: inset 0 -2px #d4a72c; }
mark.missed { background: #ffc9c9; box-shadow: inset 0 -2px #cf222e; }
mark.spurious { background: #e3d3ff; box-shadow: inset 0 -2px #8250df; }
mark.kind-differs { outline: 1.5px dashed #57606a; outline-offset: 1px; }
.swatch.kind-differs { background: #fff; border: 1.5px dashed #57606a; }
.swatch.ok { background: #c8f0cf; } .swatch.wrong { background: #ffdf9e; }
.swatch.missed { background: #ffc9c9; } .swatch.spurious { background: #e3d3ff; }
.badges { font-weight: 400; font-size: 13px; color: #57606a; margin-left: 10px; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; margin-right: 4px; font-size: 12px;
         font-weight: 600; color: #1f2328; }
.badge.missed { background: #ffc9c9; } .badge.spurious { background: #e3d3ff; } .badge.wrong { background: #ffdf9e; }
table.errors { margin-top: 14px; }
table.errors th { text-align: left; }
table.errors td { white-space: normal; text-align: left; vertical-align: top; }
table.errors td.kind { white-space: nowrap; }
nav ul { columns: 3 260px; margin: 0; padding-left: 18px; }
.none { color: #57606a; font-style: italic; }
"""


@dataclass
class MarkedSpan:
    """A highlighted range of one column."""

    start: int
    end: int
    status: str
    title: str
    kind_differs: bool = False  # matched with a record of another kind


def write_report(path: Path | str, scores: Scores, texts: dict[str, str], gold: list[Record],
                 predicted: list[Record]) -> Path:
    """Write the HTML report of `scores` (documents from `texts`, marks from gold/predicted) to `path`."""
    path = Path(path)
    doc_ids = scores.doc_ids or sorted({r.doc_id for r in gold})
    docs = compare(gold, predicted, doc_ids)
    if any(e.rule is None for e in scores.errors):
        assign_rules(scores.errors, texts)  # under the rules overlay in force
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(scores, texts, docs), encoding="utf-8")
    return path


def render_report(scores: Scores, texts: dict[str, str], docs: Sequence[DocComparison]) -> str:
    """The whole HTML page as a string (errors grouped by rule when their rules are assigned)."""
    c = scores.counts
    summary = (f"{c['docs']} documents · {c['gold']} gold mentions · {c['predicted']} predicted · "
               f"{c['matched']} matched ({c['matched_exact']} exact) · {c['value_correct']} value-correct · "
               f"{c['missed']} missed · {c['spurious']} spurious · {c['wrong_value']} wrong value")
    anchors = _anchors([d.doc_id for d in docs])
    rule_of = {(e.type, e.doc_id, e.start, e.end): e.rule for e in scores.errors if e.rule is not None}
    parts = [
        "<!DOCTYPE html>", '<html lang="vi">', "<head>", '<meta charset="utf-8">',
        "<title>chiso evaluation report</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        "<section>", "<h1>chiso evaluation report</h1>", f'<p class="sub">{escape(summary)}</p>',
        '<div class="grid">', _headline_table(scores), _attribute_table(scores), "</div>", "</section>",
        '<section><h2>Per kind</h2><div class="grid">', _kind_table(scores), _f1_chart(scores), "</div>",
        '<p class="sub">Precision counts predictions by their predicted kind, recall counts gold records by '
        "their gold kind; a matched pair whose kinds differ is a hit for both sides.</p></section>",
        _rule_table(scores),
        _legend(),
        _doc_index(docs, anchors),
        *(_document(d, texts.get(d.doc_id), anchors[d.doc_id], rule_of) for d in docs),
        "</body>", "</html>",
    ]
    return "\n".join(parts)


def _f(x: float | None) -> str:
    """Three decimals, an en dash for none."""
    return "–" if x is None else f"{x:.3f}"


def _headline_table(scores: Scores) -> str:
    """P/R/F1 and the bootstrap interval of the F1 for mention, exact mention and value."""
    rows = []
    for name in HEADLINE:
        p, r, f1 = getattr(scores, name)
        ci = scores.ci.get(f"{name}_f1")
        ci_text = f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else "–"
        label = {"mention": "mention (overlap)", "mention_exact": "mention (exact span)",
                 "value": "value-correct (headline)"}[name]
        css = ' class="headline"' if name == "value" else ""
        rows.append(f"<tr{css}><td>{escape(label)}</td><td>{_f(p)}</td><td>{_f(r)}</td><td>{_f(f1)}</td>"
                    f"<td>{escape(ci_text)}</td></tr>")
    return ("<table><tr><th>metric</th><th>P</th><th>R</th><th>F1</th><th>95% CI of F1</th></tr>"
            + "".join(rows) + "</table>")


def _attribute_table(scores: Scores) -> str:
    """Attribute accuracy / token F1 on matched pairs."""
    rows = "".join(
        f"<tr><td>{escape(name.replace('_f1', '') + (' (token F1)' if name.endswith('_f1') else ''))}</td>"
        f"<td>{_f(acc)}</td></tr>" for name, acc in scores.attr_acc.items() if name not in KEYED_ACCURACY_FIELDS)
    for name in KEYED_ACCURACY_FIELDS:  # scored only on pairs whose gold carries the key (none before v1.2)
        keyed = scores.counts.get(f"{name}_pairs", 0)
        label = f"{name} (on {keyed} pairs with gold {name})" if keyed else f"{name} (no gold {name})"
        rows += f"<tr><td>{escape(label)}</td><td>{_f(scores.attr_acc.get(name)) if keyed else 'n/a'}</td></tr>"
    return (f"<table><tr><th>on {scores.counts['matched']} matched pairs</th><th>accuracy</th></tr>{rows}</table>")


def _kind_table(scores: Scores) -> str:
    """Per-kind counts and P/R/F1."""
    head = ("<tr><th>kind</th><th>gold</th><th>pred</th><th>mention P</th><th>R</th><th>F1</th>"
            "<th>value P</th><th>R</th><th>F1</th></tr>")
    rows = []
    for kind, k in scores.per_kind.items():
        cells = "".join(f"<td>{_f(x)}</td>" for x in (*_defined(k, "mention"), *_defined(k, "value")))
        rows.append(f"<tr><td>{escape(kind)}</td><td>{k['n_gold']}</td><td>{k['n_pred']}</td>{cells}</tr>")
    return "<table>" + head + "".join(rows) + "</table>"


def _defined(k: dict, metric: str) -> tuple[float | None, float | None, float]:
    """P/R/F1 of one kind with P shown as none when nothing was predicted, R when nothing was to find."""
    p, r, f1 = k[metric]
    return (p if k["n_pred"] else None, r if k["n_gold"] else None, f1)


def _f1_chart(scores: Scores) -> str:
    """Inline SVG bar chart: mention F1 and value F1, overall and per kind."""
    groups = [("all", scores.mention.f1, scores.value.f1)]
    groups += [(kind, k["mention"][2], k["value"][2]) for kind, k in scores.per_kind.items()]
    bar, gap, left, top, height = 22, 26, 44, 28, 180
    width = left + len(groups) * (2 * bar + gap) + 10
    total = top + height + 40
    out = [f'<svg role="img" aria-label="F1 per kind" width="{width}" height="{total}" '
           f'viewBox="0 0 {width} {total}" font-family="sans-serif" font-size="11">']
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + height * (1 - tick)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 6}" y2="{y:.1f}" stroke="#d0d7de"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#57606a">{tick:.2f}</text>')
    for i, (label, mention_f1, value_f1) in enumerate(groups):
        x0 = left + gap / 2 + i * (2 * bar + gap)
        for j, (metric, v) in enumerate((("mention", mention_f1), ("value", value_f1))):
            h = height * v
            x = x0 + j * bar
            out.append(f'<rect x="{x:.1f}" y="{top + height - h:.1f}" width="{bar - 2}" height="{h:.1f}" '
                       f'fill="{CHART_COLOURS[metric]}"><title>{escape(label)} {metric} F1 {v:.3f}</title></rect>')
            out.append(f'<text x="{x + (bar - 2) / 2:.1f}" y="{top + height - h - 3:.1f}" text-anchor="middle" '
                       f'font-size="9" fill="#1f2328">{v:.2f}</text>')
        out.append(f'<text x="{x0 + bar:.1f}" y="{top + height + 16}" text-anchor="middle">{escape(label)}</text>')
    lx = left
    for metric, colour in CHART_COLOURS.items():
        out.append(f'<rect x="{lx}" y="6" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{lx + 16}" y="16">{metric} F1</text>')
        lx += 90
    out.append("</svg>")
    return "".join(out)


def _rule_table(scores: Scores) -> str:
    """Errors per rule (a prediction's candidate rule, the exclusion rule of a missed number), most first."""
    if not scores.errors or any(e.rule is None for e in scores.errors):
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(rule)}</code></td><td>{c['missed']}</td><td>{c['spurious']}</td>"
        f"<td>{c['wrong_value']}</td><td>{c['total']}</td></tr>" for rule, c in counts_by_rule(scores.errors).items())
    return ('<section><h2>Errors by rule</h2><table class="rules"><tr><th>rule</th><th>missed</th><th>spurious</th>'
            f"<th>wrong value</th><th>total</th></tr>{rows}</table>"
            '<p class="sub">A spurious or wrong-value prediction counts under its candidate rule, a missed gold '
            "number under the exclusion rule that dropped it (<code>chiso explain</code> shows every rule of a "
            "text).</p></section>")


def _legend() -> str:
    """Colour legend of the marks."""
    items = "".join(f'<span><i class="swatch {s}"></i>{escape(label)}</span>' for s, label in STATUS_LABELS.items())
    return (f'<section class="legend"><b>Legend</b>{items}'
            '<span><i class="swatch kind-differs"></i>matched, kind differs</span>'
            "<span>hover a mark for the record's fields</span></section>")


def _doc_index(docs: Sequence[DocComparison], anchors: dict[str, str]) -> str:
    """Links to every document with its error count."""
    items = []
    for d in docs:
        n_err = _error_count(d)
        items.append(f'<li><a href="#{anchors[d.doc_id]}">{escape(d.doc_id)}</a> '
                     f'<span class="badges">{len(d.gold)} gold, {len(d.pred)} pred, {n_err} errors</span></li>')
    return f"<section><nav><h2>Documents</h2><ul>{''.join(items)}</ul></nav></section>"


def _error_count(d: DocComparison) -> int:
    """Missed + spurious + wrong-value of one document."""
    wrong = len(d.pairs) - len(d.value_correct())
    return (len(d.gold) - len(d.pairs)) + (len(d.pred) - len(d.pairs)) + wrong


def _anchors(doc_ids: Sequence[str]) -> dict[str, str]:
    """A safe, unique HTML id per document: "doc-" + the id with other characters as "_", numbered on a clash."""
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for doc_id in doc_ids:
        base = anchor = "doc-" + re.sub(r"[^A-Za-z0-9_-]", "_", doc_id)
        number = 1
        while anchor in used:
            number += 1
            anchor = f"{base}-{number}"
        used.add(anchor)
        anchors[doc_id] = anchor
    return anchors


def _document(d: DocComparison, text: str | None, anchor: str, rule_of: dict | None = None) -> str:
    """One document: gold and predicted columns, then its error list (with the rule of each error)."""
    gold_spans, pred_spans, errors = _spans(d)
    counts = {s: 0 for s in ("missed", "spurious", "wrong")}
    for status, *_ in errors:
        counts[status] += 1
    badges = "".join(f'<span class="badge {s}">{n} {escape(s)}</span>' for s, n in counts.items() if n)
    header = (f'<h2 id="{anchor}">{escape(d.doc_id)}<span class="badges">{len(d.gold)} gold · '
              f"{len(d.pred)} predicted</span> {badges or '<span class=badges>no error</span>'}</h2>")
    if text is None:
        body = '<p class="none">document text not available</p>'
    else:
        body = ('<div class="cols">'
                f'<div><h3>Gold</h3><div class="text">{highlight(text, gold_spans)}</div></div>'
                f'<div><h3>Predicted</h3><div class="text">{highlight(text, pred_spans)}</div></div></div>')
    return f'<div class="doc">{header}{body}{_error_table(errors, d.doc_id, rule_of or {})}</div>'


def _spans(d: DocComparison) -> tuple[list[MarkedSpan], list[MarkedSpan], list[tuple[str, Record | None, Record | None]]]:
    """Marks of the gold column, marks of the predicted column, and the (status, gold, pred) errors."""
    pred_of = {g: p for g, p in d.pairs}
    gold_of = {p: g for g, p in d.pairs}
    gold_spans, pred_spans, errors = [], [], []
    for gi, g in enumerate(d.gold):
        p = d.pred[pred_of[gi]] if gi in pred_of else None
        status = "missed" if p is None else ("ok" if values_equal(g, p) else "wrong")
        gold_spans.append(MarkedSpan(g.start, g.end, status, _title(g, status, p), p is not None and p.kind != g.kind))
        if status != "ok":
            errors.append((status, g, p))
    for pi, p in enumerate(d.pred):
        g = d.gold[gold_of[pi]] if pi in gold_of else None
        status = "spurious" if g is None else ("ok" if values_equal(g, p) else "wrong")
        pred_spans.append(MarkedSpan(p.start, p.end, status, _title(p, status, g), g is not None and g.kind != p.kind))
        if status == "spurious":
            errors.append((status, None, p))
    errors.sort(key=lambda e: (e[1] or e[2]).start)
    return gold_spans, pred_spans, errors


def _title(record: Record, status: str, other: Record | None) -> str:
    """Hover text: status, the record's fields, and what it was matched with."""
    lines = [STATUS_LABELS[status]]
    lines += [f"{name}: {getattr(record, name)}" for name in SCHEMA_FIELDS[3:] if getattr(record, name) is not None]
    lines.append(f"span: {record.start}-{record.end}")
    if other is not None:
        lines.append(f"matched with {other.text!r} ({describe(other)})")
    return "\n".join(lines)


def highlight(text: str, spans: Sequence[MarkedSpan]) -> str:
    """Escaped text with <mark> around every span; overlapping spans are cut into runs of the same cover."""
    if not spans:
        return escape(text)
    cuts = sorted({0, len(text), *(min(max(s.start, 0), len(text)) for s in spans),
                   *(min(max(s.end, 0), len(text)) for s in spans)})
    out: list[str] = []
    run_start, run_cover = 0, ()
    for a, b in zip(cuts, cuts[1:]):
        cover = tuple(i for i, s in enumerate(spans) if s.start <= a and s.end >= b)
        if cover != run_cover:
            out.append(_run(text, run_start, a, [spans[i] for i in run_cover]))
            run_start, run_cover = a, cover
    out.append(_run(text, run_start, len(text), [spans[i] for i in run_cover]))
    return "".join(out)


def _run(text: str, start: int, end: int, cover: Sequence[MarkedSpan]) -> str:
    """One run of text, marked with the first covering span's status (all titles joined)."""
    chunk = escape(text[start:end])
    if not cover or not chunk:
        return chunk
    title = "\n———\n".join(s.title for s in cover)
    css = cover[0].status + (" kind-differs" if any(s.kind_differs for s in cover) else "")
    return f'<mark class="{css}" title="{escape(title, quote=True)}">{chunk}</mark>'


def _error_table(errors: Sequence[tuple[str, Record | None, Record | None]], doc_id: str = "",
                 rule_of: dict | None = None) -> str:
    """The errors of one document as a table (status, text, gold value, predicted value, rule)."""
    if not errors:
        return ""
    rule_of = rule_of or {}
    rows = []
    for status, g, p in errors:
        shown = g or p
        rule = rule_of.get((ERROR_TYPE_OF[status], doc_id, shown.start, shown.end))
        rules = f" <small>({escape(' '.join(p.rules))})</small>" if p is not None and p.rules else ""
        rows.append(f'<tr><td class="kind"><span class="badge {status}">{escape(status)}</span></td>'
                    f"<td>{shown.start}-{shown.end}</td><td>{escape(shown.text)}</td>"
                    f"<td>{escape(describe(g))}</td><td>{escape(describe(p))}"
                    f"{escape(f' ({p.text!r})') if g and p and p.text != g.text else ''}</td>"
                    f"<td><code>{escape(rule or '–')}</code>{rules}</td></tr>")
    head = "<tr><th>error</th><th>span</th><th>text</th><th>gold</th><th>predicted</th><th>rule</th></tr>"
    return '<table class="errors">' + head + "".join(rows) + "</table>"
