"""Moving people and goods, and giving things a second life."""

from .types import OfferSpec, Trade

TRANSPORT = Trade(
    key="transport", label="Transport de personnes", short="Transport", weight=3,
    names=(
        "{brand} Mobilité", "Transports {last}", "Navette {commune}", "{initials} VTC & Navettes",
        "Mobil'{brand}", "Trajets {brand} {dept}",
    ),
    intros=(
        "Entreprise de transport de personnes créée en {year}, nous disposons de minibus et de berlines.",
        "[Chauffeur|Conductrice] depuis {years} ans, j'ai lancé ma société de transport {a_commune} en {year}.",
        "Nous transportons salariés, scolaires et personnes à mobilité réduite {dept_loc}.",
    ),
    specialities=(
        "Navettes de salariés entre les gares et les sites d'entreprises, en horaires décalés.",
        "Transport de personnes à mobilité réduite en véhicules aménagés.",
        "Transferts de délégations et de participants pour séminaires et salons.",
        "Transport d'enfants pour les sorties scolaires et les centres de loisirs.",
        "Mise à disposition de véhicules avec chauffeur à l'heure ou à la journée.",
    ),
    clients=(
        "Nos clients : entreprises de logistique, collectivités et organisateurs d'événements.",
        "Nous assurons les navettes de plusieurs sites industriels et d'un hôpital.",
        "Associations, écoles et instituts médico-éducatifs nous confient leurs trajets.",
    ),
    stories=(
        "{first} a commencé avec une seule voiture en {year} ; la flotte compte aujourd'hui plusieurs véhicules.",
        "Tous nos chauffeurs ont été recrutés dans le quartier et formés à l'éco-conduite.",
    ),
    guarantees=(
        "Inscription au registre des transporteurs, véhicules contrôlés et assurés.",
        "Chauffeurs formés à l'accueil des personnes handicapées et aux premiers secours.",
        "Flotte récente, dont une partie en motorisation électrique ou hybride.",
    ),
    offers=(
        OfferSpec("Navettes et transport de salariés",
                  "Navettes régulières ou ponctuelles pour salariés, visiteurs et délégations.",
                  ("60130000-8", "60140000-1"),
                  ("navette", "transport de personnes", "salariés", "minibus", "horaires décalés")),
        OfferSpec("Transport de personnes à mobilité réduite",
                  "Transport adapté en véhicules aménagés, accompagnement de porte à porte.",
                  ("60130000-8",),
                  ("PMR", "transport adapté", "mobilité réduite", "accompagnement")),
        OfferSpec("Location de véhicules avec chauffeur",
                  "Berlines et minibus avec chauffeur pour événements et déplacements professionnels.",
                  ("60170000-0", "60172000-4"),
                  ("chauffeur", "VTC", "minibus", "événement", "transfert")),
    ),
    labels={"iso14001": 0.04, "iso9001": 0.04},
    inclusive=0.1,
    revenue_per_head=50_000,
)

DEMENAGEMENT = Trade(
    key="demenagement", label="Déménagement", short="Déménagement", weight=3,
    names=(
        "{brand} Déménagement", "Déménagements {last}", "Allo Déménagement {commune}", "{initials} Transferts",
        "Cartons {brand}", "Bras Solidaires {dept}",
    ),
    intros=(
        "Entreprise de déménagement créée en {year}, pour les particuliers comme pour les entreprises.",
        "Nous déménageons bureaux, archives et logements {dept_loc} avec nos camions de 20 et 30 m³.",
        "[Déménageur|Déménageuse] depuis {years} ans, j'ai fondé ma société {a_commune} pour travailler à ma façon.",
    ),
    specialities=(
        "Transferts de bureaux le week-end pour ne pas interrompre votre activité.",
        "Déménagements de locataires dans le cadre d'opérations de relogement.",
        "Manutention de mobilier, montage et démontage, mise en place selon plan.",
        "Débarras de caves et de logements, avec tri et don des objets réutilisables.",
        "Transfert d'archives et de matériel informatique, étiquetage et inventaire.",
    ),
    clients=(
        "Nous accompagnons des bailleurs sociaux dans les relogements liés à la rénovation urbaine.",
        "Clients : PME, administrations, écoles et particuliers du quartier.",
        "Nous travaillons pour des collectivités lors des déménagements de services.",
    ),
    stories=(
        "{first} a commencé comme déménageur en intérim puis a acheté son premier camion en {year}.",
        "L'entreprise emploie surtout des jeunes du quartier, formés aux gestes et postures.",
    ),
    guarantees=(
        "Assurance marchandises transportées, devis après visite gratuite.",
        "Matériel de protection fourni : housses, couvertures, cartons renforcés.",
        "Interlocuteur unique et planning détaillé heure par heure pour les transferts d'entreprise.",
    ),
    offers=(
        OfferSpec("Déménagement de bureaux et d'entreprises",
                  "Transfert de postes de travail, mobilier, archives et matériel informatique.",
                  ("98392000-7", "63100000-0"),
                  ("déménagement", "transfert de bureaux", "archives", "manutention", "mobilier")),
        OfferSpec("Déménagement de particuliers et relogements",
                  "Déménagements de logements, notamment dans le cadre d'opérations de relogement.",
                  ("98392000-7", "60100000-9"),
                  ("déménagement", "relogement", "particuliers", "logement")),
        OfferSpec("Débarras et manutention",
                  "Débarras de caves et locaux, manutention de mobilier, tri pour réemploi.",
                  ("63110000-3", "90511000-2"),
                  ("débarras", "manutention", "encombrants", "tri")),
    ),
    labels={"iso14001": 0.03},
    inclusive=0.15,
    revenue_per_head=48_000,
)

LOGISTIQUE = Trade(
    key="logistique", label="Logistique et entreposage", short="Logistique", weight=3,
    names=(
        "{brand} Logistique", "Log'{commune}", "{initials} Logistics", "Entrepôt {brand}",
        "{last} Stockage & Services", "Flux {brand} {dept}",
    ),
    intros=(
        "Prestataire logistique créé en {year}, nous stockons, préparons et expédions vos marchandises.",
        "Nous gérons un entrepôt de 1 200 m² {a_commune}, à proximité des grands axes.",
        "[Logisticien|Logisticienne] de formation, j'ai créé ma société en {year} pour servir les PME de la région.",
    ),
    specialities=(
        "Préparation de commandes, conditionnement et expédition pour les sites de vente en ligne.",
        "Stockage de mobilier, d'archives et de matériel événementiel.",
        "Mise sous pli, routage et envois de colis en nombre.",
        "Gestion des stocks de fournitures et de vêtements de travail pour les entreprises multisites.",
        "Logistique de chantier : réception, stockage et livraison des matériaux au bon moment.",
    ),
    clients=(
        "Clients : marques de vente en ligne, associations et services généraux d'entreprises.",
        "Nous gérons les stocks de kits d'accueil pour une collectivité et deux grands groupes.",
        "Des entreprises du BTP nous confient la logistique de leurs chantiers urbains.",
    ),
    stories=(
        "{first} a été chef de quai pendant {years} ans avant de créer sa propre structure.",
        "L'entreprise forme des habitants aux métiers de la logistique et au CACES.",
    ),
    guarantees=(
        "Entrepôt sécurisé, assuré et sous vidéosurveillance.",
        "Suivi des stocks en ligne et inventaires réguliers.",
        "Préparateurs titulaires du CACES, taux d'erreur suivi chaque mois.",
    ),
    offers=(
        OfferSpec("Stockage et entreposage",
                  "Stockage de marchandises, mobilier, archives et matériel, avec suivi en ligne.",
                  ("63120000-6", "63121100-4"),
                  ("stockage", "entrepôt", "archives", "logistique", "inventaire")),
        OfferSpec("Préparation de commandes et conditionnement",
                  "Picking, conditionnement, mise sous pli et expédition.",
                  ("63100000-0", "79823000-9"),
                  ("préparation de commandes", "conditionnement", "mise sous pli", "expédition")),
        OfferSpec("Logistique de chantier",
                  "Réception, stockage et approvisionnement des chantiers en milieu urbain.",
                  ("63110000-3", "60100000-9"),
                  ("logistique de chantier", "approvisionnement", "manutention", "BTP")),
    ),
    labels={"iso9001": 0.08, "iso14001": 0.05},
    inclusive=0.25,
    revenue_per_head=52_000,
)

COURSIER = Trade(
    key="coursier", label="Coursiers et livraison du dernier kilomètre", short="Livraison", weight=2,
    names=(
        "{brand} Coursiers", "Vélo Express {commune}", "{initials} Livraison", "Cyclo {brand}",
        "Les Coursiers {de_commune}", "Pédale {brand}",
    ),
    intros=(
        "Société de coursiers à vélo cargo créée en {year}, nous livrons {a_commune} sans émission.",
        "Nous assurons la livraison du dernier kilomètre pour commerces, laboratoires et entreprises.",
        "[Coursier|Coursière] depuis {years} ans, j'ai monté ma coopérative de livreurs en {year}.",
    ),
    specialities=(
        "Plis urgents, documents juridiques et échantillons de laboratoire livrés dans l'heure.",
        "Tournées régulières de livraison pour les commerçants du centre-ville.",
        "Vélos cargos à assistance électrique pouvant porter jusqu'à 150 kg.",
        "Distribution de courrier interne entre les sites d'une administration.",
    ),
    clients=(
        "Nos clients : cabinets d'avocats, laboratoires, imprimeries et commerçants.",
        "Nous assurons le courrier interne de plusieurs services municipaux.",
        "Restaurants, épiceries fines et fleuristes nous confient leurs livraisons.",
    ),
    stories=(
        "{first} a quitté les plateformes de livraison pour créer une structure où les coursiers sont salariés.",
        "L'entreprise est née en {year} d'un groupe de livreurs du quartier.",
    ),
    guarantees=(
        "Coursiers salariés et assurés, suivi des courses en temps réel.",
        "Livraison zéro émission, même en centre-ville piéton.",
        "Preuve de livraison photo et signature électronique.",
    ),
    offers=(
        OfferSpec("Coursiers urgents",
                  "Livraison de plis, colis et échantillons dans l'heure en zone urbaine.",
                  ("64120000-3", "60161000-4"),
                  ("coursier", "pli urgent", "colis", "livraison", "vélo cargo")),
        OfferSpec("Tournées et distribution de courrier",
                  "Tournées régulières, courrier interne et livraison du dernier kilomètre.",
                  ("64121100-1", "60160000-7"),
                  ("courrier", "tournée", "dernier kilomètre", "distribution")),
    ),
    labels={"iso14001": 0.05, "esus": 0.05},
    inclusive=0.25,
    revenue_per_head=38_000,
)

REEMPLOI = Trade(
    key="reemploi", label="Réemploi, recyclage et économie circulaire", short="Réemploi", weight=3,
    names=(
        "Recyclerie {brand}", "{brand} Réemploi", "La Ressourcerie {de_commune}", "Seconde Vie {dept}",
        "Les Ateliers du Réemploi {brand}", "Circul'{brand}",
    ),
    intros=(
        "Ressourcerie créée en {year} {a_commune} : nous collectons, réparons et revendons.",
        "Notre structure donne une seconde vie au mobilier, au matériel informatique et aux matériaux.",
        "Acteur de l'économie circulaire depuis {year}, nous aidons les entreprises à réduire leurs déchets.",
        "[Réparateur|Réparatrice] dans l'âme, j'ai lancé en {year} mon activité de collecte et de remise en "
        "état d'objets.",
    ),
    specialities=(
        "Collecte de mobilier de bureau et reconditionnement pour d'autres structures.",
        "Reconditionnement d'ordinateurs avec effacement certifié des données.",
        "Déconstruction sélective et revente de matériaux de réemploi du bâtiment.",
        "Collecte et tri des biodéchets, des cartons et des papiers de bureau.",
        "Ateliers de réparation ouverts aux habitants et aux salariés des entreprises.",
    ),
    clients=(
        "Des grands groupes nous confient leur mobilier lors de leurs déménagements.",
        "Nous travaillons avec des collectivités, des bailleurs et des écoles.",
        "Clients : entreprises du BTP, services généraux et associations.",
    ),
    stories=(
        "{first} a lancé le projet en {year} avec quatre habitants, dans un local prêté par le bailleur.",
        "Chaque année, la ressourcerie détourne plusieurs dizaines de tonnes d'objets de l'enfouissement.",
    ),
    guarantees=(
        "Bilan des tonnages réemployés remis à chaque client pour son reporting RSE.",
        "Traçabilité complète et certificats d'effacement pour le matériel informatique.",
        "Tri en filières agréées pour ce qui ne peut pas être réemployé.",
    ),
    offers=(
        OfferSpec("Collecte et réemploi de mobilier",
                  "Collecte, reconditionnement et redistribution de mobilier de bureau.",
                  ("39130000-2", "90514000-3"),
                  ("réemploi", "mobilier", "reconditionnement", "économie circulaire", "collecte")),
        OfferSpec("Reconditionnement informatique",
                  "Collecte, effacement certifié et reconditionnement d'ordinateurs.",
                  ("50312000-5", "30213000-5"),
                  ("reconditionnement", "ordinateurs", "effacement des données", "DEEE")),
        OfferSpec("Collecte et tri des déchets de bureau",
                  "Collecte sélective des papiers, cartons, biodéchets et petits déchets.",
                  ("90511000-2", "90514000-3"),
                  ("tri des déchets", "recyclage", "biodéchets", "papier", "carton")),
    ),
    labels={"esus": 0.25, "iso14001": 0.05},
    inclusive=0.6,
    revenue_per_head=32_000,
)

TRADES = (TRANSPORT, DEMENAGEMENT, LOGISTIQUE, COURSIER, REEMPLOI)
