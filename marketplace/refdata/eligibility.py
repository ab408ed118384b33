"""QPV eligibility of an address: postcode + commune -> reference point -> QPV.

Decision (documented in docs/refdata.md):
- exact coordinates given by the entrepreneur, contours loaded for the department and the point inside a
  QPV contour -> strong geolocation evidence, still "déclaré, à vérifier" (typed coordinates are the
  entrepreneur's word; an administrator confirms);
- the point is only the commune's reference point (no geocoder offline) -> a contour hit is indicative: the
  QPV is proposed, the status is "déclaré, à vérifier";
- no contours for the area -> the commune's QPV (official list) are offered for declaration, to be verified;
- a declared QPV code must exist in the current list and belong to the supplier's commune.

The contours available offline are those of 2015 (codes ``QP031007``), the list is the 2024 one: a hit in a
contour whose code is not current leads to the current QPV of the same commune whose name matches
(``qpv_names``); with no such QPV the entrepreneur chooses among the commune's current QPV. A 2015 code is
never offered, so never stored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .lookups import CommuneChoice, QpvInfo, commune_for, qpv_by_code, qpv_of_commune
from .qpv_geo import AreaHit, polygon_index
from .qpv_names import is_2015_code, match_current_qpv

# An exact point farther than this from the commune's reference point is refused as inconsistent.
MAX_DISTANCE_KM = 25.0


def is_commune_point(commune: CommuneChoice | None, lat: float | None, lon: float | None) -> bool:
    """Whether (lat, lon) is just the commune's reference point (not an exact address)."""
    if commune is None or lat is None or lon is None or commune.lat is None:
        return lat is None
    return math.isclose(lat, commune.lat, abs_tol=1e-6) and math.isclose(lon, commune.lon, abs_tol=1e-6)


@dataclass
class Eligibility:
    """What the reference data says about one address; ``options`` are the QPV the entrepreneur may declare.

    ``hit`` is the contour the point falls in, as loaded (possibly of 2015); ``current`` is the current QPV it
    leads to (the hit itself when its code is current, else the commune's QPV of the same name, else None).
    """

    commune: CommuneChoice | None
    lat: float | None
    lon: float | None
    exact_point: bool
    contours_loaded: bool
    hit: AreaHit | None
    commune_qpvs: list[QpvInfo] = field(default_factory=list)
    current: QpvInfo | None = None
    contours_2015: bool = False

    @property
    def geolocated(self) -> bool:
        return self.exact_point and self.contours_loaded and self.current is not None

    @property
    def hit_is_outdated(self) -> bool:
        """The point is in a contour whose code is not a current QPV code (a 2015 contour)."""
        return self.hit is not None and (self.current is None or self.current.code != self.hit.code)

    @property
    def options(self) -> list[tuple[str, str]]:
        """(code, label) of the declarable QPV: the commune's, plus the contour's current QPV when another."""
        options = [(q.code, q.label) for q in self.commune_qpvs]
        if self.current is not None and self.current.code not in {code for code, _ in options}:
            options.insert(0, (self.current.code, f"{self.current.label} (contour)"))
        return options

    @property
    def verdict(self) -> str:
        """French sentence shown to the entrepreneur, honest about how reliable it is."""
        if self.commune is None:
            return "Indiquez d'abord le code postal et la commune de votre entreprise."
        if self.contours_loaded and self.hit is not None:
            return self._hit_verdict()
        if self.contours_loaded and self.exact_point:
            verdict = "D'après les coordonnées de votre adresse, votre entreprise n'est pas dans un QPV"
            if self.contours_2015 and self.commune_qpvs:
                return (f"{verdict} (contours de 2015). Les QPV ont été redessinés en 2024 : si votre adresse est "
                        "dans l'un des QPV actuels de la commune, déclarez-le, l'équipe vérifiera.")
            return f"{verdict}."
        if self.commune_qpvs:
            return (
                f"La commune {self.commune.name} compte {len(self.commune_qpvs)} quartier(s) prioritaire(s). "
                "Si votre adresse s'y trouve, déclarez-le : l'équipe le vérifiera."
            )
        return f"La commune {self.commune.name} ne compte aucun quartier prioritaire connu."

    def _hit_verdict(self) -> str:
        contour = "le contour de 2015" if is_2015_code(self.hit.code) else "un ancien contour"
        if self.current is not None:
            where = f"dans le QPV {self.current.code} {self.current.name}"
            if self.exact_point:
                verdict = f"D'après les coordonnées de votre adresse, votre entreprise est {where}."
            else:
                verdict = (f"Le point de référence de votre commune tombe {where}. C'est seulement indicatif : "
                           "sans votre position exacte, votre déclaration sera vérifiée par l'équipe.")
            if self.hit_is_outdated:
                verdict += (f" Le point a été situé dans {contour} du quartier « {self.hit.name} », rattaché au QPV "
                            "actuel de même nom : son périmètre a pu changer, l'équipe vérifiera.")
            return verdict
        subject = ("D'après les coordonnées de votre adresse, votre entreprise est" if self.exact_point
                   else "Le point de référence de votre commune est")
        verdict = (f"{subject} dans {contour} du quartier « {self.hit.name} », qui ne correspond à aucun QPV "
                   f"actuel de {self.commune.name}.")
        if self.commune_qpvs:
            return verdict + " Si votre adresse est dans l'un des QPV actuels de la commune, choisissez-le : " \
                             "l'équipe vérifiera."
        return verdict + " La commune ne compte aucun QPV actuel connu."


def current_qpv_of(hit: AreaHit, commune: CommuneChoice) -> QpvInfo | None:
    """The current QPV a contour leads to: itself when its code is current, else the namesake in its commune."""
    current = qpv_by_code(hit.code)
    if current is not None:
        return current
    communes = [commune.insee, *re.findall(r"\b[0-9][0-9AB][0-9]{3}\b", hit.commune_insee or "")]
    candidates = {q.code: q for insee in dict.fromkeys(communes) for q in qpv_of_commune(insee)}
    match = match_current_qpv(hit.name, [(q.code, q.name) for q in candidates.values()],
                              commune_name=f"{hit.commune_name} {commune.name}")
    return candidates[match.code] if match is not None else None


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
    current = current_qpv_of(hit, commune) if hit is not None else None
    return Eligibility(commune, lat, lon, exact, covered, hit, qpv_of_commune(commune.insee), current,
                       index.is_2015_geography(commune.department))
