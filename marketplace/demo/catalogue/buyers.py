"""Invented buyer organisations (no real brand) and the tender templates they publish."""

from dataclasses import dataclass

from ...models import OrganisationKind

COMPANY = OrganisationKind.COMPANY
PUBLIC = OrganisationKind.PUBLIC
LANDLORD = OrganisationKind.SOCIAL_LANDLORD
ASSOCIATION = OrganisationKind.ASSOCIATION


@dataclass(frozen=True)
class BuyerSpec:
    name: str
    kind: OrganisationKind
    sector: str
    department: str
    city: str
    description: str


BUYERS: tuple[BuyerSpec, ...] = (
    BuyerSpec("Toits de l'Ourcq Habitat", LANDLORD, "Logement social", "93", "Bobigny",
              "Bailleur social de 18 000 logements en Seine-Saint-Denis, engagé dans les achats inclusifs "
              "depuis la signature du PaQte."),
    BuyerSpec("Habitat Métropole Nord", LANDLORD, "Logement social", "59", "Lille",
              "Office public de l'habitat de la métropole lilloise, 25 000 logements et une politique d'achats "
              "responsables tournée vers les entreprises des quartiers."),
    BuyerSpec("Les Toits du Rhône", LANDLORD, "Logement social", "69", "Villeurbanne",
              "Entreprise sociale pour l'habitat présente dans l'agglomération lyonnaise et la vallée du Rhône."),
    BuyerSpec("Logis Provence Méditerranée", LANDLORD, "Logement social", "13", "Marseille",
              "Bailleur social des quartiers nord de Marseille, partenaire des régies de quartier."),
    BuyerSpec("Résidences de l'Estuaire", LANDLORD, "Logement social", "76", "Le Havre",
              "Bailleur social de l'estuaire de la Seine, 9 000 logements et un programme de rénovation urbaine."),
    BuyerSpec("Groupe Énergie Avenir", COMPANY, "Énergie", "92", "Courbevoie",
              "Groupe énergétique national dont la direction des achats consacre une part croissante de ses "
              "dépenses aux entreprises des quartiers prioritaires."),
    BuyerSpec("Banque Coopérative des Territoires", COMPANY, "Banque et assurance", "75", "Paris",
              "Banque coopérative régionale, 300 agences, politique RSE centrée sur l'emploi local."),
    BuyerSpec("Groupe Hôtelier Lumière", COMPANY, "Hôtellerie et tourisme", "69", "Lyon",
              "Groupe de 40 hôtels en France qui référence des fournisseurs locaux pour ses établissements."),
    BuyerSpec("Distribution Alimentaire de l'Ouest", COMPANY, "Grande distribution", "44", "Nantes",
              "Enseigne régionale de supermarchés et d'entrepôts, engagée pour l'insertion dans ses achats."),
    BuyerSpec("Bâtir Demain Construction", COMPANY, "BTP", "94", "Créteil",
              "Entreprise générale du bâtiment qui sous-traite une partie de ses chantiers à des artisans "
              "des quartiers pour remplir ses clauses sociales."),
    BuyerSpec("Mutuelle Santé Solidaire Nord", COMPANY, "Assurance santé", "59", "Lille",
              "Mutuelle régionale de 400 salariés, signataire d'une charte d'achats responsables."),
    BuyerSpec("Aéroservices Méditerranée", COMPANY, "Services aéroportuaires", "06", "Nice",
              "Prestataire de services aéroportuaires qui cherche des partenaires locaux pour ses sites."),
    BuyerSpec("Connect Télécom Services", COMPANY, "Télécommunications", "93", "Saint-Denis",
              "Opérateur de réseaux d'entreprise installé en Seine-Saint-Denis, 1 200 salariés."),
    BuyerSpec("Ville de Saint-Denis", PUBLIC, "Collectivité territoriale", "93", "Saint-Denis",
              "Direction de la commande publique de la ville, attentive aux clauses sociales et aux lots "
              "accessibles aux petites entreprises."),
    BuyerSpec("Ville de Villeurbanne", PUBLIC, "Collectivité territoriale", "69", "Villeurbanne",
              "Service des achats de la ville, qui réserve certains marchés aux structures inclusives."),
    BuyerSpec("Ville de Nantes", PUBLIC, "Collectivité territoriale", "44", "Nantes",
              "Direction de la commande publique, schéma de promotion des achats socialement responsables."),
    BuyerSpec("Département du Val-de-Marne", PUBLIC, "Collectivité territoriale", "94", "Créteil",
              "Direction des achats du département, acheteur de services pour ses collèges et ses crèches."),
    BuyerSpec("Ville de Poitiers", PUBLIC, "Collectivité territoriale", "86", "Poitiers",
              "Ville engagée avec les associations d'entrepreneurs des quartiers pour ouvrir ses marchés."),
    BuyerSpec("Fondation Quartiers Solidaires", ASSOCIATION, "Fondation d'entreprises", "75", "Paris",
              "Fondation qui finance des projets dans les quartiers et organise des rencontres "
              "entre acheteurs et entrepreneurs."),
    BuyerSpec("Fédération Sport et Quartiers", ASSOCIATION, "Sport et jeunesse", "31", "Toulouse",
              "Fédération de clubs sportifs de quartier, organisatrice de tournois et d'événements régionaux."),
)

DEMO_BUYER_NAME = BUYERS[0].name


@dataclass(frozen=True)
class LotSpec:
    title: str
    description: str
    cpv: tuple[str, ...]


@dataclass(frozen=True)
class TenderSpec:
    """A tender template: {n} {city} {a_city} {buyer} {year} are filled by the generator."""

    title: str
    description: str
    cpv: tuple[str, ...]
    kinds: tuple[OrganisationKind, ...]
    budget: tuple[int, int]  # euros, min and max
    lots: tuple[LotSpec, ...] = ()
    n_range: tuple[int, int] = (4, 20)
    labels: tuple[str, ...] = ()  # labels that may be required
    reserved: float = 0.25  # probability of being reserved for inclusive suppliers


TENDERS: tuple[TenderSpec, ...] = (
    TenderSpec(
        "Nettoyage des parties communes de {n} résidences",
        "{buyer} confie l'entretien des halls, escaliers, paliers et ascenseurs de {n} résidences situées "
        "{a_city}, ainsi que la sortie des conteneurs. Les prestations démarrent au 1er janvier {year}.",
        ("90911200-8", "90910000-9"), (LANDLORD,), (150_000, 600_000),
        lots=(
            LotSpec("Résidences du secteur nord", "Entretien courant des parties communes, 3 passages par semaine.",
                    ("90911200-8",)),
            LotSpec("Résidences du secteur centre", "Entretien courant et gestion des locaux poubelles.",
                    ("90911200-8",)),
            LotSpec("Résidences du secteur sud", "Entretien courant des parties communes et des abords.",
                    ("90911200-8",)),
            LotSpec("Vitrerie de l'ensemble des sites", "Nettoyage trimestriel des vitres des halls.",
                    ("90911300-9",)),
            LotSpec("Remise en état des logements vacants", "Nettoyage complet avant relocation.",
                    ("90910000-9",)),
        ),
        n_range=(6, 24), labels=("ecocert",), reserved=0.4,
    ),
    TenderSpec(
        "Entretien des espaces verts des résidences {city}",
        "Entretien des pelouses, haies, massifs et arbres des résidences {a_city}, sans produit "
        "phytosanitaire. Une partie des heures est réservée à l'insertion des habitants.",
        ("77310000-6", "77314000-4"), (LANDLORD, PUBLIC), (60_000, 250_000),
        lots=(
            LotSpec("Tonte et entretien courant", "Tonte, ramassage des feuilles et désherbage manuel.",
                    ("77311000-3", "77312000-0")),
            LotSpec("Taille des haies et arbustes", "Deux tailles par an et évacuation des déchets verts.",
                    ("77340000-5",)),
            LotSpec("Élagage et abattage", "Élagage des arbres d'alignement et abattages ponctuels.",
                    ("77341000-2", "77211400-6")),
            LotSpec("Jardins partagés", "Création et animation de jardins partagés avec les habitants.",
                    ("77300000-3",)),
        ),
        reserved=0.4,
    ),
    TenderSpec(
        "Remise en peinture des halls et cages d'escalier, programme {year}",
        "Travaux de peinture dans {n} cages d'escalier en site occupé : préparation des supports, peinture "
        "des murs, plafonds et garde-corps, signalétique des étages.",
        ("45442110-1", "45442100-8"), (LANDLORD,), (80_000, 400_000),
        lots=(
            LotSpec("Bâtiments A à D", "Peinture des halls et des cages d'escalier des bâtiments A à D.",
                    ("45442110-1",)),
            LotSpec("Bâtiments E à H", "Peinture des halls et des cages d'escalier des bâtiments E à H.",
                    ("45442110-1",)),
            LotSpec("Résidence des Tilleuls", "Peinture et effacement des graffitis.", ("45442110-1", "90690000-0")),
            LotSpec("Signalétique des étages", "Fourniture et pose de la signalétique.", ("34928471-0",)),
        ),
        n_range=(10, 40), labels=("qualibat",),
    ),
    TenderSpec(
        "Marché à bons de commande de petits travaux d'entretien",
        "Petits travaux de réparation et d'entretien dans les logements et les parties communes, sur bons de "
        "commande, avec des délais d'intervention de 24 à 72 heures selon l'urgence.",
        ("50700000-2", "45453000-7"), (LANDLORD, PUBLIC), (200_000, 900_000),
        lots=(
            LotSpec("Plomberie et sanitaires", "Dépannages, fuites, remplacement d'équipements.", ("45330000-9",)),
            LotSpec("Électricité", "Mise en sécurité, éclairage, remplacement d'appareillages.", ("45310000-3",)),
            LotSpec("Menuiserie et serrurerie", "Portes, fenêtres, serrures et contrôle d'accès.",
                    ("45421000-4", "98395000-8")),
            LotSpec("Peinture et revêtements de sols", "Reprises de peinture et de sols.",
                    ("45442100-8", "45432100-5")),
            LotSpec("Maçonnerie", "Petites reprises de maçonnerie et scellements.", ("45262500-6",)),
            LotSpec("Multiservices", "Petits travaux tous corps d'état.", ("45453000-7",)),
        ),
        labels=("qualibat",), reserved=0.2,
    ),
    TenderSpec(
        "Prestations de traiteur pour les événements {year}",
        "{buyer} recherche un ou plusieurs traiteurs pour ses réunions, séminaires et réceptions de l'année "
        "{year}, soit une vingtaine d'événements de 20 à 250 personnes.",
        ("55520000-1", "55523000-2"), (COMPANY, PUBLIC, ASSOCIATION), (30_000, 150_000),
        lots=(
            LotSpec("Petits-déjeuners et pauses", "Viennoiseries, boissons chaudes et fruits.",
                    ("55520000-1", "15813000-0")),
            LotSpec("Cocktails et buffets", "Cocktails dînatoires et buffets froids.", ("55520000-1",)),
            LotSpec("Plateaux-repas", "Plateaux-repas livrés, options végétariennes.", ("55521200-0",)),
        ),
        labels=("bio",), reserved=0.3,
    ),
    TenderSpec(
        "Nettoyage des bureaux du siège et des agences",
        "Entretien quotidien de {n} sites (bureaux, sanitaires, espaces de restauration) en horaires "
        "décalés, avec produits écolabellisés.",
        ("90919200-4", "90910000-9"), (COMPANY,), (100_000, 500_000),
        lots=(
            LotSpec("Siège", "Entretien quotidien du siège.", ("90919200-4",)),
            LotSpec("Agences", "Entretien des agences, deux à cinq passages par semaine.", ("90919200-4",)),
            LotSpec("Vitrerie", "Nettoyage des vitres et vitrines.", ("90911300-9",)),
        ),
        n_range=(3, 15), labels=("ecocert", "iso14001"),
    ),
    TenderSpec(
        "Gardiennage et sécurité des sites",
        "Surveillance humaine des sites de {buyer} {a_city} : gardiennage, rondes de nuit et sécurité "
        "incendie.",
        ("79713000-5", "79714000-2"), (COMPANY, LANDLORD), (120_000, 700_000),
        lots=(
            LotSpec("Gardiennage du siège", "Accueil, filtrage et sécurité incendie SSIAP.",
                    ("79713000-5", "79710000-4")),
            LotSpec("Rondes sur les résidences", "Rondes de nuit et levées de doute.", ("79715000-9",)),
            LotSpec("Sécurité des événements", "Agents pour les événements ponctuels.", ("79710000-4",)),
        ),
        labels=("cnaps",), reserved=0.1,
    ),
    TenderSpec(
        "Organisation de la semaine de la diversité entrepreneuriale",
        "Organisation d'une semaine de rencontres entre acheteurs et entrepreneurs des quartiers {a_city} : "
        "lieux, accueil, rendez-vous d'affaires, restauration et communication.",
        ("79952000-2", "79951000-5"), (ASSOCIATION, PUBLIC, COMPANY), (40_000, 180_000),
        lots=(
            LotSpec("Organisation et logistique", "Lieux, accueil, signalétique et matériel.", ("79952000-2",)),
            LotSpec("Traiteur", "Petits-déjeuners, déjeuners et cocktail de clôture.", ("55520000-1",)),
            LotSpec("Captation photo et vidéo", "Reportage photo et film de synthèse.",
                    ("79961000-8", "92111000-2")),
            LotSpec("Impression des supports", "Programmes, badges, kakémonos.", ("79810000-5",)),
        ),
        reserved=0.5,
    ),
    TenderSpec(
        "Refonte du site internet et mise en accessibilité RGAA",
        "Refonte complète du site de {buyer}, conforme au RGAA, avec un outil de gestion de contenu simple "
        "pour les équipes et une maintenance de trois ans.",
        ("72413000-8", "72212224-5"), (PUBLIC, ASSOCIATION, COMPANY, LANDLORD), (25_000, 120_000),
        lots=(
            LotSpec("Conception et développement", "Ateliers, maquettes, développement.", ("72413000-8",)),
            LotSpec("Audit d'accessibilité", "Audit RGAA et accompagnement.", ("72254000-0",)),
            LotSpec("Maintenance et hébergement", "Maintenance corrective et évolutive.",
                    ("72415000-2", "72250000-2")),
        ),
    ),
    TenderSpec(
        "Maintenance du parc informatique des antennes de proximité",
        "Maintenance de {n} postes de travail, imprimantes et réseaux locaux répartis dans les antennes "
        "de proximité, avec assistance téléphonique aux agents.",
        ("50312000-5", "72253000-3"), (PUBLIC, LANDLORD), (40_000, 200_000), n_range=(40, 250),
    ),
    TenderSpec(
        "Formations aux compétences de base pour les agents",
        "Parcours de formation pour les agents de terrain : français à visée professionnelle, numérique du "
        "quotidien et secourisme, en petits groupes sur les lieux de travail.",
        ("80530000-8", "80500000-9"), (COMPANY, PUBLIC, LANDLORD), (20_000, 120_000),
        lots=(
            LotSpec("Français à visée professionnelle", "Groupes de 8 à 10 agents.", ("80580000-3",)),
            LotSpec("Compétences numériques de base", "Messagerie, démarches en ligne, smartphone.",
                    ("80533100-0",)),
            LotSpec("Sauveteur secouriste du travail", "Formation initiale et recyclage.", ("80562000-1",)),
        ),
    ),
    TenderSpec(
        "Déménagement des services vers le nouveau bâtiment administratif",
        "Transfert de {n} postes de travail, du mobilier et des archives vers le nouveau bâtiment {a_city}, "
        "sur trois week-ends, avec réemploi du mobilier non conservé.",
        ("98392000-7", "63100000-0"), (PUBLIC, COMPANY), (50_000, 250_000),
        lots=(
            LotSpec("Déménagement du mobilier et des archives", "Emballage, transport et mise en place.",
                    ("98392000-7",)),
            LotSpec("Transfert du matériel informatique", "Débranchement, transport et rebranchement.",
                    ("98392000-7", "72611000-6")),
            LotSpec("Réemploi du mobilier non conservé", "Collecte et redistribution à des associations.",
                    ("90514000-3",)),
        ),
        n_range=(80, 400), reserved=0.2,
    ),
    TenderSpec(
        "Collecte et réemploi du mobilier de bureau",
        "Collecte de {n} postes de travail (bureaux, fauteuils, armoires) lors du réaménagement des étages, "
        "avec un bilan des tonnages réemployés pour le rapport extra-financier.",
        ("39130000-2", "90514000-3"), (COMPANY,), (15_000, 60_000), n_range=(100, 600), reserved=0.6,
    ),
    TenderSpec(
        "Confection de tenues de travail brodées pour les gardiens",
        "Confection et marquage de tenues pour {n} gardiens et agents d'entretien, en tissus certifiés, "
        "avec un service de retouches.",
        ("18110000-3", "18100000-0"), (LANDLORD, COMPANY), (20_000, 90_000),
        lots=(
            LotSpec("Tenues d'hiver", "Vestes, pantalons et polaires brodés.", ("18110000-3",)),
            LotSpec("Tenues d'été", "Polos et pantalons légers.", ("18110000-3",)),
            LotSpec("Retouches et entretien", "Ajustements et réparations.", ("50830000-2",)),
        ),
        n_range=(40, 300), reserved=0.5,
    ),
    TenderSpec(
        "Blanchisserie du linge des résidences pour personnes âgées",
        "Collecte, lavage, repassage et livraison du linge plat et des tenues de {n} résidences pour "
        "personnes âgées.",
        ("98310000-9", "98311000-6"), (PUBLIC, ASSOCIATION), (30_000, 150_000), n_range=(2, 8), reserved=0.5,
    ),
    TenderSpec(
        "Traduction et interprétariat pour l'accueil des usagers",
        "Interprétariat sur place et par téléphone dans une vingtaine de langues, traduction de documents "
        "d'information et réécriture en FALC.",
        ("79540000-1", "79530000-8"), (PUBLIC,), (20_000, 100_000),
        lots=(
            LotSpec("Interprétariat sur place et par téléphone", "Interprétariat social et médical.",
                    ("79540000-1",)),
            LotSpec("Traduction de documents", "Documents d'information et formulaires.", ("79530000-8",)),
            LotSpec("Rédaction en FALC", "Réécriture de documents en langage facile.", ("79552000-8",)),
        ),
    ),
    TenderSpec(
        "Impression des supports de communication {year}",
        "Impression des magazines, affiches, flyers et supports grand format de {buyer} pour l'année {year}.",
        ("79810000-5", "79800000-2"), (PUBLIC, COMPANY, LANDLORD), (20_000, 150_000),
        lots=(
            LotSpec("Impression petits formats", "Flyers, affiches, dépliants, cartes.",
                    ("79810000-5", "22462000-6")),
            LotSpec("Grand format et signalétique", "Bâches, kakémonos et adhésifs.", ("79800000-2",)),
        ),
        labels=("iso14001",),
    ),
    TenderSpec(
        "Campagne de sensibilisation au tri des déchets",
        "Conception et déploiement d'une campagne de sensibilisation au tri auprès des habitants de {n} "
        "résidences, avec des animations en pied d'immeuble.",
        ("79341400-0", "79822500-7"), (PUBLIC, LANDLORD), (25_000, 110_000),
        lots=(
            LotSpec("Conception graphique", "Affiches, autocollants, guide du tri illustré.", ("79822500-7",)),
            LotSpec("Animation auprès des habitants", "Porte-à-porte et ateliers.", ("79416000-3",)),
            LotSpec("Impression", "Impression et livraison des supports.", ("79810000-5",)),
        ),
        n_range=(5, 30), reserved=0.3,
    ),
    TenderSpec(
        "Dératisation et désinsectisation du patrimoine",
        "Traitements préventifs et curatifs contre les rongeurs et les insectes dans {n} résidences, "
        "caves, parkings et locaux poubelles.",
        ("90923000-3", "90922000-6"), (LANDLORD,), (40_000, 220_000),
        lots=(
            LotSpec("Dératisation des parties communes", "Postes d'appâtage et suivi.", ("90923000-3",)),
            LotSpec("Traitement des punaises de lit en logement", "Traitements thermiques et suivi.",
                    ("90922000-6",)),
            LotSpec("Nettoyage des vide-ordures", "Curage et désinfection des colonnes.", ("90921000-9",)),
        ),
        n_range=(8, 30),
    ),
    TenderSpec(
        "Transport de personnes à mobilité réduite vers les accueils de jour",
        "Transport quotidien de {n} personnes en situation de handicap entre leur domicile et les accueils "
        "de jour, en véhicules adaptés.",
        ("60130000-8",), (PUBLIC, ASSOCIATION), (60_000, 300_000), n_range=(15, 60), reserved=0.3,
    ),
    TenderSpec(
        "Livraison de plis et colis entre les sites",
        "Tournées quotidiennes de courrier interne et livraisons urgentes entre {n} sites, de préférence "
        "à vélo cargo.",
        ("64120000-3", "64121100-1"), (COMPANY, PUBLIC), (20_000, 90_000), n_range=(4, 20), reserved=0.3,
    ),
    TenderSpec(
        "Reportage photo et vidéo du projet de rénovation urbaine",
        "Suivi en images du projet de rénovation urbaine {a_city} pendant deux ans : reportages de chantier, "
        "portraits d'habitants et film de synthèse.",
        ("92111000-2", "79961000-8"), (LANDLORD, PUBLIC), (15_000, 80_000),
        lots=(
            LotSpec("Reportages photo", "Reportages trimestriels et portraits.", ("79961000-8",)),
            LotSpec("Film de synthèse", "Film de 5 minutes et versions courtes.", ("92111000-2",)),
        ),
    ),
    TenderSpec(
        "Restauration des centres de loisirs pendant les vacances",
        "Préparation et livraison des repas et goûters de {n} centres de loisirs pendant les vacances "
        "scolaires, en liaison froide.",
        ("55523100-3", "55510000-8"), (PUBLIC,), (80_000, 400_000),
        lots=(
            LotSpec("Repas des centres de loisirs", "Déjeuners en liaison froide.", ("55523100-3",)),
            LotSpec("Goûters", "Goûters équilibrés, produits de boulangerie.", ("15812000-3",)),
            LotSpec("Pique-niques des sorties", "Repas froids pour les sorties.", ("55521200-0",)),
        ),
        n_range=(4, 16), labels=("bio",),
    ),
    TenderSpec(
        "Logistique et stockage du matériel événementiel",
        "Stockage, préparation et livraison du matériel des événements de {buyer} (stands, mobilier, "
        "supports) sur l'ensemble de la région.",
        ("63120000-6", "63100000-0"), (COMPANY, ASSOCIATION), (25_000, 120_000), reserved=0.3,
    ),
    TenderSpec(
        "Adaptation de logements au vieillissement",
        "Adaptation de {n} logements occupés par des locataires âgés : remplacement de baignoires par des "
        "douches, barres d'appui, éclairage et accessibilité des entrées.",
        ("45262700-8", "45332400-7"), (LANDLORD,), (100_000, 500_000),
        lots=(
            LotSpec("Salles de bains", "Douches plain-pied, barres d'appui, sanitaires adaptés.",
                    ("45332400-7",)),
            LotSpec("Accessibilité des entrées", "Rampes, portes, mains courantes.", ("45262700-8",)),
            LotSpec("Électricité et éclairage", "Éclairage automatique et prises adaptées.", ("45310000-3",)),
        ),
        n_range=(30, 150), labels=("handibat",),
    ),
)

# Extra sentences appended to tender descriptions.
TENDER_CLAUSES = (
    "Le marché comporte une clause d'insertion de {hours} heures de travail.",
    "Les groupements d'entreprises et la co-traitance sont acceptés.",
    "Une visite des sites est prévue avant la remise des offres.",
    "Les candidatures des entreprises implantées en quartier prioritaire sont encouragées.",
    "Le dossier de consultation est disponible sur demande auprès de la direction des achats.",
    "Les critères d'attribution portent sur le prix, la qualité technique et l'impact social.",
)
