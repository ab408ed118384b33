"""QPV eligibility of an address: postcode + commune -> reference point -> QPV.

Decision (documented in docs/refdata.md):
- exact coordinates given by the entrepreneur, contours loaded for the department and the point inside a
  QPV contour -> strong geolocation evidence, still "déclaré, à vérifier" (typed coordinates are the
  entrepreneur's word; an administrator confirms);
- the point is only the commune's reference point (no geocoder offline) -> a contour hit is indicative: the
  QPV is proposed, the status is "déclaré, à vérifier";
- no contours for the area -> the commune's QPV (official list) are offered for declaration, to be verified;
- a declared QPV code must exist and belong to the supplier's commune.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .lookups import CommuneChoice, QpvInfo, commune_for, qpv_of_commune
from .qpv_geo import AreaHit, polygon_index

# An exact point farther than this from the commune's reference point is refused as inconsistent.
MAX_DISTANCE_KM = 25.0


def is_commune_point(commune: CommuneChoice | None, lat: float | None, lon: float | None) -> bool:
    """Whether (lat, lon) is just the commune's reference point (not an exact address)."""
    if commune is None or lat is None or lon is None or commune.lat is None:
        return lat is None
    return math.isclose(lat, commune.lat, abs_tol=1e-6) and math.isclose(lon, commune.lon, abs_tol=1e-6)


@dataclass
class Eligibility:
    """What the reference data says about one address; ``options`` are the QPV the entrepreneur may declare."""

    commune: CommuneChoice | None
    lat: float | None
    lon: float | None
    exact_point: bool
    contours_loaded: bool
    hit: AreaHit | None
    commune_qpvs: list[QpvInfo] = field(default_factory=list)

    @property
    def geolocated(self) -> bool:
        return self.exact_point and self.contours_loaded and self.hit is not None

    @property
    def options(self) -> list[tuple[str, str]]:
        """(code, label) of the declarable QPV: the commune's, plus the contour hit when it is another code."""
        options = [(q.code, q.label) for q in self.commune_qpvs]
        if self.hit is not None and self.hit.code not in {code for code, _ in options}:
            options.insert(0, (self.hit.code, f"{self.hit.code} - {self.hit.name} (contour)"))
        return options

    @property
    def verdict(self) -> str:
        """French sentence shown to the entrepreneur, honest about how reliable it is."""
        if self.commune is None:
            return "Indiquez d'abord le code postal et la commune de votre entreprise."
        if self.contours_loaded and self.hit is not None:
            where = f"dans le QPV {self.hit.code} {self.hit.name}"
            if self.exact_point:
                return f"D'après les coordonnées de votre adresse, votre entreprise est {where}."
            return (
                f"Le point de référence de votre commune tombe {where}. C'est seulement indicatif : "
                "sans votre position exacte, votre déclaration sera vérifiée par l'équipe."
            )
        if self.contours_loaded and self.exact_point:
            return "D'après les coordonnées de votre adresse, votre entreprise n'est pas dans un QPV."
        if self.commune_qpvs:
            return (
                f"La commune {self.commune.name} compte {len(self.commune_qpvs)} quartier(s) prioritaire(s). "
                "Si votre adresse s'y trouve, déclarez-le : l'équipe le vérifiera."
            )
        return f"La commune {self.commune.name} ne compte aucun quartier prioritaire connu."


def assess(
    postcode: str | None, insee: str | None, lat: float | None, lon: float | None, *, exact: bool | None = None
) -> Eligibility:
    """Assess an address (the postcode must serve the commune).

    ``exact`` says whether (lat, lon) is the company's own position; when unknown it is inferred (a point
    equal to the commune's reference point is not exact).
    """
    commune = commune_for(postcode, insee)
    if commune is None:
        return Eligibility(None, lat, lon, False, False, None, [])
    if exact is None:
        exact = not is_commune_point(commune, lat, lon)
    exact = exact and lat is not None and lon is not None
    if lat is None or lon is None:
        lat, lon = commune.lat, commune.lon
    index = polygon_index()
    covered = index.covers(commune.department)
    hit = index.locate(lat, lon) if covered and lat is not None else None
    return Eligibility(commune, lat, lon, exact, covered, hit, qpv_of_commune(commune.insee))
