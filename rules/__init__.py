"""Declarative rules (lexicons, patterns, site cleaning rules) as YAML data files.

A researcher extends extraction or cleaning by editing these files, or by putting files of the same name in a
directory of their own (`use_rules(DIR)`, `chiso extract --rules DIR`); code only reads them. Every file is checked
against `schema.yaml` when it loads, and a problem stops the run with a coded RuleError naming file, rule and fault.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from rules.schema import check_file

RULES_DIR = Path(__file__).resolve().parent
RULE_FILES = ("numbers", "units", "cues", "exclusions", "places", "place_aliases", "periods", "indicators",
              "furniture", "html_sites", "crawl_sites")

# The researcher's rule directories laid over the built-in ones, innermost last (see use_rules).
_OVERLAY: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar("chiso_rules_overlay", default=())


class RuleError(ValueError):
    """A rules file that cannot be used: file, error code, rule id (if any) and the problem."""

    def __init__(self, path: str | Path, code: str, message: str, rule_id: str | None = None):
        self.path, self.code, self.rule_id, self.problem = str(path), code, rule_id, message
        where = f" {rule_id}:" if rule_id else ""
        super().__init__(f"{self.path}: {code}{where} {message}")

    def __reduce__(self):
        """Pickle with the four fields (a worker process may raise it to its parent)."""
        return (type(self), (self.path, self.code, self.problem, self.rule_id))


def active_overlay() -> tuple[Path, ...]:
    """The researcher's rule directories in force (empty: built-in rules only)."""
    return _OVERLAY.get()


@contextlib.contextmanager
def use_rules(dirs: str | Path | list | tuple | None) -> Iterator[tuple[Path, ...]]:
    """Lay DIRS (one directory or several, later ones win) over the built-in rules inside the with-block."""
    overlay = normalize_overlay(dirs)
    for d in overlay:
        _check_dir(d)
    token = _OVERLAY.set(overlay)
    try:
        yield overlay
    finally:
        _OVERLAY.reset(token)


def normalize_overlay(dirs: str | Path | list | tuple | None) -> tuple[Path, ...]:
    """DIRS as a tuple of resolved paths (None or empty: no overlay)."""
    if dirs is None or dirs == "" or dirs == ():
        return ()
    if isinstance(dirs, (str, Path)):
        dirs = [dirs]
    return tuple(Path(d).expanduser().resolve() for d in dirs)


def _check_dir(d: Path) -> None:
    """A rules directory must exist and hold only known rule files (a typo in a file name is a silent no-op)."""
    if not d.is_dir():
        raise RuleError(d, "R009", "not a directory of rules files")
    for f in sorted(d.iterdir()):
        if f.suffix in (".yaml", ".yml") and f.stem not in RULE_FILES and f.stem != "schema":
            raise RuleError(f, "R001", f"unknown rules file '{f.name}' (known: {', '.join(RULE_FILES)})")


def load_rules(name: str) -> Any:
    """rules/NAME (with or without .yaml) merged with the active overlay's file of that name, validated, cached."""
    stem = Path(name).stem if Path(name).suffix in (".yaml", ".yml") else name
    return _load(stem, active_overlay())


@lru_cache(maxsize=None)
def _load(stem: str, overlay: tuple[Path, ...]) -> Any:
    path = RULES_DIR / f"{stem}.yaml"
    data = _read(path)
    check_file(stem, data, path, RuleError)
    for d in overlay:
        extra_path = next((p for p in (d / f"{stem}.yaml", d / f"{stem}.yml") if p.is_file()), None)
        if extra_path is None:
            continue
        extra = _read(extra_path)
        if not isinstance(extra, dict):
            raise RuleError(extra_path, "R002", "a rules file must be a mapping of keys")
        replace = bool(extra.pop("replace", False))
        check_file(stem, extra, extra_path, RuleError, partial=not replace)
        data = extra if replace else merge(data, extra)
        check_file(stem, data, extra_path, RuleError)
    return data


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, "R008", f"cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        raise RuleError(path, "R008", f"is not valid YAML ({' '.join(str(exc).split())})") from None


def merge(base: Any, extra: Any) -> Any:
    """EXTRA laid over BASE: mappings merge key by key, lists extend (rules with the same id replace), scalars replace."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = merge(base[k], v) if k in base else v
        return out
    if isinstance(base, list) and isinstance(extra, list):
        if all(isinstance(x, dict) and "id" in x for x in base + extra):
            by_id = {x["id"]: x for x in extra}
            out = [by_id.pop(x["id"], x) for x in base]   # a replaced rule keeps its place in the order
            return out + [x for x in extra if x["id"] in by_id]
        return list(base) + [x for x in extra if x not in base]
    return extra


def per_rules(fn=None, *, maxsize: int | None = None):
    """Cache FN's results per rules overlay, so data derived from the rules follows the rules in force."""
    def deco(f):
        caches: dict[tuple, Any] = {}    # overlay -> a C lru_cache of f: one dict lookup on the hot path

        @functools.wraps(f)
        def wrapper(*args):
            cached = caches.get(_OVERLAY.get())
            if cached is None:
                cached = caches[_OVERLAY.get()] = lru_cache(maxsize=maxsize)(f)
            return cached(*args)

        def cache_clear() -> None:
            caches.clear()
        wrapper.cache_clear = cache_clear
        return wrapper
    return deco(fn) if fn is not None else deco


def rule_source(stem: str, rule_id: str) -> Path:
    """The file that defines RULE_ID of rules/STEM in force: the last overlay file that lists it, else the built-in."""
    for d in reversed(active_overlay()):
        for path in (d / f"{stem}.yaml", d / f"{stem}.yml"):
            if path.is_file():
                data = _read(path) or {}
                for value in data.values() if isinstance(data, dict) else ():
                    if isinstance(value, list) and any(isinstance(r, dict) and r.get("id") == rule_id for r in value):
                        return path
                    if isinstance(value, dict) and rule_id in value:
                        return path
    return RULES_DIR / f"{stem}.yaml"
