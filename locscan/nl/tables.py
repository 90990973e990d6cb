"""Dutch tables and short texts for results.

A plan per gemeente, a site's history, the capacity assumptions, spreadsheet headers and the
solver's messages.
"""

from __future__ import annotations

import pandas as pd

from locscan.criteria import Criteria
from locscan.nl.numbers import format_number, format_value
from locscan.nl.words import ASSUMPTIONS, EXTRA_COLUMNS, HISTORY_COLUMNS, PLAN_GEMEENTE_COLUMNS
from locscan.units import UNITS

__all__ = ["assumptions_table", "export_labels", "history_table", "plan_by_gemeente",
           "solver_status"]


def plan_by_gemeente(by_gemeente: pd.DataFrame, names: dict[str, str],
                     norms: tuple[float, float, float]) -> pd.DataFrame:
    """
    A plan's split per work gemeente in Dutch: names, percentages and the norms it cannot meet.

    Examples
    --------
    >>> table = pd.DataFrame({"demand": [100.0], "housed": [100.0], "own": [0.7],
    ...     "subregio": [0.3], "further": [0.0], "binding": ["own subregio"]},
    ...     index=pd.Index(["GM1"], name="gemeente_code"))
    >>> row = plan_by_gemeente(table, {"GM1": "Duiven"}, (0.8, 0.1, 0.1)).iloc[0]
    >>> row.tolist()[:6]
    ['Duiven', '100', '100', '70%', '30%', '0%']
    >>> row["norm niet haalbaar"]
    'eigen gemeente 70% < 80%; elders in subregio 30% > 10%'
    """
    min_own, max_sub, max_fur = norms
    limits = {"own": ("eigen gemeente", "<", min_own), "subregio": ("elders in subregio", ">",
                                                                   max_sub),
              "further": ("verder weg", ">", max_fur)}

    def pct(v: float) -> str:
        return format_value(v, "fraction") if v == v else "–"

    def why(row: pd.Series) -> str:
        return "; ".join(f"{label} {pct(row[k])} {rel} {pct(limit)}"
                         for k, (label, rel, limit) in limits.items()
                         if k in str(row["binding"]).split())

    out = pd.DataFrame({
        "gemeente": [names.get(c, c) for c in by_gemeente.index],
        "demand": by_gemeente["demand"].map(format_number).to_numpy(),
        "housed": by_gemeente["housed"].map(format_number).to_numpy(),
        "own": by_gemeente["own"].map(pct).to_numpy(),
        "subregio": by_gemeente["subregio"].map(pct).to_numpy(),
        "further": by_gemeente["further"].map(pct).to_numpy(),
        "binding": [why(r) for _, r in by_gemeente.iterrows()],
    }, index=by_gemeente.index)
    return out.rename(columns=PLAN_GEMEENTE_COLUMNS)


def export_labels(criteria: Criteria) -> dict[str, str]:
    """
    Dutch spreadsheet headers with units for the measure and criterion columns.

    ``dist_work_m`` becomes "Afstand tot dichtstbijzijnde werklocatie (m)", its extras
    "… – aandeel" or "… – id", and ``c_<criterion>`` the criterion's label with "uitkomst"
    (hard) or "score (0–1)" (soft).
    """
    out: dict[str, str] = {}
    for name, spec in criteria.measures.items():
        label = spec.label or name
        unit = spec.value_unit
        if unit == "fraction":
            out[name] = f"{label} (fractie)"
        elif unit in UNITS and UNITS[unit][2]:
            out[name] = f"{label} ({UNITS[unit][2]})"
        else:
            out[name] = label
        for extra, (word, _) in EXTRA_COLUMNS.items():
            out[f"{name}__{extra}"] = f"{label} – {word}"
        out[f"{name}__id"] = f"{label} – id"
    for c in criteria.hard:
        out[f"c_{c.id}"] = f"{c.label} – uitkomst"
    for c in criteria.soft:
        out[f"c_{c.id}"] = f"{c.label} – score (0–1)"
    return out


def solver_status(message: str) -> str:
    """
    The solver's message in Dutch, for a working group.

    Examples
    --------
    >>> solver_status("Optimization terminated successfully. (HiGHS Status 7: Optimal)")
    'optimale oplossing'
    >>> solver_status("Time limit reached. (HiGHS Status 13: Time limit reached)")
    'tijdslimiet bereikt: de beste oplossing tot dan toe'
    """
    text = message.lower()
    if "optimal" in text:
        return "optimale oplossing"
    if "time limit" in text:
        return "tijdslimiet bereikt: de beste oplossing tot dan toe"
    if "infeasible" in text:
        return "geen oplossing die aan alle voorwaarden voldoet"
    return f"uitkomst van de solver: {message}"


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """
    A shortlist site's history in Dutch: each change as "field: old → new", times local.

    Examples
    --------
    >>> h = pd.DataFrame({"id": [1], "region": ["r"], "candidate_id": ["p"], "version": [2],
    ...     "action": ["gewijzigd"], "changes": [{"note": ["", "gebeld"], "capacity": [None, 8]}],
    ...     "changed_by": ["Anna"], "changed_at": [pd.Timestamp("2026-11-30 20:00", tz="UTC")]})
    >>> history_table(h).iloc[0].tolist()[1:]
    ['gewijzigd', 'notitie: – → gebeld; capaciteit: onbekend → 8', 'Anna', '30-11-2026 21:00']
    """
    words = {"status": "status", "note": "notitie", "capacity": "capaciteit"}

    def shown(field: str, value: object) -> str:
        if value is None:
            return "onbekend" if field == "capacity" else "–"
        return str(value) if value != "" else "–"

    def changes(c: dict) -> str:
        return "; ".join(f"{words.get(k, k)}: {shown(k, old)} → {shown(k, new)}"
                         for k, (old, new) in (c or {}).items())

    when = pd.to_datetime(history["changed_at"], utc=True).dt.tz_convert("Europe/Amsterdam")
    out = pd.DataFrame({"version": history["version"], "action": history["action"],
                        "changes": history["changes"].map(changes),
                        "changed_by": history["changed_by"],
                        "changed_at": when.dt.strftime("%d-%m-%Y %H:%M")})
    return out.rename(columns=HISTORY_COLUMNS)


def assumptions_table(assumptions: object) -> pd.DataFrame:
    """The capacity assumptions with Dutch names and values ("onbekend" where not set)."""
    values = assumptions.model_dump()
    rows = [(ASSUMPTIONS.get(k, k), "–" if v in (None, {}) else
             (format_number(float(v)) if isinstance(v, int | float) and not isinstance(v, bool)
              else str(v))) for k, v in values.items()]
    return pd.DataFrame(rows, columns=["aanname", "waarde"]).set_index("aanname")
