"""Label Studio: a JSON task list (one task per document) and the labeling config to import it with.

Each mention is a `labels` region of the `kind` control (value: start, end, text, labels=[KIND]); its other
fields are per-region results linked by the region `id`: `choices` for qualifier, modality and change,
`number` for value, value_max and denominator, `textarea` for unit, subject, time, location, period and
place. A field that is null has no result; Label Studio cannot tell an empty box from an unanswered one, so the
region's meta names the keyed fields the record carries (`annotated: period place`): those read back as null when
they have no result, the others as not annotated. The document's url and published date go to `data` (Label Studio keeps
provenance per task, so every record of one document must agree on them). The ids of the rules that made a
record go to its region's meta (`"meta": {"text": ["rules: cand.digits unit.percent.percent"]}`, shown in the
region's Meta box). See docs/interop.md.
"""
from __future__ import annotations

from typing import Any, Iterable
from xml.sax.saxutils import quoteattr

from pipeline.errors import ErrorLog
from pipeline.interop.common import (
    CHOICE_FIELDS, CHOICE_VALUES, NUMBER_FIELDS, TEXT_FIELDS, InteropError, by_document, make_record,
    report, resolve_span,
)
from pipeline.records import KEYED_FIELDS, KINDS, PROVENANCE_FIELDS, RULES_FIELD, Record

TEXT_NAME = "text"      # name of the <Text> object tag (`to_name` of every result)
KIND_NAME = "kind"      # name of the <Labels> control
RULES_META_PREFIX = "rules: "  # the region meta line holding the record's rule ids
ANNOTATED_META_PREFIX = "annotated: "  # the keyed fields (period, place) the record carries, null ones included
# Short help shown next to each per-region control in the labeling interface.
HINTS = {
    "value": "normalized value (ratio: numerator; range: low end)", "value_max": "high end of a range",
    "denominator": "ratio / rank denominator", "unit": "canonical unit (%, VND, km, năm...)",
    "subject": "what is counted, copied from the text", "time": "time phrase of the sentence",
    "location": "place the figure is about",
    "period": "ISO period: 2023, 2023-09, 2023-09-21 or START/END", "place": "province or country, canonical",
    "indicator": "canonical indicator id of rules/indicators.yaml (docs/indicators.md)",
}


def label_config() -> str:
    """The Label Studio labeling config (XML) matching the tasks that to_labelstudio writes."""
    labels = "\n".join(f'    <Label value="{kind}"/>' for kind in KINDS)
    controls = []
    for name in CHOICE_FIELDS:
        options = "".join(f'<Choice value="{v}"/>' for v in CHOICE_VALUES[name])
        required = ' required="true"' if name != "change" else ""
        controls.append(f'    <Header value="{name}" size="6"/>\n'
                        f'    <Choices name="{name}" toName="{TEXT_NAME}" perRegion="true" choice="single"'
                        f' showInline="true"{required}>{options}</Choices>')
    for name in NUMBER_FIELDS:
        required = ' required="true"' if name == "value" else ""
        controls.append(f'    <Header value={quoteattr(f"{name}: {HINTS[name]}")} size="6"/>\n'
                        f'    <Number name="{name}" toName="{TEXT_NAME}" perRegion="true" step="any"{required}/>')
    for name in TEXT_FIELDS:
        controls.append(f'    <Header value={quoteattr(f"{name}: {HINTS[name]}")} size="6"/>\n'
                        f'    <TextArea name="{name}" toName="{TEXT_NAME}" perRegion="true" editable="true"'
                        f' maxSubmissions="1" rows="1"/>')
    return (f'<View>\n  <Header value="$doc_id"/>\n'
            f'  <Labels name="{KIND_NAME}" toName="{TEXT_NAME}">\n{labels}\n  </Labels>\n'
            f'  <Text name="{TEXT_NAME}" value="$text" granularity="symbol"/>\n'
            f'  <View visibleWhen="region-selected">\n' + "\n".join(controls) + "\n  </View>\n</View>\n")


def to_labelstudio(records: Iterable[Record], texts: dict[str, str],
                   predictions: bool = False) -> list[dict[str, Any]]:
    """One Label Studio task per document; the records go to annotations[0] (or predictions[0])."""
    tasks = []
    for doc_id, doc_records in by_document(records, texts).items():
        data: dict[str, Any] = {"text": texts[doc_id], "doc_id": doc_id}
        data.update(_provenance(doc_id, doc_records))
        origin = "prediction" if predictions else "manual"
        result = [item for number, record in enumerate(doc_records, 1)
                  for item in region_results(record, f"r{number}", origin)]
        key = "predictions" if predictions else "annotations"
        tasks.append({"data": data, key: [{"result": result}]})
    return tasks


def _provenance(doc_id: str, records: list[Record]) -> dict[str, Any]:
    """The url / published of a document's records (they must agree: a task has one of each)."""
    data = {}
    for name in PROVENANCE_FIELDS:
        values = {getattr(r, name) for r in records}
        if len(values) > 1:
            raise InteropError(f"document {doc_id!r}: records disagree on {name} ({sorted(map(str, values))}); "
                               "Label Studio keeps it per task")
        if values and None not in values:
            data[name] = values.pop()
    return data


def region_results(record: Record, region_id: str, origin: str = "manual") -> list[dict[str, Any]]:
    """The results of one record: its labels region, then one result per non-null field."""
    span = {"start": record.start, "end": record.end}
    base = {"id": region_id, "to_name": TEXT_NAME, "origin": origin}
    results = [dict(base, from_name=KIND_NAME, type="labels",
                    value=dict(span, text=record.text, labels=[record.kind]))]
    meta = [RULES_META_PREFIX + " ".join(record.rules)] if record.rules else []
    keyed = [name for name in KEYED_FIELDS if record.has_field(name)]
    if keyed:  # a null field has no result: the meta says it was annotated (null), not left out
        meta.append(ANNOTATED_META_PREFIX + " ".join(keyed))
    if meta:
        results[0]["meta"] = {"text": meta}
    for name in CHOICE_FIELDS:
        if getattr(record, name) is not None:
            results.append(dict(base, from_name=name, type="choices",
                                value=dict(span, choices=[getattr(record, name)])))
    for name in NUMBER_FIELDS:
        if getattr(record, name) is not None:
            results.append(dict(base, from_name=name, type="number", value=dict(span, number=getattr(record, name))))
    for name in TEXT_FIELDS:
        if getattr(record, name) is not None:
            results.append(dict(base, from_name=name, type="textarea", value=dict(span, text=[getattr(record, name)])))
    return results


def from_labelstudio(tasks: list[dict[str, Any]] | dict[str, Any],
                     errors: ErrorLog | None = None) -> tuple[list[Record], dict[str, str]]:
    """Records and texts of Label Studio tasks (our files or Label Studio's JSON export).

    Per task the first non-cancelled annotation is read, else the first prediction (old exports call
    annotations `completions`). A task without `data.doc_id` gets its Label Studio id as doc_id.
    """
    if isinstance(tasks, dict):
        tasks = [tasks]
    records: list[Record] = []
    texts: dict[str, str] = {}
    for index, task in enumerate(tasks):
        data = task.get("data") or {}
        doc_id = data.get("doc_id", task.get("id", index))
        doc_id = str(doc_id)
        where = f"task {index} ({doc_id})"
        text = data.get(TEXT_NAME)
        if not isinstance(text, str):
            report(errors, where, "no data.text")
            continue
        if doc_id in texts:
            report(errors, where, f"duplicate doc_id {doc_id!r}")
            continue
        texts[doc_id] = text
        provenance = {name: data[name] for name in PROVENANCE_FIELDS if data.get(name) is not None}
        for fields, region_where in _regions(chosen_result(task), doc_id, text, where, errors):
            record = make_record(dict(provenance, **fields), texts, region_where, errors)
            if record is not None:
                records.append(record)
    return records, texts


def chosen_result(task: dict[str, Any]) -> list[dict[str, Any]]:
    """The result list to read from a task: first usable annotation, else first prediction, else none."""
    for key in ("annotations", "completions"):
        for annotation in task.get(key) or []:
            if not annotation.get("was_cancelled"):
                return annotation.get("result") or []
    for prediction in task.get("predictions") or []:
        return prediction.get("result") or []
    return []


def _regions(result: list[dict[str, Any]], doc_id: str, text: str, where: str,
             errors: ErrorLog | None) -> Iterable[tuple[dict[str, Any], str]]:
    """(fields, location) per labels region of a result list, attributes merged in by region id."""
    regions: dict[str, dict[str, Any]] = {}
    attributes: dict[str, dict[str, Any]] = {}
    for item in result:
        region_id = str(item.get("id"))
        value = item.get("value") or {}
        kind_of_result = item.get("type")
        if kind_of_result == "labels":
            labels = value.get("labels") or []
            here = f"{where} region {region_id}"
            try:
                start, end = resolve_span(text, value.get("start"), value.get("end"), value.get("text"), here)
            except InteropError as err:
                report(errors, here, str(err).removeprefix(f"{here}: "))
                continue
            if len(labels) != 1:
                report(errors, here, f"expected one kind label, got {labels}")
                continue
            regions[region_id] = {"doc_id": doc_id, "start": start, "end": end, "kind": labels[0],
                                  **meta_rules(item.get("meta"))}
        else:
            field, content = _attribute(item.get("from_name"), kind_of_result, value)
            if field is not None:
                attributes.setdefault(region_id, {})[field] = content
    for region_id, fields in regions.items():
        fields.update(attributes.get(region_id, {}))
        yield fields, f"{where} region {region_id}"


def meta_rules(meta: Any) -> dict[str, Any]:
    """{"rules": [...]} and the annotated keyed fields (as null, until a result fills them) from a region's meta."""
    lines = meta.get("text") if isinstance(meta, dict) else None
    lines = [lines] if isinstance(lines, str) else lines or []
    out: dict[str, Any] = {}
    for line in lines:
        if isinstance(line, str) and line.startswith(RULES_META_PREFIX):
            out[RULES_FIELD] = line[len(RULES_META_PREFIX):].split()
        elif isinstance(line, str) and line.startswith(ANNOTATED_META_PREFIX):
            out.update({name: None for name in line[len(ANNOTATED_META_PREFIX):].split() if name in KEYED_FIELDS})
    return out


def _attribute(name: str | None, kind_of_result: str | None, value: dict[str, Any]) -> tuple[str | None, Any]:
    """(field, content) of a per-region result, or (None, None) for a control chiso does not know."""
    if name in CHOICE_FIELDS and kind_of_result == "choices":
        choices = value.get("choices") or [None]
        return name, choices[0]
    if name in NUMBER_FIELDS and kind_of_result == "number":
        return name, value.get("number")
    if name in TEXT_FIELDS and kind_of_result == "textarea":
        lines = value.get("text") or []
        lines = [lines] if isinstance(lines, str) else lines
        return name, "\n".join(lines)
    return None, None
