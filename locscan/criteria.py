"""Criteria sets: the YAML schema (pydantic) and their evaluation over the measures table.

A criteria file declares the measures it uses, hard criteria (measure, operator, value) that a
site must meet, and soft criteria (measure, transform, weight) that rank the sites that do. It
may override values and weights per gemeente. Evaluation is plain pandas over the measures
table: no geometry, milliseconds.

Outcome per hard criterion: ``pass``, ``fail`` or ``unknown``. A measure without a value never
passes or fails silently: the criterion's ``on_unknown`` says whether unknown excludes the site
(``fail``) or keeps it as "te controleren" (``check``).
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from locscan import config
from locscan.errors import CriteriaError
from locscan.measures import MeasureSpec
from locscan.region import RegionMeta
from locscan.units import UNITS, compatible, to_native

__all__ = [
    "Assumptions",
    "Criteria",
    "HardCriterion",
    "Override",
    "SoftCriterion",
    "evaluate",
    "load",
    "resolve_overrides",
]

Op = Literal["<", "<=", ">", ">=", "==", "!=", "in", "not_in", "between"]
_NUMERIC_OPS = {"<", "<=", ">", ">=", "between"}
_LIST_OPS = {"in", "not_in", "between"}

PASS, FAIL, UNKNOWN = 1, 0, -1


class HardCriterion(BaseModel):
    """A criterion every site must meet: ``measure op value``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    measure: str
    op: Op
    value: float | str | list[float | str]
    unit: str | None = None
    on_unknown: Literal["fail", "check"] = "fail"
    source: str = ""

    @model_validator(mode="after")
    def _value_fits_op(self) -> HardCriterion:
        _check_value(self.op, self.value)
        return self


class SoftCriterion(BaseModel):
    """A criterion that adds to the score (0–1 per criterion, weighted)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    measure: str
    transform: Literal["linear", "categories"] = "linear"
    best: float | None = None
    worst: float | None = None
    scores: dict[str, float] | None = None
    unit: str | None = None
    weight: float = Field(1.0, ge=0)
    source: str = ""

    @model_validator(mode="after")
    def _transform_complete(self) -> SoftCriterion:
        if self.transform == "linear":
            if self.best is None or self.worst is None:
                raise ValueError("transform 'linear' needs 'best' and 'worst'")
            if self.best == self.worst:
                raise ValueError(f"'best' and 'worst' are both {self.best}; they must differ")
        elif not self.scores:
            raise ValueError("transform 'categories' needs 'scores' (class: score 0–1)")
        elif any(not 0 <= s <= 1 for s in self.scores.values()):
            raise ValueError("'scores' must lie between 0 and 1")
        return self


class Override(BaseModel):
    """What a gemeente changes of one criterion."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float | str | list[float | str] | None = None
    weight: float | None = Field(None, ge=0)
    best: float | None = None
    worst: float | None = None


def _check_value(op: str, value: Any) -> None:
    is_list = isinstance(value, list)
    if op in _LIST_OPS and not is_list:
        raise ValueError(f"operator {op!r} needs a list as value, got {value!r}")
    if op not in _LIST_OPS and is_list:
        raise ValueError(f"operator {op!r} needs a single value, got a list")
    if op in _NUMERIC_OPS:
        items = value if is_list else [value]
        if any(isinstance(v, str) for v in items):
            raise ValueError(f"operator {op!r} needs numbers, got {value!r}")
    if op == "between":
        if len(value) != 2:
            raise ValueError(f"'between' needs [low, high], got {len(value)} values")
        if value[0] > value[1]:
            raise ValueError(f"impossible range: low {value[0]} is above high {value[1]}")


class Assumptions(BaseModel):
    """
    The ``capacity:`` section of a criteria file: the assumptions behind capacity figures.

    Policy numbers left ``None`` (``m2_per_worker``, ``manager_above``, ``reach_m``,
    ``temporary_share`` and the three shares of where workers live) are taken from the
    region's norms (``region.yaml``) when capacity is computed, by
    :func:`locscan.capacity.resolve`. The assumptions of the criteria set itself have no
    default in code: a file that leaves one out is an error that names the key.

    Attributes
    ----------
    built_share
        Share of the plot that is built on.
    storeys
        Storeys of living space.
    max_per_location
        Most workers on one location.
    parking_measure, parking_per_resident
        The measure with parking places near a site (``null``: no parking check), and the
        places needed per resident.
    floor_area_field, floor_use_share
        Candidate attribute with an existing building's floor area (m²), used where present,
        and the share of it that becomes living area (required with the field).
    m2_per_worker, manager_above, reach_m, temporary_share
        Roemernorm area per worker, the residents above which a 24/7 manager is needed, the
        distance from work, the temporary share of the task: ``None`` takes the region's norm
        (``reach_m`` first from the criterion on the distance to the work sites).
    min_share_own_gemeente, max_share_elsewhere_in_subregio, max_share_elsewhere
        The norm for where workers live; ``None`` takes the region's norm.
    min_spacing_m
        Chosen sites lie at least this far apart (suggestion only; 0: no spacing).
    max_sites_per_gemeente
        At most this many chosen sites per gemeente (suggestion only; ``None``: no limit).
    site_cost_km
        Cost of opening a site, in worker-kilometres; above 0 the suggestion prefers fewer sites.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    built_share: float = Field(gt=0, le=1)
    storeys: float = Field(gt=0)
    m2_per_worker: float | None = Field(None, gt=0)
    floor_area_field: str | None = None
    floor_use_share: float | None = Field(None, gt=0, le=1)
    max_per_location: int = Field(gt=0)
    manager_above: int | None = Field(None, gt=0)
    parking_measure: str | None
    parking_per_resident: float = Field(ge=0)
    reach_m: float | None = Field(None, gt=0)
    temporary_share: float | None = Field(None, gt=0, le=1)
    min_share_own_gemeente: float | None = Field(None, ge=0, le=1)
    max_share_elsewhere_in_subregio: float | None = Field(None, ge=0, le=1)
    max_share_elsewhere: float | None = Field(None, ge=0, le=1)
    min_spacing_m: float = Field(0, ge=0)
    max_sites_per_gemeente: int | None = Field(None, gt=0)
    site_cost_km: float = Field(0, ge=0)

    @model_validator(mode="after")
    def _floor_share_with_field(self) -> Assumptions:
        if self.floor_area_field and self.floor_use_share is None:
            raise ValueError("'floor_area_field' needs 'floor_use_share' (the share of the floor "
                             "area that becomes living area)")
        return self


class Criteria(BaseModel):
    """
    A criteria set as read from ``criteria/*.yaml``.

    Attributes
    ----------
    name, version, description
        What the set is; version is free text (a date or a number).
    author, created, based_on, changes
        Who saved the set when, from which set, and what changed (set by :func:`save_as_new`).
    measures
        Measure name -> spec; each criterion refers to one of these.
    hard, soft
        The criteria.
    overrides
        Gemeente (name or CBS code) -> criterion id -> override.
    capacity
        Assumptions for capacity and the suggested shortlist (:class:`Assumptions`);
        ``None`` when the file has no ``capacity:`` section.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    description: str = ""
    author: str = ""
    created: str = ""
    based_on: str = ""
    changes: list[str] = []
    measures: dict[str, MeasureSpec]
    hard: list[HardCriterion]
    soft: list[SoftCriterion] = []
    overrides: dict[str, dict[str, Override]] = {}
    capacity: Assumptions | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("measures", mode="before")
    @classmethod
    def _measure_specs(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out = {}
        for name, decl in value.items():
            if not isinstance(decl, dict) or "params" in decl:  # a spec, not a declaration
                out[name] = decl
                continue
            known = {"kind", "layer", "unit", "label", "if_missing"}
            params = {k: v for k, v in decl.items() if k not in known}
            out[name] = {"name": name, "params": params} | {
                k: v for k, v in decl.items() if k in known
            }
        return out

    @model_validator(mode="after")
    def _consistent(self) -> Criteria:
        problems = []
        for spec in self.measures.values():
            problems += spec.problems()
            if spec.unit is not None and spec.unit not in UNITS:
                problems.append(f"measure {spec.name!r}: unknown unit {spec.unit!r}")
        ids = [c.id for c in self.criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            problems.append(f"criterion ids used twice: {', '.join(dupes)}")
        for c in self.criteria:
            problems += _criterion_problems(c, self.measures)
        parking = self.capacity.parking_measure if self.capacity else None
        if parking is not None and parking not in self.measures:
            problems.append(f"capacity.parking_measure: unknown measure {parking!r}; known "
                            f"measures: {', '.join(self.measures)}")
        by_id = {c.id: c for c in self.criteria}
        for gemeente, changes in self.overrides.items():
            for cid, change in changes.items():
                problems += _override_problems(gemeente, cid, change, by_id)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def criteria(self) -> list[HardCriterion | SoftCriterion]:
        """Hard and soft criteria, in file order."""
        return [*self.hard, *self.soft]

    def criterion(self, cid: str) -> HardCriterion | SoftCriterion:
        """Return criterion `cid`; raise :class:`CriteriaError` listing the ids otherwise."""
        for c in self.criteria:
            if c.id == cid:
                return c
        ids = ", ".join(c.id for c in self.criteria)
        raise CriteriaError(f"criteria {self.name!r}: no criterion {cid!r}; known: {ids}")

    def used_measures(self) -> list[MeasureSpec]:
        """The measure specs the criteria (and the capacity check) use, in declaration order."""
        used = {c.measure for c in self.criteria}
        if self.capacity and self.capacity.parking_measure:
            used.add(self.capacity.parking_measure)
        return [s for n, s in self.measures.items() if n in used]

    def with_value(self, cid: str, value: Any) -> Criteria:
        """
        Return a copy with the value of hard criterion `cid` replaced (in the criterion's unit).

        Raises
        ------
        CriteriaError
            When `cid` is not a hard criterion or the value does not fit its operator.
        """
        return self._replace(cid, HardCriterion, value=value)

    def with_weight(self, cid: str, weight: float) -> Criteria:
        """Return a copy with the weight of soft criterion `cid` replaced."""
        return self._replace(cid, SoftCriterion, weight=weight)

    def _replace(self, cid: str, cls: type, **change: Any) -> Criteria:
        crit = self.criterion(cid)
        if not isinstance(crit, cls):
            raise CriteriaError(f"criteria {self.name!r}: {cid!r} is not a {cls.__name__}")
        field = "hard" if cls is HardCriterion else "soft"
        try:
            new = cls.model_validate(crit.model_dump() | change)
        except ValidationError as exc:
            raise CriteriaError(f"criteria {self.name!r}, criterion {cid!r}: "
                                + "; ".join(config.problems(exc, change, cls))) from exc
        items = [new if c.id == cid else c for c in getattr(self, field)]
        return self.model_copy(update={field: items})

    def digest(self) -> str:
        """Short hash of the criteria's content, for provenance."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:12]


def _criterion_problems(c: HardCriterion | SoftCriterion, measures: dict) -> list[str]:
    where = f"criterion {c.id!r}"
    if c.measure not in measures:
        return [f"{where}: unknown measure {c.measure!r}; known measures: {', '.join(measures)}"]
    spec: MeasureSpec = measures[c.measure]
    unit = spec.value_unit
    numeric = isinstance(c, SoftCriterion) and c.transform == "linear"
    numeric = numeric or (isinstance(c, HardCriterion) and c.op in _NUMERIC_OPS)
    if c.unit is not None and c.unit not in UNITS:
        return [f"{where}: unknown unit {c.unit!r}; known units: {', '.join(UNITS)}"]
    if numeric and unit is None and spec.kind == "dominant_attribute":
        return [f"{where}: measure {c.measure!r} gives a class, not a number; use in/not_in"]
    if not compatible(c.unit, unit):
        return [f"{where}: unit {c.unit!r} does not fit measure {c.measure!r} in {unit!r}"]
    return []


def _override_problems(gemeente: str, cid: str, change: Override, by_id: dict) -> list[str]:
    where = f"override for gemeente {gemeente!r}, criterion {cid!r}"
    if cid not in by_id:
        return [f"{where}: no such criterion; known: {', '.join(by_id)}"]
    crit = by_id[cid]
    if isinstance(crit, HardCriterion):
        if change.weight is not None or change.best is not None or change.worst is not None:
            return [f"{where}: a hard criterion takes only 'value'"]
        if change.value is not None:
            try:
                _check_value(crit.op, change.value)
            except ValueError as exc:
                return [f"{where}: {exc}"]
        return []
    if change.value is not None:
        return [f"{where}: a soft criterion takes 'weight', 'best' or 'worst', not 'value'"]
    return []


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


def resolve_overrides(criteria: Criteria, meta: RegionMeta | None) -> dict[str, dict]:
    """
    Map the overrides' gemeente keys (names or codes) to CBS codes of the region.

    Raises
    ------
    CriteriaError
        When an override names a gemeente that is not in the region.
    """
    if meta is None:
        return dict(criteria.overrides)
    out = {}
    for key, changes in criteria.overrides.items():
        try:
            out[meta.municipality(key).code] = changes
        except Exception as exc:
            raise CriteriaError(f"criteria {criteria.name!r}, overrides: {exc}") from exc
    return out


def _compare(values: pd.Series, op: str, threshold: Any) -> np.ndarray:
    v = values
    if op in _NUMERIC_OPS:  # plain numpy: NaN compares False and is marked unknown after
        v = (values.to_numpy(dtype=float, na_value=np.nan)
             if pd.api.types.is_numeric_dtype(values)
             else pd.to_numeric(values, errors="coerce").to_numpy(dtype=float))
    match op:
        case "<":
            out = v < threshold
        case "<=":
            out = v <= threshold
        case ">":
            out = v > threshold
        case ">=":
            out = v >= threshold
        case "==":
            out = v == threshold
        case "!=":
            out = v != threshold
        case "in":
            out = v.isin(threshold)
        case "not_in":
            out = ~v.isin(threshold)
        case "between":
            out = (v >= threshold[0]) & (v <= threshold[1])
    return np.array(out, dtype=bool)


def _native(value: Any, unit: str | None, measure_unit: str | None) -> Any:
    if isinstance(value, list):
        return [_native(v, unit, measure_unit) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return to_native(float(value), unit, measure_unit)
    return value


def hard_status(
    crit: HardCriterion,
    spec: MeasureSpec,
    table: pd.DataFrame,
    groups: dict[str, np.ndarray],
    overrides: dict[str, dict[str, Override]],
) -> np.ndarray:
    """
    Outcome of one hard criterion per candidate: 1 pass, 0 fail, -1 unknown.

    `groups` maps gemeente code -> boolean row mask; rows of a gemeente with an override are
    judged against its value. Where the measure has a companion ``<measure>__unknown`` count
    (a sum that is a lower bound), an outcome that the unknown part could change is unknown.
    """
    values = table[crit.measure]
    default = _native(crit.value, crit.unit, spec.value_unit)
    ok = _compare(values, crit.op, default)
    for code, mask in groups.items():
        change = overrides.get(code, {}).get(crit.id)
        if change is not None and change.value is not None:
            native = _native(change.value, crit.unit, spec.value_unit)
            ok[mask] = _compare(values[mask], crit.op, native)
    status = np.where(ok, np.int8(PASS), np.int8(FAIL))
    status[values.isna().to_numpy()] = UNKNOWN
    partial = f"{crit.measure}__unknown"
    if partial in table:
        open_ = table[partial].to_numpy() > 0
        settled = PASS if crit.op in {">", ">="} else FAIL if crit.op in {"<", "<="} else None
        status[open_ & (status != settled) & (status != UNKNOWN)] = UNKNOWN
    return status


def soft_score(
    crit: SoftCriterion,
    spec: MeasureSpec,
    table: pd.DataFrame,
    groups: dict[str, np.ndarray],
    overrides: dict[str, dict[str, Override]],
) -> tuple[np.ndarray, np.ndarray]:
    """
    Score (0–1, NaN when unknown) and weight per candidate for one soft criterion.

    The weight (and best and worst) is one number unless a gemeente overrides it; then it is
    an array with a value per candidate.

    Examples
    --------
    >>> spec = MeasureSpec(name="d", kind="distance_to", layer="x")
    >>> crit = SoftCriterion(id="s", label="s", measure="d", best=0, worst=10, unit="km")
    >>> table = pd.DataFrame({"d": [0.0, 2500.0, 20000.0, np.nan]})
    >>> score, weight = soft_score(crit, spec, table, {}, {})
    >>> score.tolist(), float(weight)
    ([1.0, 0.75, 0.0, nan], 1.0)
    """
    values = table[crit.measure]
    changes = [(mask, overrides[code][crit.id]) for code, mask in groups.items()
               if overrides.get(code, {}).get(crit.id) is not None]

    def per_row(default: float | None, name: str) -> float | np.ndarray:
        default = np.nan if default is None else float(default)
        masks = [(m, getattr(c, name)) for m, c in changes if getattr(c, name) is not None]
        if not masks:
            return default
        arr = np.full(len(table), default)
        for mask, value in masks:
            arr[mask] = value
        return arr

    weight = per_row(crit.weight, "weight")
    if crit.transform == "categories":
        score = values.map(crit.scores).to_numpy(dtype=float, copy=True)
        score[values.notna().to_numpy() & np.isnan(score)] = 0.0
        return score, weight
    x = (values.to_numpy(dtype=float, na_value=np.nan) if pd.api.types.is_numeric_dtype(values)
         else pd.to_numeric(values, errors="coerce").to_numpy(dtype=float))
    best = to_native(per_row(crit.best, "best"), crit.unit, spec.value_unit)
    worst = to_native(per_row(crit.worst, "worst"), crit.unit, spec.value_unit)
    score = (x - worst) / (best - worst)
    return np.clip(score, 0.0, 1.0, out=score), weight


def _groups(codes: pd.Series, keys: list[str]) -> dict[str, np.ndarray]:
    """Row mask per gemeente code; compares small integer codes for a categorical."""
    if not keys:
        return {}
    if isinstance(codes.dtype, pd.CategoricalDtype):
        position = {c: i for i, c in enumerate(codes.cat.categories)}
        ints = codes.cat.codes.to_numpy()
        return {k: ints == position.get(k, -2) for k in keys}
    values = codes.to_numpy()
    return {k: values == k for k in keys}


def evaluate(
    criteria: Criteria,
    table: pd.DataFrame,
    gemeente_codes: pd.Series,
    meta: RegionMeta | None = None,
) -> pd.DataFrame:
    """
    Evaluate every criterion over the measures table.

    Parameters
    ----------
    criteria
        The criteria set.
    table
        Measures table, one row per candidate, with a column per measure the criteria use.
    gemeente_codes
        CBS code of each candidate's gemeente, indexed like `table`.
    meta
        Region metadata, to resolve gemeente names in overrides; ``None`` to match codes only.

    Returns
    -------
    DataFrame
        Indexed like `table`: ``<id>`` per hard criterion (1 pass, 0 fail, -1 unknown),
        ``<id>`` per soft criterion (score 0–1, NaN unknown), ``passes`` (bool), ``check``
        (bool: kept, but some criterion could not be judged) and ``score`` (0–100).

    Raises
    ------
    CriteriaError
        When the table lacks a measure the criteria use.
    """
    missing = sorted({c.measure for c in criteria.criteria} - set(table.columns))
    if missing:
        raise CriteriaError(
            f"criteria {criteria.name!r}: measures table lacks {', '.join(missing)}; "
            "compute the criteria's measures first"
        )
    overrides = resolve_overrides(criteria, meta)
    groups = _groups(gemeente_codes, list(overrides))
    out: dict[str, np.ndarray] = {}
    excluded = np.zeros(len(table), dtype=bool)
    check = np.zeros(len(table), dtype=bool)
    for crit in criteria.hard:
        status = hard_status(crit, criteria.measures[crit.measure], table, groups, overrides)
        out[crit.id] = status
        excluded |= status == FAIL
        unknown = status == UNKNOWN
        if crit.on_unknown == "fail":
            excluded |= unknown
        else:
            check |= unknown
    total = np.zeros(len(table))
    weights: float | np.ndarray = 0.0
    for crit in criteria.soft:
        score, weight = soft_score(crit, criteria.measures[crit.measure], table, groups,
                                   overrides)
        out[crit.id] = score
        total += np.fmax(score, 0.0) * weight  # fmax: an unknown score (NaN) counts as 0
        weights = weights + weight
    weights = np.broadcast_to(np.asarray(weights, dtype=float), total.shape)
    out["passes"] = ~excluded
    out["check"] = check & ~excluded
    out["score"] = np.divide(total, weights, out=np.zeros_like(total), where=weights > 0) * 100
    return pd.DataFrame(out, index=table.index, copy=False)


def differences(old: Criteria, new: Criteria) -> list[str]:
    """
    What changed between two criteria sets, one line per changed criterion field.

    Examples
    --------
    >>> raw = {"name": "t", "version": 1, "measures": {"a": {"kind": "area"}},
    ...        "hard": [{"id": "groot", "label": "Groot", "measure": "a", "op": ">=",
    ...                  "value": 10}]}
    >>> differences(parse(raw), parse(raw).with_value("groot", 20))
    ['groot: value 10 → 20']
    """
    out = []
    before = {c.id: c.model_dump() for c in old.criteria}
    for c in new.criteria:
        was = before.pop(c.id, None)
        if was is None:
            out.append(f"{c.id}: nieuw")
            continue
        for key, value in c.model_dump().items():
            if was.get(key) != value:
                out.append(f"{c.id}: {key} {_short(was.get(key))} → {_short(value)}")
    out += [f"{cid}: verwijderd" for cid in before]
    return out


def _short(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return str(value)


def to_yaml(criteria: Criteria) -> str:
    """The criteria set as YAML in the file format of ``criteria/*.yaml``."""
    data = criteria.model_dump(exclude_defaults=True)
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
    data["hard"] = [c.model_dump(exclude_defaults=True) | {"op": c.op, "value": c.value}
                    for c in criteria.hard]
    data["soft"] = [c.model_dump(exclude_defaults=True) for c in criteria.soft]
    data["overrides"] = {
        key: {cid: o.model_dump(exclude_none=True) for cid, o in changes.items()}
        for key, changes in criteria.overrides.items()
    }
    order = ["name", "version", "description", "author", "created", "based_on", "changes",
             "measures", "hard", "soft", "overrides", "capacity"]
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
    if not author.strip():
        raise CriteriaError(f"new criteria set {slug!r}: say who saves it (author)")
    path = Path(directory) / f"{slug}.yaml"
    now = datetime.now(UTC)
    saved = criteria.model_copy(update={
        "name": slug,
        "version": now.strftime("%Y-%m-%d %H:%M"),
        "author": author.strip(),
        "created": now.isoformat(timespec="seconds"),
        "based_on": f"{base.name} versie {base.version}" if base else criteria.based_on,
        "changes": differences(base, criteria) if base else list(criteria.changes),
    })
    text = f"# Saved by {saved.author} on {saved.created} with locscan.\n" + to_yaml(saved)
    parse(yaml.safe_load(text), source=str(path))  # what is written must load again
    Path(directory).mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:  # "x": fail if it exists
            handle.write(text)
    except FileExistsError as exc:
        raise CriteriaError(f"criteria file {path} already exists; choose another name") from exc
    return path


def choices(criteria: Criteria, cid: str, table: pd.DataFrame) -> list[str]:
    """
    Values a class criterion (``in``/``not_in``) can choose from: its own and the measured ones.

    Examples
    --------
    >>> raw = {"name": "t", "version": 1,
    ...        "measures": {"z": {"kind": "dominant_attribute", "layer": "zoning",
    ...                           "field": "class"}},
    ...        "hard": [{"id": "b", "label": "B", "measure": "z", "op": "in",
    ...                  "value": ["Wonen"]}]}
    >>> choices(parse(raw), "b", pd.DataFrame({"z": ["Natuur", None, "Wonen"]}))
    ['Natuur', 'Wonen']
    """
    crit = criteria.criterion(cid)
    own = crit.value if isinstance(crit, HardCriterion) and isinstance(crit.value, list) else []
    measured = table[crit.measure].dropna().unique().tolist() if crit.measure in table else []
    return sorted({str(v) for v in [*own, *measured]})


def reach_m(criteria: Criteria, layer: str = "work_sites") -> float | None:
    """
    The distance (m) within which a hard criterion wants sites from `layer`, if it has one.

    Examples
    --------
    >>> raw = {"name": "t", "version": 1,
    ...        "measures": {"d": {"kind": "distance_to", "layer": "work_sites"}},
    ...        "hard": [{"id": "w", "label": "W", "measure": "d", "op": "<=", "value": 15,
    ...                  "unit": "km"}]}
    >>> reach_m(parse(raw))
    15000.0
    """
    for crit in criteria.hard:
        spec = criteria.measures[crit.measure]
        if spec.kind == "distance_to" and spec.layer == layer and crit.op in ("<", "<="):
            return _native(crit.value, crit.unit, spec.value_unit)
    return None
