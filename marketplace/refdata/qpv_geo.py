"""Point-in-QPV look-ups over the loaded contours: shapely geometries in an STRtree, cached per process.

The cache is keyed by the database URL and the checksums of the loaded polygon files, so reloading a file
(or a test building another database) rebuilds it on the next look-up.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import QpvArea
from .qpv_names import is_2015_code


@dataclass(frozen=True)
class AreaHit:
    code: str
    name: str
    department: str
    commune_insee: str
    commune_name: str
    source: str


class PolygonIndex:
    """The contours of one database state; ``locate`` answers in microseconds."""

    def __init__(self, areas: list[AreaHit], geometries: list) -> None:
        from shapely import STRtree

        self.areas = areas
        self.geometries = geometries
        self.departments = frozenset(area.department for area in areas)
        # Departments whose loaded contours are all of the 2015 geography (the only ones published offline).
        self.departments_2015 = self.departments - {area.department for area in areas if not is_2015_code(area.code)}
        self.tree = STRtree(geometries) if geometries else None

    def covers(self, department: str | None) -> bool:
        """Whether contours are loaded for this department (so "no hit" means "not in a QPV")."""
        return bool(department) and department in self.departments

    def is_2015_geography(self, department: str | None) -> bool:
        """Whether this department's contours date from 2015 (the QPV were redrawn in 2024)."""
        return bool(department) and department in self.departments_2015

    def locate(self, lat: float, lon: float) -> AreaHit | None:
        if self.tree is None:
            return None
        from shapely import Point

        point = Point(lon, lat)
        for i in self.tree.query(point, predicate="intersects"):
            return self.areas[int(i)]
        return None


_cache: dict[str, PolygonIndex] = {}
_lock = threading.Lock()


def _key() -> str:
    stamp = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(QpvArea.code), sa.func.min(QpvArea.code)).select_from(QpvArea)
    ).one()
    from .lookups import refdata_version

    return f"{db.engine.url.render_as_string(hide_password=True)}#{refdata_version('qpv_polygons')}#{tuple(stamp)}"


def polygon_index() -> PolygonIndex:
    """The per-process index of the loaded QPV contours (empty when none are loaded)."""
    from shapely.geometry import shape

    key = _key()
    index = _cache.get(key)
    if index is not None:
        return index
    with _lock:
        index = _cache.get(key)
        if index is None:
            areas, geometries = [], []
            for row in db.session.scalars(sa.select(QpvArea).order_by(QpvArea.code)):
                areas.append(
                    AreaHit(row.code, row.name, row.department, row.commune_insee, row.commune_name, row.source)
                )
                geometries.append(shape(json.loads(row.geometry)))
            index = PolygonIndex(areas, geometries)
            _cache.clear()  # one database state per process is enough
            _cache[key] = index
    return index


def locate(lat: float | None, lon: float | None) -> AreaHit | None:
    if lat is None or lon is None:
        return None
    return polygon_index().locate(lat, lon)
