"""The criteria file format: hard and soft criteria, overrides per gemeente, capacity assumptions.

A criteria file declares the measures it uses, hard criteria (measure, operator, value) that a
site must meet, soft criteria (measure, transform, weight) that rank the sites that do,
overrides per gemeente and the assumptions behind capacity. Parsed once into pydantic models;
every check that can be done without the region is done here.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from locscan import config
from locscan.criteria.sections import AhpRecord, Assumptions
from locscan.errors import CriteriaError
from locscan.measures import MeasureSpec
from locscan.nl.numbers import format_number
from locscan.units import UNITS, compatible

__all__ = [
    "Assumptions",
    "Criteria",
    "HardCriterion",
    "Op",
    "Override",
    "SoftCriterion",
]


Op = Literal["<", "<=", ">", ">=", "==", "!=", "in", "not_in", "between"]


_NUMERIC_OPS = {"<", "<=", ">", ">=", "between"}


_LIST_OPS = {"in", "not_in", "between"}


class HardCriterion(BaseModel):
    """
    A criterion every site must meet: ``measure op value``.

    ``range`` (optional, a numeric criterion only): the values the threshold may plausibly
    take, for robustness runs (:mod:`locscan.robustness`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    measure: str
    op: Op
    value: float | str | list[float | str]
    unit: str | None = None
    on_unknown: Literal["fail", "check"] = "fail"
    source: str = ""
    range: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _value_fits_op(self) -> HardCriterion:
        _check_value(self.op, self.value)
        if self.range is not None:
            if self.op not in _NUMERIC_OPS or isinstance(self.value, list):
                raise ValueError(f"'range' needs a single number and one of "
                                 f"{', '.join(sorted(_NUMERIC_OPS))}, not {self.op!r}")
            low, high = self.range
            if not low <= float(self.value) <= high:
                raise ValueError(f"'range' [{low}, {high}] must hold the value {self.value}")
        return self


class SoftCriterion(BaseModel):
    """
    A criterion that adds to the score (0–1 per criterion, weighted).

    ``weight_range`` (optional): the weights the parties might give it, for robustness runs.
    """

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
    weight_range: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _transform_complete(self) -> SoftCriterion:
        if self.weight_range is not None:
            low, high = self.weight_range
            if not 0 <= low <= self.weight <= high or self.weight == 0:
                raise ValueError(f"'weight_range' [{low}, {high}] must hold the weight "
                                 f"{self.weight} (above 0), with 0 ≤ low ≤ high")
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
    ahp
        The pairwise comparisons the weights came from, when set by AHP (:class:`AhpRecord`).
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
    ahp: AhpRecord | None = None

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
        if not self.criteria:
            problems.append("no criteria: add at least one under 'hard' or 'soft'")
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

        A label that states the old value with its unit ("Binnen 15 km van een werklocatie")
        states the new one, so a label never contradicts its norm.

        Raises
        ------
        CriteriaError
            When `cid` is not a hard criterion or the value does not fit its operator.

        Examples
        --------
        >>> raw = {"name": "t", "version": 1, "measures": {"d": {"kind": "distance_to",
        ...        "layer": "w"}}, "hard": [{"id": "w", "label": "Binnen 15 km van werk",
        ...        "measure": "d", "op": "<=", "value": 15, "unit": "km"}]}
        >>> Criteria.model_validate(raw).with_value("w", 12.5).hard[0].label
        'Binnen 12,5 km van werk'
        """
        crit = self.criterion(cid)
        label = crit.label
        if isinstance(crit, HardCriterion) and crit.unit in UNITS and isinstance(
                crit.value, int | float) and isinstance(value, int | float):
            symbol = UNITS[crit.unit][2] or ("%" if crit.unit == "percent" else "")
            if symbol:
                old = re.escape(format_number(float(crit.value)))
                decimals = len(f"{float(value):.3f}".rstrip("0").split(".")[1])
                new = format_number(float(value), min_digits=decimals)  # as typed: 15,099
                label = re.sub(rf"(?<![\d,.]){old}(\s*){re.escape(symbol)}",
                               lambda m: f"{new}{m.group(1)}{symbol}", label)
        return self._replace(cid, HardCriterion, value=value, label=label)

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
