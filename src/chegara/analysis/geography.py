"""The border geography shipped with Chegara: countries, border sections, crossing points.

Shipped as data (``data/kg_geography.json``) rather than code so a national centre can check it
against its own border register and so administrators' later edits (kept in the database) start
from a known baseline. Coordinates are approximate, for a schematic map; adjacency says which
sections meet along the border line, which is what Gi* hotspots and displacement need.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

DATA_FILE = "kg_geography.json"


@dataclass(frozen=True)
class CountryData:
    code: str
    name: str
    name_ru: str


@dataclass(frozen=True)
class SectionData:
    code: str
    name_ru: str
    neighbour: str
    oblast: str
    path: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class CrossingPointData:
    code: str
    name: str
    name_ru: str
    section: str
    kind: str
    lon: float
    lat: float
    counterpart: str
    seasonal: bool
    active: bool


@dataclass(frozen=True)
class Geography:
    countries: tuple[CountryData, ...]
    sections: tuple[SectionData, ...]
    adjacency: tuple[tuple[str, str], ...]
    crossing_points: tuple[CrossingPointData, ...]

    def neighbours_of(self, code: str) -> list[str]:
        found = [b for a, b in self.adjacency if a == code]
        found += [a for a, b in self.adjacency if b == code]
        return sorted(found)


def _section(raw: dict[str, Any]) -> SectionData:
    return SectionData(str(raw["code"]), str(raw.get("name_ru", "")), str(raw["neighbour"]),
                       str(raw.get("oblast", "")),
                       tuple((float(lon), float(lat)) for lon, lat in raw["path"]))


def _crossing_point(raw: dict[str, Any]) -> CrossingPointData:
    return CrossingPointData(
        str(raw["code"]), str(raw["name"]), str(raw.get("name_ru", "")), str(raw["section"]),
        str(raw.get("kind", "road")), float(raw["lon"]), float(raw["lat"]),
        str(raw.get("counterpart", "")), bool(raw.get("seasonal", False)),
        bool(raw.get("active", True)))


def parse_geography(data: dict[str, Any]) -> Geography:
    """Check and convert the geography document; ValueError names what is inconsistent."""
    countries = tuple(CountryData(str(c["code"]), str(c["name"]), str(c.get("name_ru", "")))
                      for c in data["countries"])
    sections = tuple(_section(s) for s in data["sections"])
    codes = {s.code for s in sections}
    country_codes = {c.code for c in countries}
    for section in sections:
        if section.neighbour not in country_codes:
            raise ValueError(f"section {section.code!r} borders unknown country "
                             f"{section.neighbour!r}")
        if len(section.path) < 2:
            raise ValueError(f"section {section.code!r} needs at least two path points")
    adjacency = tuple((str(a), str(b)) for a, b in data["adjacency"])
    for a, b in adjacency:
        if a not in codes or b not in codes or a == b:
            raise ValueError(f"adjacency {a!r} - {b!r} names an unknown section")
    points = tuple(_crossing_point(p) for p in data["crossing_points"])
    for point in points:
        if point.section not in codes:
            raise ValueError(f"crossing point {point.code!r} is on unknown section "
                             f"{point.section!r}")
    return Geography(countries, sections, adjacency, points)


def shipped_geography() -> Geography:
    """The Kyrgyz Republic's borders with Kazakhstan, Uzbekistan, Tajikistan and China."""
    text = (resources.files("chegara.analysis") / "data" / DATA_FILE).read_text(
        encoding="utf-8")
    return parse_geography(json.loads(text))
