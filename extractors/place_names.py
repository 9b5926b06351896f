"""The canonical `place` of a location string (ANNOTATION.md section 7): a province, "Việt Nam" or a country.

Vietnamese units come from underthesea.address (its data file: the 63 provinces before 1 July 2025 with their
districts and communes, the 34 after with their communes, and which old unit went where); what it lacks
(aliases such as "TP.HCM", national cues, regions, foreign countries and cities) is data in
rules/place_aliases.yaml. A location is read in this order, the first hit wins:
  1. the whole string in rules/place_aliases.yaml ("TP.HCM", "cả nước", "Tây Nguyên", "Tokyo");
  2. several parts ("xã A, huyện B, tỉnh C", "Quận 1 (TP.HCM)"): the rightmost Vietnamese province, else the
     rightmost place;
  3. after dropping a unit word ("tỉnh", "huyện", "TP.", "xã", "thủ đô"...): the rest in place_aliases.yaml
     (not after a commune word), then underthesea's units of that level ("huyện X" is a district);
  4. a bare name: a province, else a district, else a commune.
A district or commune rolls up to its province only when every unit of that name lies in one province (at
the publication date); otherwise the place is null (rule `place.ambiguous`).

Publication date: on or after 1 July 2025 the province is named as in the 34-province list (a unit of a merged
province rolls up to the new one); before it, or when the date is unknown, as in the 63-province list, which
loses nothing (the old -> new mapping is a function a researcher can apply later; the reverse is not).
"""
from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from rules import RuleError, load_rules, per_rules, rule_source

MERGER_DATE = (2025, 7, 1)
RULES_FILE = "place_aliases"
# rule ids returned with the place
ALIAS, NATIONAL, REGION, COUNTRY, FOREIGN = "place.alias", "place.national", "place.region", "place.country", \
    "place.foreign"
PROVINCE, DISTRICT, COMMUNE, AMBIGUOUS = "place.province", "place.district", "place.commune", "place.ambiguous"
# One-line reason of each rule id (for extractors.rule_catalog once `place` is wired into the records).
RULE_REASONS = {
    PROVINCE: "a Vietnamese province, named as in the list in force at the publication date (underthesea.address)",
    DISTRICT: "a district rolled up to its province (underthesea.address; only a name one province has)",
    COMMUNE: "a commune or ward rolled up to its province (underthesea.address; only a name one province has)",
    ALIAS: "another name of a province (rules/place_aliases.yaml aliases: TP.HCM, Sài Gòn, thủ đô)",
    NATIONAL: "a national figure: Việt Nam (rules/place_aliases.yaml national: cả nước, toàn quốc)",
    COUNTRY: "a country by its usual Vietnamese name (rules/place_aliases.yaml countries)",
    FOREIGN: "a foreign city or region rolled up to its country (rules/place_aliases.yaml foreign)",
    REGION: "a region that is not one province or country: no place (rules/place_aliases.yaml regions)",
    AMBIGUOUS: "a district or commune name that several provinces have: no place",
}
# place_aliases.yaml list key -> the rule id its entries give
DATA_LISTS = {"aliases": ALIAS, "national": NATIONAL, "regions": REGION, "countries": COUNTRY, "foreign": FOREIGN}
# Unit words (place_aliases.yaml unit_words groups) by the level of unit they name; "thủ đô" names a capital,
# and the other groups ("đảo", "vịnh") a landmark read as a bare name.
PROVINCE_TYPES = ("tỉnh", "thành phố")
DISTRICT_TYPES = ("huyện", "quận", "thị xã", "thành phố")
COMMUNE_TYPES = ("xã", "phường", "thị trấn", "đặc khu")
CAPITAL_TYPE = "thủ đô"

# Two spellings of the same syllable differ only in where the tone mark sits ("Hòa"/"Hoà", "Thủy"/"Thuỷ").
_TONES = "\u0300\u0301\u0309\u0303\u0323"
_TONE_MOVES = {unicodedata.normalize("NFC", f"{a}{t}{b}"): unicodedata.normalize("NFC", f"{a}{b}{t}")
               for a, b in (("o", "a"), ("o", "e"), ("u", "y")) for t in _TONES}
_TONE_RE = re.compile("|".join(_TONE_MOVES))
_DASH_RE = re.compile(r"\s*[-–—‑]\s*")
_COMPACT_RE = re.compile(r"[\s\-'’.]")
_PART_SPLIT_RE = re.compile(r"[,;()\[\]]")
_DATE_RE = re.compile(r"\s*(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?(?!\d)")
_DMY_RE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})")


class Units(NamedTuple):
    """underthesea's administrative units as lookup tables (keys normalized by `key`)."""
    old_names: dict[str, str]                 # old province id -> short name (underthesea's spelling)
    new_names: dict[str, str]                 # old province id -> short name of the province it is part of since 2025
    provinces: dict[str, str]                 # compact name -> old province id
    levels: dict[str, dict[str, frozenset]]   # "district"/"commune" -> compact name -> old province ids
    typed: dict[tuple[str, str], frozenset]   # (unit type, compact name) -> old province ids
    version: str


def canonical_place(location: str | None, published: str | None) -> tuple[str | None, str | None]:
    """(place, rule id) for LOCATION in an article published on PUBLISHED ("YYYY-MM-DD"; None: before the merger)."""
    if not location or not location.strip():
        return None, None
    return _resolve(location, after_merger(published))


def after_merger(published: object) -> bool:
    """Whether PUBLISHED (ISO or compact date or datetime, "dd/mm/yyyy", a year) is on or after 1 July 2025.

    An unknown or unreadable date, and a bare "2025", count as before (module docstring)."""
    if not published:
        return False
    published = str(published)    # a whole number (20250701) or a date object reads like its text
    m = _DATE_RE.match(published)
    if m:
        y, mo, d = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    else:
        m = _DMY_RE.match(published)
        if not m:
            return False
        y, mo, d = int(m[3]), int(m[2]), int(m[1])
    if not mo:
        return y > MERGER_DATE[0]
    if not d:
        return (y, mo) >= MERGER_DATE[:2]
    return (y, mo, d) >= MERGER_DATE


def compact(k: str) -> str:
    """A key without spaces, dashes, apostrophes and dots: underthesea's units are found by it ("Đakrông" is the
    district "Đa Krông", "Bà Rịa-Vũng Tàu" the province "Bà Rịa - Vũng Tàu")."""
    return _COMPACT_RE.sub("", k)


def key(text: str, outer: bool = True) -> str:
    """TEXT as a lookup key: NFC, lower case, one space, " - " for dashes, one tone placement, no outer marks.

    outer=False keeps outer punctuation (a unit word "TP." keeps its dot)."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _TONE_RE.sub(lambda m: _TONE_MOVES[m[0]], text)
    text = " ".join(_DASH_RE.sub(" - ", text).split())
    return text.strip(" \"'“”‘’.,;:!?") if outer else text


@per_rules(maxsize=1 << 16)
def _resolve(location: str, after: bool) -> tuple[str | None, str | None]:
    """canonical_place for a non-empty LOCATION, AFTER the merger or not."""
    k = key(location)
    data = _data()
    if k in data.names:
        return _data_place(data.names[k], after)
    parts = [p for p in (key(x) for x in _PART_SPLIT_RE.split(location)) if p]
    if len(parts) > 1:
        found = [_resolve_part(p, after) for p in parts]
        vietnamese = [f for f in found if f[0] is not None and f[1] in (ALIAS, PROVINCE, DISTRICT, COMMUNE)]
        placed = vietnamese or [f for f in found if f[0] is not None]
        if placed:
            return placed[-1]
        return next((f for f in reversed(found) if f[1] is not None), (None, None))
    return _resolve_part(k, after)


def _resolve_part(k: str, after: bool) -> tuple[str | None, str | None]:
    """The place of one normalized name K (steps 1, 3 and 4 of the module docstring)."""
    data, units = _data(), _units()
    if k in data.names:
        return _data_place(data.names[k], after)
    unit_type, rest = _strip_unit_word(k, data.unit_words)
    if unit_type is None:
        return _bare(k, after)
    rest_c = compact(rest)
    if unit_type in PROVINCE_TYPES or unit_type == CAPITAL_TYPE:
        # "tỉnh Quảng Đông", "thành phố New York", "thủ đô Bắc Kinh": foreign names first.
        if rest in data.names:
            return _data_place(data.names[rest], after)
        if rest_c in data.provinces:
            return _province(data.provinces[rest_c], after), PROVINCE
    for level, rule, types in (("district", DISTRICT, DISTRICT_TYPES), ("commune", COMMUNE, COMMUNE_TYPES)):
        if unit_type in types:
            # A stale type ("huyện Phú Quốc" once it is a city) still names the unit: fall back to the level.
            found = _rolled_up(units.typed.get((unit_type, rest_c)) or units.levels[level].get(rest_c), after, rule)
            if found[1] is None and level == "district" and rest in data.names:
                return _data_place(data.names[rest], after)   # "huyện Phú Quý", "quận Manhattan"
            return found
    if unit_type in PROVINCE_TYPES + (CAPITAL_TYPE,):
        return None, None
    return _bare(rest, after)     # a landmark word ("đảo Phú Quốc")


def _bare(k: str, after: bool) -> tuple[str | None, str | None]:
    """A name without unit word: a province, else a district, else a commune (a number alone names nothing)."""
    units, provinces, kc = _units(), _data().provinces, compact(k)
    if kc in provinces:
        return _province(provinces[kc], after), PROVINCE
    if kc.isdigit():
        return None, None
    for level, rule in (("district", DISTRICT), ("commune", COMMUNE)):
        ids = units.levels[level].get(kc)
        if ids:
            return _rolled_up(ids, after, rule)
    return None, None


def _rolled_up(ids: frozenset | None, after: bool, rule: str) -> tuple[str | None, str | None]:
    """The one province the units IDS lie in at the date, else null (ambiguous) or nothing (unknown)."""
    if not ids:
        return None, None
    names = {_province(i, after) for i in ids}
    return (names.pop(), rule) if len(names) == 1 else (None, AMBIGUOUS)


def _province(old_id: str, after: bool) -> str:
    """The province OLD_ID as named in the list in force (after the merger or before it)."""
    units = _units()
    if after:
        return units.new_names[old_id]
    name = units.old_names[old_id]
    return _data().old_list_names.get(name, name)


def _data_place(entry: tuple[str | None, str], after: bool) -> tuple[str | None, str | None]:
    """(place, rule id) of a place_aliases.yaml entry; an alias names an old province, renamed after the merger."""
    place, rule = entry
    if rule == ALIAS and place is not None:
        return _province(_data().provinces[compact(key(place))], after), rule
    return place, rule


class AliasData(NamedTuple):
    """rules/place_aliases.yaml as lookup tables."""
    names: dict[str, tuple[str | None, str]]   # normalized form -> (place, rule id)
    unit_words: list[tuple[str, str]]          # (normalized word, unit type), longest word first
    old_list_names: dict[str, str]             # underthesea short name -> name before 1 July 2025
    provinces: dict[str, str]                  # compact name (underthesea's or the old list's) -> old province id


@per_rules
def _data() -> AliasData:
    """place_aliases.yaml in force, checked (a place that is no province, a form named twice) and indexed."""
    raw = load_rules(RULES_FILE)
    unit_words = sorted(((key(w, outer=False), t) for t, words in raw["unit_words"].items() for w in words),
                        key=lambda x: -len(x[0]))
    names: dict[str, tuple[str | None, str]] = {}
    seen_ids: set[str] = set()
    provinces = dict(_units().provinces)
    old_list_names = {str(k): str(v) for k, v in raw["old_list_names"].items()}
    for old_name, name in old_list_names.items():
        if compact(key(old_name)) not in provinces:
            raise RuleError(rule_source(RULES_FILE, old_name), "R002",
                            f"old_list_names: '{old_name}' is not a province of underthesea's list", old_name)
        provinces[compact(key(name))] = provinces[compact(key(old_name))]
    for list_key, rule in DATA_LISTS.items():
        entries = raw[list_key]
        if not isinstance(entries, list) or not entries:
            raise RuleError(rule_source(RULES_FILE, ""), "R002", f"'{list_key}' must be a non-empty list of entries")
        for entry in entries:
            rid, place = _check_entry(entry, list_key, seen_ids)
            if rule == ALIAS and compact(key(place)) not in provinces:
                raise RuleError(rule_source(RULES_FILE, rid), "R002",
                                f"place '{place}' is not a province of the list before 1 July 2025", rid)
            # A country or "Việt Nam" is a form of itself; a province is underthesea's, a city is not its country.
            own = [place] if rule in (NATIONAL, COUNTRY) else []
            for form in own + [str(f) for f in entry["forms"]]:
                names[key(form)] = (place, rule)
    return AliasData(names, unit_words, old_list_names, provinces)


def _check_entry(entry: object, list_key: str, seen: set[str]) -> tuple[str, str | None]:
    """(id, place) of one entry of place_aliases.yaml, or a RuleError naming what is wrong with it."""
    path = rule_source(RULES_FILE, entry.get("id", "") if isinstance(entry, dict) else "")
    if not isinstance(entry, dict):
        raise RuleError(path, "R002", f"'{list_key}' entries must be mappings with id, place and forms")
    rid = entry.get("id")
    if not isinstance(rid, str) or not re.fullmatch(r"[\w.-]+", rid):
        raise RuleError(path, "R002", f"'{list_key}' entry id {rid!r} must be one word", str(rid))
    unknown = set(entry) - {"id", "place", "forms", "reason", "examples"}
    if unknown:
        raise RuleError(path, "R001", f"unknown key '{sorted(unknown)[0]}' in '{list_key}'", rid)
    if "place" not in entry or "forms" not in entry:
        raise RuleError(path, "R007", f"missing key '{'place' if 'place' not in entry else 'forms'}'", rid)
    place = entry["place"]
    if (place is None) != (list_key == "regions") or (place is not None and not str(place).strip()):
        raise RuleError(path, "R002", "place must be null in 'regions' and a name elsewhere", rid)
    forms = entry["forms"]
    if not isinstance(forms, list) or not forms or any(not str(f).strip() for f in forms):
        raise RuleError(path, "R003", "forms must be a non-empty list of names", rid)
    if rid in seen:
        raise RuleError(path, "R005", "duplicate rule id", rid)
    seen.add(rid)
    return rid, None if place is None else str(place)


def _strip_unit_word(k: str, unit_words: list[tuple[str, str]]) -> tuple[str | None, str]:
    """(unit type, the rest) when K starts with a unit word followed by a name, else (None, K)."""
    for word, unit_type in unit_words:
        if k.startswith(word) and len(k) > len(word) and (word.endswith(".") or k[len(word)] == " "):
            return unit_type, k[len(word):].strip()
    return None, k


def underthesea_data_path() -> Path:
    """underthesea.address's data file (units before and after 1 July 2025, and the mapping between them)."""
    # Found without importing underthesea (~0.5 s per process, which a batch worker need not pay for a table);
    # through its converter module if the package is laid out differently.
    spec = importlib.util.find_spec("underthesea")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "address" / "data" / "mapping.json"
        if path.is_file():
            return path
    from underthesea.address import converter
    return Path(converter.__file__).resolve().parent / "data" / "mapping.json"


@lru_cache(maxsize=1)
def _units() -> Units:
    """underthesea.address's units as lookup tables, built once."""
    with underthesea_data_path().open(encoding="utf-8") as fh:
        data = json.load(fh)
    old = {pid: info["short"] for pid, info in data["old_province_names"].items()}
    new = {pid: data["province_names"][nid]["short"] for pid, nid in data["province_mapping"].items()}
    provinces = {}
    for pid, info in data["old_province_names"].items():
        provinces[compact(key(info["short"]))] = provinces[compact(key(info["name"]))] = pid
    levels: dict[str, dict[str, set]] = {"district": {}, "commune": {}}
    typed: dict[tuple[str, str], set] = {}
    split: dict[str, tuple[str, str]] = {}
    for r in data["ward_mapping"]:
        pid = r["old_province_key"]
        for level, name in (("district", r["old_district"]), ("commune", r["old_ward"]), ("commune", r["new_ward"])):
            if name not in split:     # a district's name comes once per commune: split it once
                split[name] = _split_type(name)
            unit_type, rest = split[name]
            if rest:
                levels[level].setdefault(compact(rest), set()).add(pid)
                typed.setdefault((unit_type, compact(rest)), set()).add(pid)
    freeze = lambda d: {k: frozenset(v) for k, v in d.items()}    # noqa: E731
    return Units(old, new, provinces, {lv: freeze(d) for lv, d in levels.items()}, freeze(typed),
                 str(data.get("metadata", {}).get("version", "")))


def _split_type(name: str) -> tuple[str, str]:
    """("huyện", "krông nô") from underthesea's "Huyện Krông Nô"."""
    k = key(name)
    for unit_type in sorted(set(DISTRICT_TYPES + COMMUNE_TYPES), key=len, reverse=True):
        if k.startswith(unit_type + " "):
            return unit_type, k[len(unit_type) + 1:]
    return "", k


def check_place_aliases() -> int:
    """Build place_aliases.yaml's tables and walk its examples; raise rules.RuleError at the first fault.

    Returns the number of examples checked. (rules.load_rules checks only the file's keys; the entries and
    their places are checked here.)"""
    raw = load_rules(RULES_FILE)
    _data()
    checked = 0
    for list_key in DATA_LISTS:
        for entry in raw[list_key]:
            examples = entry.get("examples") or {}
            if not isinstance(examples, dict):
                raise RuleError(rule_source(RULES_FILE, entry["id"]), "R002",
                                "'examples' must map a location to its place", entry["id"])
            for location, expected in examples.items():
                got, _ = canonical_place(str(location), None)
                if got != expected:
                    raise RuleError(rule_source(RULES_FILE, entry["id"]), "R006",
                                    f"example '{location}' gives {got!r}, not {expected!r}", entry["id"])
                checked += 1
    return checked
