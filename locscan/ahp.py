"""Weights from pairwise comparisons: the Analytic Hierarchy Process (Saaty).

Each party (a stakeholder or a gemeente) says, for every pair of soft criteria, how much more
important the first is than the second on Saaty's scale (1 equal … 9 extreme; 1/3 means the
second is moderately more important). The weights are the principal eigenvector of the
comparison matrix; its consistency ratio CR = CI / RI, with CI = (λmax − n) / (n − 1) and RI
Saaty's random index, says whether the judgements hang together (CR < 0.10). Several parties are
combined by the geometric mean of their judgements (aggregation of individual judgements), which
keeps the combined matrix reciprocal.

A judgements file (YAML)::

    criteria: [dichtbij_werk, dichtbij_ov, dichtbij_winkels, eigendom]
    parties:
      Duiven:
        - [dichtbij_werk, dichtbij_ov, 3]     # dichtbij_werk moderately more important
        - [dichtbij_ov, eigendom, 1/2]
        ...
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from locscan import config
from locscan.criteria import AhpRecord, Criteria
from locscan.errors import CriteriaError

__all__ = ["RANDOM_INDEX", "Ahp", "Judgements", "aggregate", "load", "priorities", "weigh"]

#: Saaty's random index by matrix size (1980 for n ≤ 10; 2005 for 11–15)
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
                10: 1.49, 11: 1.52, 12: 1.54, 13: 1.56, 14: 1.58, 15: 1.59}


def _value(raw: object) -> float:
    """A judgement: a number or a fraction such as ``1/3``, on Saaty's scale 1/9 … 9."""
    try:
        value = float(Fraction(str(raw).strip()))
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"{raw!r} is not a number or fraction such as 3 or 1/3") from exc
    if not 1 / 9 - 1e-9 <= value <= 9 + 1e-9:
        raise ValueError(f"{raw!r} lies outside Saaty's scale 1/9 … 9")
    return value


class Judgements(BaseModel):
    """The contents of a judgements file: the criteria compared and each party's judgements."""

    model_config = ConfigDict(extra="forbid")

    criteria: list[str]
    parties: dict[str, list[tuple[str, str, float]]]

    @field_validator("parties", mode="before")
    @classmethod
    def _fractions(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        return {party: [(a, b, _value(v)) for a, b, v in rows] if isinstance(rows, list) else rows
                for party, rows in value.items()}

    @model_validator(mode="after")
    def _complete(self) -> Judgements:
        if len(self.criteria) < 2 or len(set(self.criteria)) != len(self.criteria):
            raise ValueError("'criteria' must name at least two different criteria")
        if not self.parties:
            raise ValueError("'parties' is empty: give at least one party's judgements")
        known = set(self.criteria)
        problems = []
        for party, rows in self.parties.items():
            pairs = [frozenset((a, b)) for a, b, _ in rows]
            unknown = sorted({c for a, b, _ in rows for c in (a, b)} - known)
            if unknown:
                problems.append(f"{party}: unknown criteria {', '.join(unknown)}")
            if any(len(p) < 2 for p in pairs):
                problems.append(f"{party}: a criterion compared with itself")
            twice = sorted({" – ".join(sorted(p)) for p in pairs if pairs.count(p) > 1})
            if twice:
                problems.append(f"{party}: pairs judged twice: {'; '.join(twice)}")
            missing = [f"{a} – {b}" for a, b in itertools.combinations(self.criteria, 2)
                       if frozenset((a, b)) not in pairs]
            if missing:
                problems.append(f"{party}: pairs not judged: {'; '.join(missing)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def load(path: str | os.PathLike) -> Judgements:
    """Read and check a judgements file; errors name the file, the party and the pairs."""
    return config.load(Judgements, path, what="judgements file", error=CriteriaError)


def matrix(criteria: list[str], rows: list[tuple[str, str, float]]) -> np.ndarray:
    """
    The reciprocal comparison matrix of one party.

    Examples
    --------
    >>> matrix(["a", "b"], [("b", "a", 3.0)]).tolist()
    [[1.0, 0.3333333333333333], [3.0, 1.0]]
    """
    at = {c: i for i, c in enumerate(criteria)}
    out = np.ones((len(criteria), len(criteria)))
    for a, b, v in rows:
        out[at[a], at[b]], out[at[b], at[a]] = v, 1 / v
    return out


def priorities(m: np.ndarray) -> tuple[np.ndarray, float]:
    """
    Weights (principal eigenvector, summing to 1) and consistency ratio of a comparison matrix.

    Examples
    --------
    >>> w, cr = priorities(np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]))
    >>> np.round(w, 3).tolist(), round(cr, 3)
    ([0.571, 0.286, 0.143], 0.0)
    """
    n = len(m)
    if n > max(RANDOM_INDEX):
        raise CriteriaError(f"AHP: at most {max(RANDOM_INDEX)} criteria can be compared")
    values, vectors = np.linalg.eig(m)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    ri = RANDOM_INDEX[n]
    cr = max(0.0, (values[k].real - n) / (n - 1)) / ri if ri else 0.0
    return w, float(cr)


def aggregate(matrices: list[np.ndarray]) -> np.ndarray:
    """
    The group matrix: the element-wise geometric mean of the parties' matrices.

    Examples
    --------
    >>> aggregate([np.array([[1, 4], [1 / 4, 1]]), np.array([[1, 1], [1, 1]])]).tolist()
    [[1.0, 2.0], [0.5, 1.0]]
    """
    return np.exp(np.mean(np.log(np.stack(matrices)), axis=0))


@dataclass(frozen=True)
class Ahp:
    """
    The weights of every party and of the group.

    Attributes
    ----------
    criteria
        The criteria compared, in order.
    parties
        Per party (and ``"groep"`` for the combination): the weight per criterion, ``CR`` and
        ``consistent`` (CR < 0.10).
    group_matrix
        The combined comparison matrix.
    """

    criteria: list[str]
    parties: pd.DataFrame
    group_matrix: np.ndarray

    @property
    def weights(self) -> dict[str, float]:
        """The group's weights, rounded to 3 decimals."""
        row = self.parties.loc["groep"]
        return {c: round(float(row[c]), 3) for c in self.criteria}

    @property
    def consistency_ratio(self) -> float:
        """The group's consistency ratio."""
        return float(self.parties.loc["groep", "CR"])


def weigh(judgements: Judgements) -> Ahp:
    """Weights and consistency of every party and of the group."""
    crit = judgements.criteria
    mats = {p: matrix(crit, rows) for p, rows in judgements.parties.items()}
    group = aggregate(list(mats.values()))
    rows = {}
    for party, m in [*mats.items(), ("groep", group)]:
        w, cr = priorities(m)
        rows[party] = {**dict(zip(crit, w, strict=True)), "CR": cr, "consistent": cr < 0.10}
    return Ahp(crit, pd.DataFrame.from_dict(rows, orient="index"), group)


def apply(criteria: Criteria, ahp: Ahp) -> Criteria:
    """
    The criteria set with the group's weights on its soft criteria, keeping the matrix.

    Raises
    ------
    CriteriaError
        When a compared criterion is not a soft criterion of the set.
    """
    soft = {c.id for c in criteria.soft}
    unknown = [c for c in ahp.criteria if c not in soft]
    if unknown:
        raise CriteriaError(f"AHP: {', '.join(unknown)} are not soft criteria of "
                            f"{criteria.name!r}; its soft criteria: {', '.join(sorted(soft))}")
    out = criteria
    for cid, w in ahp.weights.items():
        out = out.with_weight(cid, w)
    record = AhpRecord(
        criteria=ahp.criteria,
        matrix=[[round(float(v), 4) for v in row] for row in ahp.group_matrix],
        weights=ahp.weights, consistency_ratio=round(ahp.consistency_ratio, 4),
        parties={p: round(float(r["CR"]), 4) for p, r in ahp.parties.iterrows()
                 if p != "groep"},
    )
    return out.model_copy(update={"ahp": record})
