"""A region's metadata: ``region.yaml`` (its gemeenten, subregios, task, norms and areas).

``region.yaml`` lists the municipalities with their CBS code and subregio (and, if the region
knows them, the other areas they lie in: a province, an arbeidsmarktregio), the task per
subregio and the policy norms. :class:`locscan.region.Region` holds it with the layers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from locscan import config
from locscan.errors import RegionError

__all__ = ["Gemeenten", "Municipality", "Norms", "RegionMeta", "SubregioTask", "load_meta"]


#: a choice of gemeenten: one (name or CBS code) or several (an area: a province, say)
Gemeenten = str | tuple[str, ...]


class Municipality(BaseModel):
    """A municipality (gemeente) of the region."""

    model_config = ConfigDict(extra="forbid")

    code: str
    name: str
    subregio: str
    subregio_settled: bool = True
    note: str = ""
    centre: tuple[float, float] | None = None
    area_km2: float | None = None
    #: the areas it lies in, by kind (``{provincie: Gelderland, arbeidsmarktregio: ...}``)
    areas: dict[str, str] = {}


class SubregioTask(BaseModel):
    """
    International workers working in a subregio, by length of stay, and those living there.

    ``source`` says where the figures come from; ``note`` what a user must know when applying
    them (shown wherever the task is shown), such as a gemeente that has left the region since.
    """

    model_config = ConfigDict(extra="forbid")

    short_stay: int
    mid_stay: int
    long_stay: int
    total_working: int
    living_there: int
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _total_adds_up(self) -> SubregioTask:
        parts = self.short_stay + self.mid_stay + self.long_stay
        if parts != self.total_working:
            raise ValueError(
                f"short_stay + mid_stay + long_stay = {parts}, but total_working = "
                f"{self.total_working}"
            )
        return self


class Norms(BaseModel):
    """
    The region's policy norms (``norms:`` in ``region.yaml``); every one is required.

    Attributes
    ----------
    temporary_share
        Share of the task that is temporary workers (GMR: 0.75).
    max_distance_to_work_m
        Workers are housed at most this far from their work (GMR: 15 km).
    m2_per_worker, bedroom_m2_per_worker
        Roemernorm: living area and bedroom area per worker.
    manager_above_residents
        More residents than this need a 24/7 manager on site (Roemernorm: 100).
    live_in_work_municipality_min, live_elsewhere_in_subregio_max, live_elsewhere_max
        Where workers live: at least this share in the gemeente where they work, at most these
        shares elsewhere in the subregio and further away (GMR: 80/10/10).
    outside_core
        Sites lie outside the village cores (a criterion expresses it; recorded here).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    temporary_share: float = Field(gt=0, le=1)
    max_distance_to_work_m: float = Field(gt=0)
    m2_per_worker: float = Field(gt=0)
    bedroom_m2_per_worker: float = Field(gt=0)
    manager_above_residents: int = Field(gt=0)
    live_in_work_municipality_min: float = Field(ge=0, le=1)
    live_elsewhere_in_subregio_max: float = Field(ge=0, le=1)
    live_elsewhere_max: float = Field(ge=0, le=1)
    outside_core: bool = True


class RegionMeta(BaseModel):
    """The contents of ``region.yaml``."""

    model_config = ConfigDict(extra="forbid")

    name: str
    label: str
    id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
    demo: bool = False
    #: scan in parts, holding no shapes in memory (a province or the country)
    in_parts: bool = False
    crs: str = "EPSG:28992"
    subregios: dict[str, SubregioTask]
    growth_2030: dict[str, int] = {}
    norms: Norms | None = None
    municipalities: list[Municipality]
    #: kinds of area a gemeente can lie in, beside its subregio (``provincie``,
    #: ``arbeidsmarktregio``): the app and the command line narrow the region to one such area
    area_kinds: list[str] = []
    _source: str = PrivateAttr("region.yaml")

    @model_validator(mode="after")
    def _consistent(self) -> RegionMeta:
        codes = [m.code for m in self.municipalities]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"municipality codes listed twice: {', '.join(dupes)}")
        unknown = sorted({m.subregio for m in self.municipalities} - set(self.subregios))
        if unknown:
            raise ValueError(
                f"municipalities name subregio(s) {', '.join(unknown)} that are not under "
                f"'subregios' ({', '.join(self.subregios)})"
            )
        for m in self.municipalities:
            unknown = sorted(set(m.areas) - set(self.area_kinds))
            if unknown:
                raise ValueError(
                    f"municipality {m.code} ({m.name}) lies in areas of kind(s) "
                    f"{', '.join(unknown)} that are not under 'area_kinds' "
                    f"({', '.join(self.area_kinds) or 'none'})")
            empty = sorted(kind for kind, name in m.areas.items() if not name.strip())
            if empty:
                raise ValueError(f"municipality {m.code} ({m.name}): empty area name for "
                                 f"{', '.join(empty)}")
        return self

    def required_norms(self, needed_for: str) -> Norms:
        """
        The region's norms; raise when ``region.yaml`` has none.

        Raises
        ------
        RegionError
            Naming the file, the missing section and what needs it.
        """
        if self.norms is None:
            keys = ", ".join(k for k in Norms.model_fields if k != "outside_core")
            raise RegionError(f"region metadata {self._source}: no 'norms' section; "
                              f"{needed_for} need {keys}")
        return self.norms

    def municipality(self, key: str) -> Municipality:
        """Return the municipality whose code or name is `key` (case-insensitive)."""
        for m in self.municipalities:
            if key.casefold() in (m.code.casefold(), m.name.casefold()):
                return m
        names = ", ".join(m.name for m in self.municipalities)
        raise RegionError(f"region {self.name!r}: no gemeente {key!r}; known: {names}")

    def codes(self, subregio: str | None = None,
              gemeente: str | Sequence[str] | None = None) -> list[str]:
        """
        CBS codes of the gemeenten in a subregio and/or of `gemeente`.

        `gemeente` is one gemeente (name or code) or several (an area, see :meth:`area`).
        """
        if isinstance(gemeente, str) and gemeente:
            return [self.municipality(gemeente).code]
        sub = self.subregio(subregio) if subregio else None
        among = None if not gemeente else {self.municipality(g).code for g in gemeente}
        return [m.code for m in self.municipalities
                if sub in (None, m.subregio) and (among is None or m.code in among)]

    def area_names(self, kind: str, among: Sequence[Municipality] | None = None) -> list[str]:
        """
        The areas of `kind` the region's gemeenten (or those `among` them) lie in, sorted.

        Examples
        --------
        >>> meta = RegionMeta(name="t", label="t", area_kinds=["provincie"], subregios={
        ...     "S": SubregioTask(short_stay=1, mid_stay=0, long_stay=0, total_working=1,
        ...                       living_there=0)}, municipalities=[
        ...     Municipality(code="GM1", name="A", subregio="S", areas={"provincie": "Utrecht"}),
        ...     Municipality(code="GM2", name="B", subregio="S", areas={"provincie": "Gelderland"}),
        ...     Municipality(code="GM3", name="C", subregio="S")])
        >>> meta.area_names("provincie")
        ['Gelderland', 'Utrecht']
        >>> meta.area_names("provincie", meta.municipalities[:1])
        ['Utrecht']
        >>> meta.area("provincie", "utrecht")
        ['GM1']
        """
        among = self.municipalities if among is None else among
        return sorted({m.areas[kind] for m in among if kind in m.areas})

    def area(self, kind: str, name: str) -> list[str]:
        """
        CBS codes of the gemeenten in the area `name` (case-insensitive) of `kind`.

        Raises
        ------
        RegionError
            For a kind the region does not know, or an area none of its gemeenten lies in
            (the message lists those it has).
        """
        kinds = {k.casefold(): k for k in self.area_kinds}
        if kind.casefold() not in kinds:
            raise RegionError(f"region {self.name!r}: no kind of area {kind!r}; known: "
                              f"{', '.join(self.area_kinds) or 'none (area_kinds in region.yaml)'}")
        kind = kinds[kind.casefold()]
        codes = [m.code for m in self.municipalities
                 if m.areas.get(kind, "").casefold() == name.casefold()]
        if not codes:
            raise RegionError(f"region {self.name!r}: no {kind} {name!r}; known: "
                              f"{', '.join(self.area_names(kind))}")
        return codes

    def subregio(self, key: str) -> str:
        """Return the subregio named `key` (case-insensitive), as spelled in the metadata."""
        for name in self.subregios:
            if name.casefold() == key.casefold():
                return name
        raise RegionError(
            f"region {self.name!r}: no subregio {key!r}; known: {', '.join(self.subregios)}"
        )


def load_meta(path: str | os.PathLike) -> RegionMeta:
    """
    Read and validate a region's metadata file.

    Raises
    ------
    RegionError
        When the file is missing or invalid; the message names the file, the key and the line.
    """
    meta = config.load(RegionMeta, path, what="region metadata", error=RegionError)
    meta._source = str(path)
    return meta
