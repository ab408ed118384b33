"""Built-in reference data used when the official files are not loaded.

A handful of real 2024 QPV (ANCT codes), each with one of its communes, a postcode of that commune and the
commune's centroid: enough to run the demo and the eligibility flow without ../shared/data. Also the 45 CPV
divisions (French and English labels) and the 101 departments with their names and regions.
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


class FallbackCpv(NamedTuple):
    code: str
    label_fr: str
    label_en: str


# The 45 CPV divisions (Regulation (EC) 213/2008) with their official French and English labels.
CPV_DIVISIONS_FALLBACK: tuple[FallbackCpv, ...] = (
    FallbackCpv('03000000-1', "Produits agricoles, de l'élevage, de la pêche, de la sylviculture et produits connexes", 'Agricultural, farming, fishing, forestry and related products'),
    FallbackCpv('09000000-3', "Produits pétroliers, combustibles, électricité et autres sources d'énergie", 'Petroleum products, fuel, electricity and other sources of energy'),
    FallbackCpv('14000000-1', "Produits d'exploitation des mines, métaux de base et produits connexes", 'Mining, basic metals and related products'),
    FallbackCpv('15000000-8', 'Produits alimentaires, boissons, tabac et produits connexes', 'Food, beverages, tobacco and related products'),
    FallbackCpv('16000000-5', 'Machines agricoles', 'Agricultural machinery'),
    FallbackCpv('18000000-9', 'Vêtements, articles chaussants, bagages et accessoires', 'Clothing, footwear, luggage articles and accessories'),
    FallbackCpv('19000000-6', 'Produits en cuir et textiles, matériaux en plastique et en caoutchouc', 'Leather and textile fabrics, plastic and rubber materials'),
    FallbackCpv('22000000-0', 'Imprimés et produits connexes', 'Printed matter and related products'),
    FallbackCpv('24000000-4', 'Produits chimiques', 'Chemical products'),
    FallbackCpv('30000000-9', 'Machines, matériel et fourniture informatique et de bureau, excepté les meubles et logiciels', 'Office and computing machinery, equipment and supplies except furniture and software packages'),
    FallbackCpv('31000000-6', 'Machines, appareils, équipements et consommables électriques; éclairage', 'Electrical machinery, apparatus, equipment and consumables; lighting'),
    FallbackCpv('32000000-3', 'Équipements et appareils de radio, de télévision, de communication, de télécommunication et équipements connexes', 'Radio, television, communication, telecommunication and related equipment'),
    FallbackCpv('33000000-0', 'Matériels médicaux, pharmaceutiques et produits de soins personnnels', 'Medical equipments, pharmaceuticals and personal care products'),
    FallbackCpv('34000000-7', 'Équipement de transport et produits auxiliaires pour le transport', 'Transport equipment and auxiliary products to transportation'),
    FallbackCpv('35000000-4', "Équipement de sécurité, de lutte contre l'incendie, de police et de défense", 'Security, fire-fighting, police and defence equipment'),
    FallbackCpv('37000000-8', 'Instruments de musique, articles de sport, jeux, jouets, articles pour artisanat, articles pour travaux artistiques et accessoires', 'Musical instruments, sport goods, games, toys, handicraft, art materials and accessories'),
    FallbackCpv('38000000-5', "Équipements de laboratoire, d'optique et de précision (excepté les lunettes)", 'Laboratory, optical and precision equipments (excl. glasses)'),
    FallbackCpv('39000000-2', "Meubles (y compris les meubles de bureau), aménagements, appareils électroménagers (à l'exclusion de l'éclairage) et produits de nettoyage", 'Furniture (incl. office furniture), furnishings, domestic appliances (excl. lighting) and cleaning products'),
    FallbackCpv('41000000-9', 'Eau collectée et purifiée', 'Collected and purified water'),
    FallbackCpv('42000000-6', 'Machines industrielles', 'Industrial machinery'),
    FallbackCpv('43000000-3', "Équipement minier, équipement pour l'exploitation de carrières, matériel de construction", 'Machinery for mining, quarrying, construction equipment'),
    FallbackCpv('44000000-0', "Matériaux et structures de construction; produits auxiliaires pour la construction (à l'exception des appareils électriques)", 'Construction structures and materials; auxiliary products to construction (except electric apparatus)'),
    FallbackCpv('45000000-7', 'Travaux de construction', 'Construction work'),
    FallbackCpv('48000000-8', "Logiciels et systèmes d'information", 'Software package and information systems'),
    FallbackCpv('50000000-5', "Services de réparation et d'entretien", 'Repair and maintenance services'),
    FallbackCpv('51000000-9', "Services d'installation (à l'exception des logiciels)", 'Installation services (except software)'),
    FallbackCpv('55000000-0', "Services d'hôtellerie, de restauration et de commerce au détail", 'Hotel, restaurant and retail trade services'),
    FallbackCpv('60000000-8', "Services de transport (à l'exclusion du transport des déchets)", 'Transport services (excl. Waste transport)'),
    FallbackCpv('63000000-9', "Services d'appui et services auxiliaires dans le domaine des transports, services des agences de voyages", 'Supporting and auxiliary transport services; travel agencies services'),
    FallbackCpv('64000000-6', 'Services des postes et télécommunications', 'Postal and telecommunications services'),
    FallbackCpv('65000000-3', 'Services publics', 'Public utilities'),
    FallbackCpv('66000000-0', "Services financiers et d'assurance", 'Financial and insurance services'),
    FallbackCpv('70000000-1', 'Services immobiliers', 'Real estate services'),
    FallbackCpv('71000000-8', "Services d'architecture, services de construction, services d'ingénierie et services d'inspection", 'Architectural, construction, engineering and inspection services'),
    FallbackCpv('72000000-5', "Services de technologies de l'information, conseil, développement de logiciels, internet et appui", 'IT services: consulting, software development, Internet and support'),
    FallbackCpv('73000000-2', 'Services de recherche et développement et services de conseil connexes', 'Research and development services and related consultancy services'),
    FallbackCpv('75000000-6', "Services de l'administration publique, de la défense et de la sécurité sociale", 'Administration, defence and social security services'),
    FallbackCpv('76000000-3', "Services relatifs à l'industrie du pétrole et du gaz", 'Services related to the oil and gas industry'),
    FallbackCpv('77000000-0', "Services agricoles, sylvicoles, horticoles, d'aquaculture et d'apiculture", 'Agricultural, forestry, horticultural, aquacultural and apicultural services'),
    FallbackCpv('79000000-4', 'Services aux entreprises: droit, marketing, conseil, recrutement, impression et sécurité', 'Business services: law, marketing, consulting, recruitment, printing and security'),
    FallbackCpv('80000000-4', "Services d'enseignement et de formation", 'Education and training services'),
    FallbackCpv('85000000-9', 'Services de santé et services sociaux', 'Health and social work services'),
    FallbackCpv('90000000-7', "Services d'évacuation des eaux usées et d'élimination des déchets, services d'hygiénisation et services relatifs à l'environnement", 'Sewage, refuse, cleaning and environmental services'),
    FallbackCpv('92000000-1', 'Services récréatifs, culturels et sportifs', 'Recreational, cultural and sporting services'),
    FallbackCpv('98000000-3', 'Autres services communautaires, sociaux et personnels', 'Other community, social and personal services'),
)


class Department(NamedTuple):
    code: str
    name: str
    region: str


_ARA = "Auvergne-Rhône-Alpes"
_BFC = "Bourgogne-Franche-Comté"
_BRE = "Bretagne"
_CVL = "Centre-Val de Loire"
_COR = "Corse"
_GES = "Grand Est"
_HDF = "Hauts-de-France"
_IDF = "Île-de-France"
_NOR = "Normandie"
_NAQ = "Nouvelle-Aquitaine"
_OCC = "Occitanie"
_PDL = "Pays de la Loire"
_PAC = "Provence-Alpes-Côte d'Azur"

# The 101 departments (96 metropolitan including 2A/2B, 5 overseas) with their region (2016 regions).
DEPARTMENTS: tuple[Department, ...] = (
    Department("01", "Ain", _ARA),
    Department("02", "Aisne", _HDF),
    Department("03", "Allier", _ARA),
    Department("04", "Alpes-de-Haute-Provence", _PAC),
    Department("05", "Hautes-Alpes", _PAC),
    Department("06", "Alpes-Maritimes", _PAC),
    Department("07", "Ardèche", _ARA),
    Department("08", "Ardennes", _GES),
    Department("09", "Ariège", _OCC),
    Department("10", "Aube", _GES),
    Department("11", "Aude", _OCC),
    Department("12", "Aveyron", _OCC),
    Department("13", "Bouches-du-Rhône", _PAC),
    Department("14", "Calvados", _NOR),
    Department("15", "Cantal", _ARA),
    Department("16", "Charente", _NAQ),
    Department("17", "Charente-Maritime", _NAQ),
    Department("18", "Cher", _CVL),
    Department("19", "Corrèze", _NAQ),
    Department("2A", "Corse-du-Sud", _COR),
    Department("2B", "Haute-Corse", _COR),
    Department("21", "Côte-d'Or", _BFC),
    Department("22", "Côtes-d'Armor", _BRE),
    Department("23", "Creuse", _NAQ),
    Department("24", "Dordogne", _NAQ),
    Department("25", "Doubs", _BFC),
    Department("26", "Drôme", _ARA),
    Department("27", "Eure", _NOR),
    Department("28", "Eure-et-Loir", _CVL),
    Department("29", "Finistère", _BRE),
    Department("30", "Gard", _OCC),
    Department("31", "Haute-Garonne", _OCC),
    Department("32", "Gers", _OCC),
    Department("33", "Gironde", _NAQ),
    Department("34", "Hérault", _OCC),
    Department("35", "Ille-et-Vilaine", _BRE),
    Department("36", "Indre", _CVL),
    Department("37", "Indre-et-Loire", _CVL),
    Department("38", "Isère", _ARA),
    Department("39", "Jura", _BFC),
    Department("40", "Landes", _NAQ),
    Department("41", "Loir-et-Cher", _CVL),
    Department("42", "Loire", _ARA),
    Department("43", "Haute-Loire", _ARA),
    Department("44", "Loire-Atlantique", _PDL),
    Department("45", "Loiret", _CVL),
    Department("46", "Lot", _OCC),
    Department("47", "Lot-et-Garonne", _NAQ),
    Department("48", "Lozère", _OCC),
    Department("49", "Maine-et-Loire", _PDL),
    Department("50", "Manche", _NOR),
    Department("51", "Marne", _GES),
    Department("52", "Haute-Marne", _GES),
    Department("53", "Mayenne", _PDL),
    Department("54", "Meurthe-et-Moselle", _GES),
    Department("55", "Meuse", _GES),
    Department("56", "Morbihan", _BRE),
    Department("57", "Moselle", _GES),
    Department("58", "Nièvre", _BFC),
    Department("59", "Nord", _HDF),
    Department("60", "Oise", _HDF),
    Department("61", "Orne", _NOR),
    Department("62", "Pas-de-Calais", _HDF),
    Department("63", "Puy-de-Dôme", _ARA),
    Department("64", "Pyrénées-Atlantiques", _NAQ),
    Department("65", "Hautes-Pyrénées", _OCC),
    Department("66", "Pyrénées-Orientales", _OCC),
    Department("67", "Bas-Rhin", _GES),
    Department("68", "Haut-Rhin", _GES),
    Department("69", "Rhône", _ARA),
    Department("70", "Haute-Saône", _BFC),
    Department("71", "Saône-et-Loire", _BFC),
    Department("72", "Sarthe", _PDL),
    Department("73", "Savoie", _ARA),
    Department("74", "Haute-Savoie", _ARA),
    Department("75", "Paris", _IDF),
    Department("76", "Seine-Maritime", _NOR),
    Department("77", "Seine-et-Marne", _IDF),
    Department("78", "Yvelines", _IDF),
    Department("79", "Deux-Sèvres", _NAQ),
    Department("80", "Somme", _HDF),
    Department("81", "Tarn", _OCC),
    Department("82", "Tarn-et-Garonne", _OCC),
    Department("83", "Var", _PAC),
    Department("84", "Vaucluse", _PAC),
    Department("85", "Vendée", _PDL),
    Department("86", "Vienne", _NAQ),
    Department("87", "Haute-Vienne", _NAQ),
    Department("88", "Vosges", _GES),
    Department("89", "Yonne", _BFC),
    Department("90", "Territoire de Belfort", _BFC),
    Department("91", "Essonne", _IDF),
    Department("92", "Hauts-de-Seine", _IDF),
    Department("93", "Seine-Saint-Denis", _IDF),
    Department("94", "Val-de-Marne", _IDF),
    Department("95", "Val-d'Oise", _IDF),
    Department("971", "Guadeloupe", "Guadeloupe"),
    Department("972", "Martinique", "Martinique"),
    Department("973", "Guyane", "Guyane"),
    Department("974", "La Réunion", "La Réunion"),
    Department("976", "Mayotte", "Mayotte"),
)
