"""The proposal as files: a commented ``layers.yaml``, a ``region.yaml``, and what is missing."""

from __future__ import annotations

from pathlib import Path

import pyogrio
import yaml

from locscan import atomic, settings
from locscan.criteria import Criteria
from locscan.errors import RegionError
from locscan.layers import ROLES
from locscan.region_init.propose import Found, Proposal, imro, one_per_feature

__all__ = ["catalogue_text", "missing_for", "region_text", "write"]


def _entry(found: Found) -> dict:
    entry: dict = {"source": found.file}
    if found.layer:
        entry["layer"] = found.layer
    if found.role not in ("other",) and found.role != "":
        entry["role"] = found.role
    entry |= found.table
    if found.crs is None and not found.table:
        entry["crs"] = "EPSG:28992"
    if found.mapping:
        entry["fields"] = dict(found.mapping)
    if imro(found):
        entry["classes"] = {"class": "imro"}
    if one_per_feature(found):
        entry["values"] = {"capacity": 1}
    return entry


def catalogue_text(proposal: Proposal) -> str:
    """The proposed ``layers.yaml``, with a comment per layer on what was found and is open."""
    lines = ["# Proposed by `locscan region init`: check every layer's role and fields.",
             "# Roles: " + ", ".join(r for r in ROLES if r != "other") + ".", "layers:"]
    for name, found in proposal.layers.items():
        geometry = found.geometry or ("punten uit " + found.table["x_field"] + "/"
                                      + found.table["y_field"] if found.table else "geen")
        lines.append(f"  # {found.file}{' / ' + found.layer if found.layer else ''}: "
                     f"{found.features} objecten, geometrie {geometry}, CRS "
                     f"{found.crs or found.table.get('crs', 'onbekend')}")
        lines += [f"  # LET OP: {note}" for note in found.notes]
        body = yaml.safe_dump({name: _entry(found)}, sort_keys=False, allow_unicode=True)
        lines += ["  " + line for line in body.rstrip().splitlines()]
    return "\n".join(lines) + "\n"


def region_text(proposal: Proposal, name: str) -> str:
    """A ``region.yaml`` to fill in: municipalities from the municipalities layer if any."""
    munis = []
    layer = next((f for f in proposal.layers.values() if f.role == "municipalities"), None)
    if layer is not None and {"code", "name"} <= set(layer.mapping):
        frame = pyogrio.read_dataframe(proposal.folder / layer.file, layer=layer.layer,
                                       columns=[layer.mapping["code"], layer.mapping["name"]],
                                       read_geometry=False)
        munis = [{"code": str(c), "name": str(n), "subregio": "Subregio 1"}
                 for c, n in zip(frame[layer.mapping["code"]], frame[layer.mapping["name"]],
                                 strict=True)]
    data = {
        "name": name, "label": name,
        "subregios": {"Subregio 1": {"short_stay": 0, "mid_stay": 0, "long_stay": 0,
                                     "total_working": 0, "living_there": 0,
                                     "source": "vul in: bron van de opgave"}},
        "norms": {"temporary_share": 0.75, "max_distance_to_work_m": 15000,
                  "m2_per_worker": 15, "bedroom_m2_per_worker": 5.5,
                  "manager_above_residents": 100, "live_in_work_municipality_min": 0.8,
                  "live_elsewhere_in_subregio_max": 0.1, "live_elsewhere_max": 0.1},
        "municipalities": munis,
    }
    head = ("# Proposed by `locscan region init`. Fill in the subregios with their task (the\n"
            "# international workers per subregio and their source), check the norms (the\n"
            "# policy of the region: here the GMR's), and give each municipality its subregio.\n")
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def missing_for(proposal: Proposal, criteria: Criteria) -> list[str]:
    """What the criteria need that the proposal lacks: layers named by measures, and roles."""
    have = set(proposal.layers)
    out = []
    for spec in criteria.used_measures():
        if spec.layer and spec.layer not in have:
            how = ("of zeg 'if_missing: unknown' bij de meting" if spec.if_missing == "error"
                   else "de meting is dan 'onbekend'")
            out.append(f"laag {spec.layer!r} (meting {spec.name!r}) ontbreekt: lever hem aan, "
                       f"{how}")
    roles = {f.role for f in proposal.layers.values()}
    for role in ("parcels", "municipalities", "work_sites"):
        if role not in roles:
            out.append(f"geen laag met rol {role!r} ({ROLES[role].description})")
    return out


def write(proposal: Proposal, name: str) -> list[Path]:
    """
    Write the proposed ``layers.yaml`` and ``region.yaml`` into the folder.

    Never over a file that exists: the proposal then goes to ``*.voorstel.yaml``.
    """
    written = []
    for target, text in ((settings.catalogue_file, catalogue_text(proposal)),
                         (settings.region_file, region_text(proposal, name))):
        path = proposal.folder / target
        if path.exists():
            path = path.with_name(path.stem + ".voorstel.yaml")
            if path.exists():
                raise RegionError(f"region init: {path} exists; move it away first")
        atomic.new_text(path, text)
        written.append(path)
    return written
