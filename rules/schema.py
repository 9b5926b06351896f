"""Check a rules file against rules/schema.yaml: known keys, types, non-empty word lists, compiling regexes, unique ids.

Error codes (docs/rules.md): R001 unknown key, R002 wrong type, R003 empty word list or word, R004 regex does not
compile, R005 duplicate rule id, R006 an example contradicts its rule, R007 missing key, R008 unreadable file,
R009 not a rules directory.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import yaml

_SCHEMA_PATH = Path(__file__).resolve().parent / "schema.yaml"
# Keys a rule entry of a `rules` list may carry, and which of them are required.
RULE_KEYS = {"id", "check", "reason", "examples", "params"}
RULE_REQUIRED = ("id", "check", "reason")
EXAMPLE_KEYS = {"hit", "miss"}


@lru_cache(maxsize=1)
def schema() -> dict:
    """The schema of every rules file: file -> key -> type name."""
    with _SCHEMA_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def check_file(stem: str, data: Any, path: Path, error: type, partial: bool = False) -> None:
    """Raise error(path, code, message, rule_id) at the first problem of DATA, rules/STEM's content.

    partial: DATA is an overlay that extends the built-in file, so keys may be missing.
    """
    spec = schema().get(stem)
    if spec is None:
        raise error(path, "R001", f"unknown rules file '{stem}'")
    if not isinstance(data, dict):
        raise error(path, "R002", "a rules file must be a mapping of keys")
    for key in data:
        if key not in spec:
            raise error(path, "R001", f"unknown key '{key}'")
    if not partial:
        for key in spec:
            if key not in data:
                raise error(path, "R007", f"missing key '{key}'")
    for key, value in data.items():
        _check(spec[key], value, key, path, error)


def _check(kind: str, value: Any, key: str, path: Path, error: type) -> None:
    """Check one value against its type name."""
    def fail(code: str, msg: str, rule_id: str | None = None):
        raise error(path, code, f"'{key}' {msg}", rule_id)

    if kind == "any":
        return
    if kind in ("words", "regexes"):
        if not isinstance(value, list) or not all(isinstance(w, (str, int, float)) for w in value):
            fail("R002", "must be a list of words")
        if not value:
            fail("R003", "is an empty list (it would match nothing, or everywhere)")
        if any(not str(w).strip() for w in value):
            fail("R003", "holds an empty word (it would match everywhere)")
        if kind == "regexes":
            for p in value:
                _compile(str(p), key, path, error)
    elif kind == "word_groups":
        if not isinstance(value, dict) or not value:
            fail("R002", "must be a non-empty mapping of group -> list of words")
        for group, words in value.items():
            _check("words", words, f"{key}.{group}", path, error)
    elif kind == "regex":
        if not isinstance(value, str) or not value:
            fail("R002", "must be a regular expression (a non-empty string)")
        _compile(value, key, path, error)
    elif kind == "regex_map":
        if not isinstance(value, dict) or not value:
            fail("R002", "must be a non-empty mapping of rule id -> regular expression")
        for rid, pattern in value.items():
            _check_id(rid, path, error)
            if not isinstance(pattern, str) or not pattern:
                fail("R002", "must map each rule id to a regular expression", str(rid))
            _compile(pattern, key, path, error, str(rid))
    elif kind == "string":
        if not isinstance(value, str) or not value.strip():
            fail("R002", "must be a non-empty string")
    elif kind in ("int", "number"):
        ok = isinstance(value, int) if kind == "int" else isinstance(value, (int, float))
        if not ok or isinstance(value, bool):
            fail("R002", f"must be a{'n integer' if kind == 'int' else ' number'}")
    elif kind == "numbers":
        if not isinstance(value, list) or not value or not all(isinstance(v, (int, float)) for v in value):
            fail("R002", "must be a non-empty list of numbers")
    elif kind in ("number_map", "string_map"):
        ok = _is_number if kind == "number_map" else (lambda v: isinstance(v, str))
        if not isinstance(value, dict) or not value or not all(ok(v) for v in value.values()):
            fail("R002", f"must be a non-empty mapping of word -> {'number' if kind == 'number_map' else 'word'}")
        if any(not str(k).strip() for k in value):
            fail("R003", "holds an empty word")
    elif kind == "mapping":
        if not isinstance(value, dict):
            fail("R002", "must be a mapping")
    elif kind == "units":
        _check_units(value, key, path, error)
    elif kind == "rules":
        _check_rules(value, key, path, error)
    else:
        raise error(_SCHEMA_PATH, "R002", f"schema type '{kind}' of '{key}' is unknown")


def _is_number(v: Any) -> bool:
    """A number, or a string YAML left unparsed that reads as one ("1.0e12": PyYAML wants "1.0e+12")."""
    if isinstance(v, bool):
        return False
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def _compile(pattern: str, key: str, path: Path, error: type, rule_id: str | None = None) -> None:
    try:
        regex.compile(pattern)
    except regex.error as exc:
        raise error(path, "R004", f"'{key}' regex does not compile ({exc})", rule_id) from None


def _check_units(value: Any, key: str, path: Path, error: type) -> None:
    """units: a list of {id, unit, kind, forms, reason?, examples?} with unique ids."""
    if not isinstance(value, list) or not value:
        raise error(path, "R002", f"'{key}' must be a non-empty list of units")
    seen: set[str] = set()
    for i, entry in enumerate(value):
        rid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(entry, dict):
            raise error(path, "R002", f"'{key}[{i}]' must be a mapping")
        extra = set(entry) - {"id", "unit", "kind", "forms", "reason", "examples"}
        if extra:
            raise error(path, "R001", f"unknown key '{sorted(extra)[0]}' in '{key}[{i}]'", rid)
        for req in ("id", "unit", "kind", "forms"):
            if req not in entry:
                raise error(path, "R007", f"missing key '{req}' in '{key}[{i}]'", rid)
        _check_id(rid, path, error)
        if entry["kind"] not in ("percent", "money", "measure", "number"):
            raise error(path, "R002", f"kind '{entry['kind']}' is not percent, money, measure or number", rid)
        _check("words", entry["forms"], f"{rid}.forms", path, error)
        _check_examples(entry.get("examples"), rid, path, error)
        if rid in seen:
            raise error(path, "R005", "duplicate rule id", rid)
        seen.add(rid)


def _check_rules(value: Any, key: str, path: Path, error: type) -> None:
    """rules: an ordered list of {id, check, reason, params?, examples?} with unique ids."""
    if not isinstance(value, list) or not value:
        raise error(path, "R002", f"'{key}' must be a non-empty list of rules")
    seen: set[str] = set()
    for i, rule in enumerate(value):
        if not isinstance(rule, dict):
            raise error(path, "R002", f"'{key}[{i}]' must be a mapping")
        rid = rule.get("id")
        extra = set(rule) - RULE_KEYS
        if extra:
            raise error(path, "R001", f"unknown key '{sorted(extra)[0]}' in '{key}[{i}]'", rid)
        for req in RULE_REQUIRED:
            if not isinstance(rule.get(req), str) or not rule.get(req).strip():
                raise error(path, "R007", f"missing key '{req}' in '{key}[{i}]'", rid)
        _check_id(rid, path, error)
        if rule.get("params") is not None and not isinstance(rule["params"], dict):
            raise error(path, "R002", "'params' must be a mapping", rid)
        if isinstance((rule.get("params") or {}).get("regex"), str):
            _compile(rule["params"]["regex"], f"{key}[{i}].params.regex", path, error, rid)
        _check_examples(rule.get("examples"), rid, path, error)
        if rid in seen:
            raise error(path, "R005", "duplicate rule id", rid)
        seen.add(rid)


def _check_id(rid: Any, path: Path, error: type) -> None:
    """A rule id is one token of letters, digits, '.', '_' and '-' (records list ids space-separated in CSV)."""
    if not isinstance(rid, str) or not regex.fullmatch(r"[\p{L}\d._-]+", rid):
        raise error(path, "R002", f"rule id {rid!r} must be one word of letters, digits, '.', '_' or '-'", str(rid))


def _check_examples(examples: Any, rid: str | None, path: Path, error: type) -> None:
    """examples: {hit: [...], miss: [...]}, texts with the number in [brackets]."""
    if examples is None:
        return
    if not isinstance(examples, dict) or set(examples) - EXAMPLE_KEYS:
        raise error(path, "R002", "'examples' must be a mapping with 'hit' and/or 'miss' lists", rid)
    for k, texts in examples.items():
        if not isinstance(texts, list) or not all(isinstance(t, str) and t.count("[") == 1 and t.count("]") == 1
                                                  for t in texts):
            raise error(path, "R002", f"'examples.{k}' must be texts with the number marked once in [brackets]", rid)
