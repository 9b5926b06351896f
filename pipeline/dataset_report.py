"""The HTML report of a dataset table: values over time per indicator, coverage, conflicts, a searchable table.

One self-contained file: Plotly's JavaScript is embedded once (include_plotlyjs=True), the table filter is a few
lines of inline script, and no URL is fetched at view time (the source URLs are links the reader may follow).
Every piece of text goes through html.escape. The style is the evaluation report's (pipeline.report.CSS).
"""
from __future__ import annotations

import datetime
import re
from html import escape
from pathlib import Path

from pipeline.report import CSS as REPORT_CSS

# How many subjects get a chart (and a heatmap column) when rows are not linked to indicators.
TOP_SUBJECTS = 12
# Rows of the searchable table (a larger dataset is cut, and the page says so).
MAX_TABLE_ROWS = 5000
MODALITY_STYLE = {"actual": dict(dash="solid", symbol="circle"), "target": dict(dash="dot", symbol="diamond-open")}

CSS = REPORT_CSS + """
table.data td, table.data th { text-align: left; white-space: normal; vertical-align: top; font-size: 13px; }
table.data td.num { text-align: right; white-space: nowrap; }
tr.conflict td { background: #fff5e6; }
input.search { width: 100%; padding: 6px 10px; font-size: 14px; margin: 0 0 10px; border: 1px solid #d0d7de;
               border-radius: 4px; }
details summary { cursor: pointer; color: #0969da; }
"""

FILTER_SCRIPT = """
function filterRows(input) {
  var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
  document.querySelectorAll('#rows tbody tr').forEach(function (tr) {
    var text = tr.textContent.toLowerCase();
    tr.style.display = words.every(function (w) { return text.indexOf(w) >= 0; }) ? '' : 'none';
  });
}
"""


def what_of(row) -> str:
    """What a row measures, for charts and headings: the indicator's label (or id), else the subject."""
    for name in ("indicator_label", "indicator", "subject"):
        value = row.get(name)
        if isinstance(value, str) and value:
            return value
    return "(no subject)"


def period_start(period) -> datetime.date | None:
    """The first day of an ISO period ("2023-09" -> 2023-09-01, "2021/2025" -> 2021-01-01), None if none."""
    if not isinstance(period, str) or not period:
        return None
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", period)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def write_dataset_report(frame, path: Path | str) -> Path:
    """Write the HTML report of a dataset table (pipeline.dataset.build_dataset) to PATH atomically."""
    from pipeline.writers import atomic_path

    path = Path(path)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(render_dataset_report(frame), encoding="utf-8")
    return path


def render_dataset_report(frame) -> str:
    """The whole HTML page of a dataset table as a string."""
    from pipeline.dataset import summary

    frame = frame.copy()
    frame["what"] = [what_of(row) for row in frame.to_dict(orient="records")]
    charts, note = _charts(frame)
    parts = [
        "<!DOCTYPE html>", '<html lang="vi">', "<head>", '<meta charset="utf-8">',
        "<title>chiso dataset report</title>", f"<style>{CSS}</style>", f"<script>{FILTER_SCRIPT}</script>",
        "</head>", "<body>",
        "<section><h1>chiso dataset report</h1>", f'<p class="sub">{escape(summary(frame))}</p></section>',
        "<section><h2>Values over time by place</h2>",
        f'<p class="sub">{escape(note)} Solid lines and dots: actual figures; dotted lines and open diamonds: '
        "targets. A period is placed at its first day; figures without a period are not charted.</p>",
        *charts, "</section>",
        "<section><h2>Coverage: rows per place and indicator</h2>", _heatmap(frame), "</section>",
        "<section><h2>Conflicts</h2>", _conflicts(frame), "</section>",
        "<section><h2>All rows</h2>", _table(frame), "</section>",
        "</body>", "</html>",
    ]
    return "\n".join(parts)


def _chart_subjects(frame) -> tuple[list[str], str]:
    """What gets a chart: every indicator when rows are linked, else the subjects with the most dated rows."""
    dated = frame[frame["period"].notna()]
    linked = dated[dated["indicator"].notna()]
    if len(linked):
        return sorted(linked["what"].unique()), "One chart per indicator."
    top = dated["what"].value_counts().head(TOP_SUBJECTS).index.tolist()
    return top, (f"No row is linked to an indicator: the {len(top)} subjects with the most dated rows are "
                 "charted.")


def _charts(frame) -> tuple[list[str], str]:
    """One Plotly chart (an HTML fragment) per indicator; the first embeds plotly.js."""
    import plotly.graph_objects as go

    whats, note = _chart_subjects(frame)
    html = []
    for what in whats:
        rows = frame[(frame["what"] == what) & frame["period"].notna()].copy()
        rows["x"] = rows["period"].map(period_start)
        rows = rows[rows["x"].notna()].sort_values("x")
        fig = go.Figure()
        for (place, modality, unit), group in rows.groupby(
                [rows["place"].fillna("(no place)"), "modality", rows["unit"].fillna("")], sort=True):
            style = MODALITY_STYLE.get(modality, MODALITY_STYLE["actual"])
            fig.add_trace(go.Scatter(
                x=group["x"], y=group["value"], mode="lines+markers",
                name=f"{place} · {modality}" + (f" ({unit})" if unit else ""),
                line=dict(dash=style["dash"]), marker=dict(symbol=style["symbol"], size=9),
                customdata=list(zip(group["period"], group["n_sources"], group["evidence"].fillna("").str[:160])),
                hovertemplate="%{customdata[0]}: %{y}<br>%{customdata[1]} source(s)<br>%{customdata[2]}"
                              "<extra>%{fullData.name}</extra>"))
        fig.update_layout(title=what, height=360, margin=dict(l=50, r=20, t=50, b=40),
                          legend=dict(orientation="h", y=-0.2), template="plotly_white")
        html.append(fig.to_html(full_html=False, include_plotlyjs=not html, config={"displaylogo": False}))
    if not html:
        html.append('<p class="none">No row has a period: nothing to chart.</p>')
    return html, note


def _heatmap(frame) -> str:
    """Place x indicator (or top subjects) heatmap of the number of rows."""
    import plotly.graph_objects as go

    rows = frame.copy()
    rows["place"] = rows["place"].fillna("(no place)")
    whats = rows["what"].value_counts().head(40).index if rows["indicator"].isna().all() else rows["what"].unique()
    rows = rows[rows["what"].isin(whats)]
    if rows.empty:
        return '<p class="none">No rows.</p>'
    counts = rows.pivot_table(index="place", columns="what", values="n_sources", aggfunc="size", fill_value=0)
    fig = go.Figure(go.Heatmap(z=counts.values, x=list(counts.columns), y=list(counts.index), colorscale="Blues",
                               hovertemplate="%{y} · %{x}: %{z} row(s)<extra></extra>"))
    fig.update_layout(height=max(260, 28 * len(counts.index) + 160), margin=dict(l=120, r=20, t=20, b=140),
                      template="plotly_white")
    return fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False})


def _num(value) -> str:
    if value is None or value != value:
        return ""
    return f"{value:g}" if abs(value) < 1e15 else repr(value)


def _figure(row) -> str:
    """The figure as a reader writes it: value(-value_max)(/denominator) unit."""
    text = _num(row["value"])
    if _num(row["value_max"]):
        text += "–" + _num(row["value_max"])
    if _num(row["denominator"]):
        text += "/" + _num(row["denominator"])
    if isinstance(row["unit"], str):
        text += " " + row["unit"]
    return text


def _sources(row) -> str:
    """The row's documents, each linked to its URL when there is one (as many URLs as documents or fewer)."""
    urls = list(row["urls"]) if row["urls"] is not None else []
    links = [f'<a href="{escape(url)}" rel="noreferrer">{escape(url)}</a>' for url in urls]
    docs = ", ".join(escape(str(d)) for d in (row["sources"] if row["sources"] is not None else []))
    return docs + ("<br>" + "<br>".join(links) if links else "")


def _row_html(row, index: int) -> str:
    cls = ' class="conflict"' if row["conflict"] else ""
    cells = [escape(row["what"]), escape(str(row["place"] or "")), escape(str(row["period"] or "")),
             escape(str(row["modality"])), f'<span class="num">{escape(_figure(row))}</span>',
             str(row["n_sources"]), "yes" if row["conflict"] else "",
             f"<details><summary>evidence</summary>{escape(row['evidence'] or '')}</details>", _sources(row)]
    return f'<tr id="row-{index}"{cls}>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


HEADER = ("what", "place", "period", "modality", "figure", "sources", "conflict", "evidence", "documents")


def _table(frame) -> str:
    """The searchable table of every row (up to MAX_TABLE_ROWS)."""
    rows = frame.head(MAX_TABLE_ROWS).to_dict(orient="records")
    cut = (f'<p class="sub">The first {MAX_TABLE_ROWS} of {len(frame)} rows; the table file holds them all.</p>'
           if len(frame) > MAX_TABLE_ROWS else "")
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    body = "\n".join(_row_html(row, i) for i, row in enumerate(rows))
    return (f'{cut}<input class="search" type="search" placeholder="filter rows: words of any column" '
            f'oninput="filterRows(this)"><table class="data" id="rows"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _conflicts(frame) -> str:
    """The rows in conflict, grouped by what, place, period and modality."""
    rows = frame[frame["conflict"]]
    if rows.empty:
        return '<p class="none">No conflict: no two documents give different values for the same key.</p>'
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    body = "\n".join(_row_html(row, i) for i, row in rows.iterrows())
    return (f'<p class="sub">{len(rows)} rows: the same indicator (or subject), place, period, modality and unit '
            f'with different values.</p><table class="data"><thead><tr>{head}</tr></thead><tbody>{body}'
            "</tbody></table>")
