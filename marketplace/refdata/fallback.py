"""Built-in reference data used when the official files are not loaded.

A handful of real 2024 QPV (ANCT codes), each with one of its communes, a postcode of that commune and the
commune's centroid: enough to run the demo and the eligibility flow without ../shared/data.
"""

from typing import NamedTuple


class FallbackQpv(NamedTuple):
    code: str
    name: str
    department: str
    commune_insee: str
    commune_name: str
    postcode: str
    lat: float
    lon: float


QPV_FALLBACK: tuple[FallbackQpv, ...] = (
    FallbackQpv("QN09328M", "Franc Moisin - Cosmonautes - Cristino Garcia - Landy", "93", "93066", "Saint-Denis", "93200", 48.9362, 2.3597),
    FallbackQpv("QN09305I", "Quartiers La Muette - Village Parisien", "93", "93008", "Bobigny", "93000", 48.9076, 2.4394),
    FallbackQpv("QN09309M", "Le Plateau - Les Malassis - La Noue", "93", "93048", "Montreuil", "93100", 48.8634, 2.4478),
    FallbackQpv("QN09530M", "Terres de Garges", "95", "95268", "Garges-lès-Gonesse", "95140", 48.9702, 2.4047),
    FallbackQpv("QN09410M", "Colonel Fabien", "94", "94081", "Vitry-sur-Seine", "94400", 48.788, 2.3944),
    FallbackQpv("QN01303I", "Saint Henri", "13", "13055", "Marseille", "13016", 43.2925, 5.4222),
    FallbackQpv("QN06901M", "Monod - Baratin - Cacard", "69", "69266", "Villeurbanne", "69100", 45.7707, 4.8889),
    FallbackQpv("QN05971M", "Secteur Ouest", "59", "59350", "Lille", "59000", 50.6315, 3.0463),
    FallbackQpv("QN06708I", "Hohberg", "67", "67482", "Strasbourg", "67200", 48.5704, 7.7672),
    FallbackQpv("QN03106I", "Pradettes", "31", "31555", "Toulouse", "31500", 43.596, 1.4321),
    FallbackQpv("QN04405M", "Bellevue", "44", "44109", "Nantes", "44000", 47.2322, -1.548),
    FallbackQpv("QN03502M", "Villejean", "35", "35238", "Rennes", "35200", 48.1112, -1.6822),
    FallbackQpv("QN07605I", "Mont Gaillard - Mare Rouge", "76", "76351", "Le Havre", "76600", 49.4984, 0.1413),
    FallbackQpv("QN03404M", "Celleneuve", "34", "34172", "Montpellier", "34000", 43.6135, 3.8691),
    FallbackQpv("QN00601M", "Las Planas - Le Rouret", "06", "06088", "Nice", "06200", 43.7126, 7.239),
    FallbackQpv("QN02102M", "Fontaine D'Ouche", "21", "21231", "Dijon", "21000", 47.3227, 5.0375),
    FallbackQpv("QN08603M", "Bel Air", "86", "86194", "Poitiers", "86000", 46.5831, 0.3599),
    FallbackQpv("QN08701M", "Portes Ferrées", "87", "87085", "Limoges", "87100", 45.8536, 1.2488),
    FallbackQpv("QN06301M", "Saint-Jacques", "63", "63113", "Clermont-Ferrand", "63100", 45.7859, 3.1153),
    FallbackQpv("QN04504M", "Dauphine", "45", "45234", "Orléans", "45100", 47.8701, 1.9196),
    FallbackQpv("QN03705M", "Fontaines", "37", "37261", "Tours", "37200", 47.3987, 0.696),
    FallbackQpv("QN08001M", "Etouvie", "80", "80021", "Amiens", "80090", 49.9002, 2.2899),
    FallbackQpv("QN05718M", "Bellecroix", "57", "57463", "Metz", "57000", 49.1081, 6.1957),
    FallbackQpv("QN05103M", "Croix Rouge", "51", "51454", "Reims", "51100", 49.2517, 4.04),
    FallbackQpv("QN06803M", "Les Coteaux", "68", "68224", "Mulhouse", "68200", 47.749, 7.3256),
    FallbackQpv("QN02502M", "Orchamps-Palente", "25", "25056", "Besançon", "25000", 47.2553, 6.0199),
    FallbackQpv("QN03806M", "Mistral Lys Rouge Camine", "38", "38185", "Grenoble", "38000", 45.182, 5.7214),
    FallbackQpv("QN04211M", "Cotonne Montferré", "42", "42218", "Saint-Étienne", "42100", 45.4266, 4.4177),
    FallbackQpv("QN04901M", "Belle Beille", "49", "49007", "Angers", "49100", 47.4768, -0.5562),
    FallbackQpv("QN03003M", "Pissevin - Valdegour", "30", "30189", "Nîmes", "30000", 43.8446, 4.3476),
    FallbackQpv("QN06602I", "Quartier Saint Assiscle", "66", "66136", "Perpignan", "66000", 42.6965, 2.8986),
    FallbackQpv("QN01401M", "Chemin Vert", "14", "14118", "Caen", "14000", 49.1849, -0.3706),
    FallbackQpv("QN06253M", "Fort Nieulay - Cailloux - Saint-Pierre", "62", "62193", "Calais", "62100", 50.9521, 1.8747),
)
