"""Criteria files: read and validate, write as YAML, save as a new file (never overwrite)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from locscan import atomic, config
from locscan.criteria.schema import Criteria
from locscan.errors import CriteriaError
from locscan.units import UNITS

__all__ = [
    "differences",
    "load",
    "parse",
    "save_as_new",
    "to_yaml",
]


def load(path: str | os.PathLike) -> Criteria:
    """
    Read and validate a criteria file.

    Raises
    ------
    CriteriaError
        Naming the file, the criterion and what is wrong (unknown measure with the known
        ones, wrong type, impossible range, ...).
    """
    return config.load(Criteria, path, what="criteria file", error=CriteriaError)


def parse(raw: Any, *, source: str = "<criteria>") -> Criteria:
    """Validate a criteria mapping (as read from YAML); errors name `source`."""
    return config.parse(Criteria, raw, source=source, what="criteria file", error=CriteriaError)


def differences(old: Criteria, new: Criteria) -> list[str]:
    """
    What changed between two criteria sets, one line per changed criterion field.

    Examples
    --------
    >>> raw = {"name": "t", "version": 1, "measures": {"a": {"kind": "area"}},
    ...        "hard": [{"id": "groot", "label": "Groot", "measure": "a", "op": ">=",
    ...                  "value": 10}]}
    >>> differences(parse(raw), parse(raw).with_value("groot", 20))
    ['Groot: drempel 10 → 20']
    """
    out = []
    before = {c.id: c for c in old.criteria}
    for c in new.criteria:
        was = before.pop(c.id, None)
        if was is None:
            out.append(f"{c.label}: nieuw")
            continue
        old_dump = was.model_dump()
        for key, value in c.model_dump().items():
            if old_dump.get(key) != value and key != "label":
                unit = f" {UNITS[c.unit][2]}".rstrip() if c.unit in UNITS and key in (
                    "value", "best", "worst") else ""
                out.append(f"{was.label}: {_FIELD.get(key, key)} {_short(old_dump.get(key))}"
                           f"{unit} → {_short(value)}{unit}")
    out += [f"{c.label}: verwijderd" for c in before.values()]
    return out


#: how a changed field of a criterion reads
_FIELD = {"value": "drempel", "weight": "gewicht", "best": "best", "worst": "slechtst",
          "op": "relatie", "on_unknown": "bij onbekend", "scores": "scores",
          "range": "bereik", "weight_range": "bereik gewicht"}


def _short(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return str(value)


def to_yaml(criteria: Criteria) -> str:
    """The criteria set as YAML in the file format of ``criteria/*.yaml``."""
    data = criteria.model_dump(exclude_defaults=True, mode="json")
    data["version"] = criteria.version
    data["measures"] = {
        name: {"kind": spec.kind}
        | ({"layer": spec.layer} if spec.layer else {})
        | spec.params
        | ({"unit": spec.unit} if spec.unit else {})
        | ({"label": spec.label} if spec.label else {})
        | ({"if_missing": spec.if_missing} if spec.if_missing != "error" else {})
        for name, spec in criteria.measures.items()
    }
    data["hard"] = [c.model_dump(exclude_defaults=True, mode="json")
                    | {"op": c.op, "value": c.value} for c in criteria.hard]
    data["soft"] = [c.model_dump(exclude_defaults=True, mode="json") for c in criteria.soft]
    data["overrides"] = {
        key: {cid: o.model_dump(exclude_none=True) for cid, o in changes.items()}
        for key, changes in criteria.overrides.items()
    }
    order = ["name", "version", "description", "author", "created", "based_on", "changes",
             "measures", "hard", "soft", "overrides", "capacity", "ahp"]
    data = {k: data[k] for k in order if data.get(k) not in (None, "", [], {})}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_as_new(
    criteria: Criteria,
    directory: str | os.PathLike,
    *,
    name: str,
    author: str,
    base: Criteria | None = None,
) -> Path:
    """
    Write `criteria` as a new file ``<directory>/<name>.yaml``; never overwrites a file.

    The file records the author, the date, the set it was based on and what changed.

    Raises
    ------
    CriteriaError
        When the name is not usable, no author is given, or the file already exists.
    """
    slug = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name.strip().lower())
    slug = "-".join(part for part in slug.split("-") if part)
    if not slug:
        raise CriteriaError("new criteria set: give a name (letters, digits, - or _)")
    if len(slug) > 80:
        raise CriteriaError(f"new criteria set: a name is at most 80 characters, this one has "
                            f"{len(slug)}")
    author = " ".join(author.split())  # one line: a newline must not end the header comment
    if not author:
        raise CriteriaError(f"new criteria set {slug!r}: say who saves it (author)")
    if len(author) > 200:
        raise CriteriaError(f"new criteria set {slug!r}: an author name is at most 200 "
                            "characters")
    path = Path(directory) / f"{slug}.yaml"
    now = datetime.now(UTC)
    saved = criteria.model_copy(update={
        "name": slug,
        "version": now.strftime("%Y-%m-%d %H:%M"),
        "author": author,
        "created": now.isoformat(timespec="seconds"),
        "based_on": f"{base.name} versie {base.version}" if base else criteria.based_on,
        "changes": differences(base, criteria) if base else list(criteria.changes),
    })
    text = f"# Saved by {saved.author} on {saved.created} with locscan.\n" + to_yaml(saved)
    parse(yaml.safe_load(text), source=str(path))  # what is written must load again
    Path(directory).mkdir(parents=True, exist_ok=True)
    try:
        atomic.new_text(path, text)  # never half a file, never over an existing one
    except FileExistsError as exc:
        raise CriteriaError(f"criteria file {path} already exists; choose another name") from exc
    except OSError as exc:
        raise CriteriaError(f"criteria file {path}: cannot be written ({exc.strerror})") from exc
    return path
