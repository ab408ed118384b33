"""Intellectual and creative services: communication, design, print, digital, training, events."""

from .types import OfferSpec, Trade

COMMUNICATION = Trade(
    key="communication", label="Communication et marketing", short="Communication", weight=3,
    names=(
        "Agence {brand}", "{brand} Communication", "{initials} Conseil & Com'", "Studio {brand}",
        "Com'{commune}", "{first} {last} Communication",
    ),
    intros=(
        "Agence de communication créée en {year} {a_commune}, nous aidons les organisations à se faire entendre.",
        "[Consultant|Consultante] en communication depuis {years} ans, j'accompagne entreprises et collectivités.",
        "Petite agence indépendante, nous réunissons stratèges, rédacteurs et community managers.",
    ),
    specialities=(
        "Stratégie de communication, plan d'actions et conseil en relations presse.",
        "Animation de réseaux sociaux et création de contenus qui parlent aux habitants.",
        "Campagnes de sensibilisation grand public, de l'idée jusqu'à l'affichage.",
        "Communication interne : journaux, newsletters et événements d'équipe.",
        "Concertation et communication de proximité pour les projets de rénovation urbaine.",
    ),
    clients=(
        "Clients : bailleurs sociaux, directions RSE, associations et start-up.",
        "Nous avons accompagné plusieurs villes dans la communication de leurs projets de quartier.",
        "Nos clients sont des PME, des fondations et des services publics.",
    ),
    stories=(
        "{first} a travaillé en agence parisienne avant de revenir créer la sienne dans son quartier.",
        "L'agence est née en {year} de la rencontre de trois anciens étudiants de la fac voisine.",
    ),
    guarantees=(
        "Un interlocuteur unique, un rétroplanning partagé et des comptes rendus après chaque réunion.",
        "Des messages clairs, en langage simple, testés auprès du public visé.",
        "Tarifs transparents, au forfait ou à la journée.",
    ),
    offers=(
        OfferSpec("Stratégie et conseil en communication",
                  "Diagnostic, stratégie, plan de communication et relations presse.",
                  ("79340000-9", "79416000-3", "79413000-2"),
                  ("communication", "stratégie", "relations presse", "marketing", "conseil")),
        OfferSpec("Réseaux sociaux et contenus",
                  "Animation de comptes, rédaction, vidéos courtes et reporting.",
                  ("79342000-3", "79341400-0"),
                  ("réseaux sociaux", "community management", "contenus", "rédaction")),
        OfferSpec("Concertation et communication de proximité",
                  "Réunions publiques, porte-à-porte, supports pour les habitants.",
                  ("79416000-3", "79311000-7"),
                  ("concertation", "habitants", "rénovation urbaine", "proximité")),
    ),
    labels={"lucie": 0.06, "esus": 0.04},
    wide_area=True,
    revenue_per_head=65_000,
)

GRAPHISME = Trade(
    key="graphisme", label="Graphisme et design", short="Graphisme", weight=3,
    names=(
        "Studio {first}", "{brand} Design", "Atelier Graphique {brand}", "{initials} Création",
        "Pixel {brand}", "{last} Graphiste",
    ),
    intros=(
        "Graphiste indépendant{e} installé{e} {a_commune} depuis {year}, je crée identités visuelles et supports.",
        "Studio de design graphique, nous concevons logos, chartes et supports imprimés ou numériques.",
        "Designer graphique depuis {years} ans, j'aime les projets qui ont du sens.",
    ),
    specialities=(
        "Création de logos et de chartes graphiques complètes.",
        "Mise en page de rapports annuels, de rapports RSE et de plaquettes.",
        "Illustrations, infographies et pictogrammes accessibles.",
        "Signalétique de bâtiments et d'événements.",
        "Conception d'affiches, de flyers et de kits pour les réseaux sociaux.",
    ),
    clients=(
        "J'ai travaillé pour des associations, des start-up et des services municipaux.",
        "Clients : agences de communication, fondations d'entreprise et commerces.",
        "Nous réalisons les rapports d'activité de plusieurs bailleurs et fédérations.",
    ),
    stories=(
        "{first} est diplômé{e} d'une école d'art appliqué et a lancé son studio en {year}.",
        "Autodidacte, {first} a commencé par les affiches des associations du quartier.",
    ),
    guarantees=(
        "Fichiers sources livrés et droits d'utilisation cédés clairement.",
        "Respect des règles d'accessibilité : contrastes, tailles de texte, FALC sur demande.",
        "Trois pistes créatives et deux allers-retours inclus dans chaque devis.",
    ),
    offers=(
        OfferSpec("Identité visuelle et charte graphique",
                  "Logo, charte, déclinaisons papier et numériques.",
                  ("79822500-7",),
                  ("graphisme", "logo", "charte graphique", "identité visuelle", "design")),
        OfferSpec("Mise en page et édition",
                  "Rapports, plaquettes, magazines et documents institutionnels.",
                  ("79822000-2", "79822500-7"),
                  ("mise en page", "rapport annuel", "plaquette", "édition", "PAO")),
        OfferSpec("Illustration et signalétique",
                  "Illustrations, infographies, pictogrammes et signalétique.",
                  ("79822500-7", "34928471-0"),
                  ("illustration", "infographie", "signalétique", "pictogrammes")),
    ),
    labels={"esus": 0.03},
    wide_area=True,
    revenue_per_head=45_000,
)

IMPRESSION = Trade(
    key="impression", label="Impression et reprographie", short="Impression", weight=2,
    names=(
        "Imprimerie {brand}", "{brand} Print", "Copy'{commune}", "{initials} Impression Numérique",
        "Imprimerie du Quartier {dept}", "Encre {brand}",
    ),
    intros=(
        "Imprimerie numérique ouverte en {year} {a_commune}, du flyer à la bâche grand format.",
        "Nous imprimons, façonnons et livrons vos supports en 48 heures.",
        "Imprimeur depuis {years} ans, j'ai repris une imprimerie de quartier en {year}.",
    ),
    specialities=(
        "Flyers, affiches, cartes de visite et brochures en petites et moyennes quantités.",
        "Grand format : bâches, kakémonos, roll-up et adhésifs vitrines.",
        "Reprographie de dossiers, plans et documents de consultation.",
        "Impression textile et objets publicitaires personnalisés.",
        "Façonnage : reliure, pliage, découpe et mise sous pli.",
    ),
    clients=(
        "Clients : mairies, associations, agences de communication et commerçants.",
        "Nous imprimons les supports de plusieurs festivals et salons de la région.",
        "Cabinets d'architectes et entreprises du BTP nous confient leurs plans.",
    ),
    stories=(
        "{first} a démarré avec un simple copieur et une table de découpe en {year}.",
        "L'imprimerie forme des jeunes du quartier au métier de conducteur de machine numérique.",
    ),
    guarantees=(
        "Papiers certifiés PEFC ou recyclés, encres végétales.",
        "Bon à tirer systématique et livraison gratuite dans le département.",
        "Délais express possibles en 24 heures.",
    ),
    offers=(
        OfferSpec("Impression numérique et offset",
                  "Flyers, affiches, brochures, cartes de visite et papeterie.",
                  ("79810000-5", "79811000-2", "22462000-6"),
                  ("impression", "flyers", "affiches", "brochures", "imprimerie")),
        OfferSpec("Grand format et signalétique",
                  "Bâches, kakémonos, roll-up, adhésifs et panneaux.",
                  ("79800000-2", "34928471-0"),
                  ("grand format", "bâche", "kakémono", "roll-up", "adhésif")),
        OfferSpec("Reprographie et façonnage",
                  "Copies, plans, reliure, pliage et mise sous pli.",
                  ("79821000-5", "79823000-9"),
                  ("reprographie", "plans", "reliure", "façonnage")),
    ),
    labels={"iso14001": 0.08, "ecocert": 0.03},
    revenue_per_head=60_000,
)

WEB = Trade(
    key="web", label="Développement web et applications", short="Numérique", weight=3,
    names=(
        "{brand} Digital", "{brand} Web", "Code {brand}", "{initials} Développement",
        "{first} Dev Studio", "Les Codeurs {de_commune}", "{brand} Labs",
    ),
    intros=(
        "[Développeur|Développeuse] web freelance depuis {year}, je conçois des sites rapides, "
        "accessibles et faciles à gérer.",
        "Agence numérique créée {a_commune} en {year}, nous développons sites et applications métiers.",
        "Notre équipe de développeurs, formée en partie dans une école du numérique du quartier, code pour vous.",
    ),
    specialities=(
        "Sites vitrines et institutionnels sous WordPress ou en sur-mesure, conformes au RGAA.",
        "Applications web métiers : gestion de rendez-vous, portails adhérents, outils internes.",
        "Boutiques en ligne pour commerçants et artisans, avec paiement et livraison.",
        "Refonte de sites existants, amélioration des performances et du référencement.",
        "Tierce maintenance applicative et hébergement en France.",
    ),
    clients=(
        "Clients : associations, PME, collectivités et porteurs de projets de l'économie sociale.",
        "Nous maintenons les sites de plusieurs structures publiques et d'une fédération sportive.",
        "J'accompagne artisans et commerçants qui veulent vendre en ligne.",
    ),
    stories=(
        "{first} s'est reconverti{e} dans le développement après une formation intensive en {year}.",
        "[Ancien technicien|Ancienne technicienne] réseau, {first} a fondé l'agence pour recruter les "
        "talents du quartier.",
    ),
    guarantees=(
        "Code documenté et livré, pas d'enfermement propriétaire.",
        "Audit d'accessibilité RGAA et conformité RGPD inclus.",
        "Support réactif et contrat de maintenance à la carte.",
    ),
    offers=(
        OfferSpec("Création de sites internet",
                  "Sites vitrines, institutionnels et boutiques en ligne accessibles.",
                  ("72413000-8", "72212224-5"),
                  ("site internet", "WordPress", "accessibilité", "RGAA", "e-commerce", "web")),
        OfferSpec("Développement d'applications web",
                  "Applications métiers sur mesure, portails, API.",
                  ("72230000-6", "72262000-9", "72421000-7"),
                  ("application web", "développement", "sur mesure", "portail", "API")),
        OfferSpec("Maintenance et hébergement de sites",
                  "Mises à jour, sécurité, sauvegardes et hébergement en France.",
                  ("72415000-2", "72250000-2"),
                  ("maintenance", "hébergement", "sécurité", "sauvegarde")),
    ),
    labels={"esus": 0.03, "lucie": 0.03},
    wide_area=True,
    revenue_per_head=70_000,
)

INFORMATIQUE = Trade(
    key="informatique", label="Maintenance informatique et réseaux", short="Informatique", weight=3,
    names=(
        "{brand} Informatique", "Info Services {commune}", "{initials} IT Solutions", "Réseau {brand}",
        "{first} Assistance Informatique", "PC {brand} {dept}",
    ),
    intros=(
        "[Technicien|Technicienne] informatique depuis {years} ans, j'ai créé mon entreprise de maintenance en {year}.",
        "Nous assurons l'infogérance et le dépannage informatique des TPE et associations {dept_loc}.",
        "Société de services informatiques de proximité, installée {a_commune}.",
    ),
    specialities=(
        "Installation et maintenance de postes de travail, imprimantes et réseaux.",
        "Câblage réseau, Wi-Fi et baies de brassage pour bureaux et écoles.",
        "Assistance aux utilisateurs à distance et sur site, hotline en français.",
        "Sauvegardes, sécurité et migration vers des outils collaboratifs.",
        "Déploiement de parcs informatiques et reconditionnement du matériel ancien.",
    ),
    clients=(
        "Nos clients : cabinets comptables, associations, écoles privées et commerces.",
        "Nous gérons le parc informatique de plusieurs centres sociaux et d'une mairie annexe.",
        "PME du secteur et professions libérales nous confient leur informatique.",
    ),
    stories=(
        "{first} réparait déjà les ordinateurs de tout l'immeuble avant de créer sa société en {year}.",
        "Après un BTS SIO en alternance, {first} s'est lancé{e} à son compte.",
    ),
    guarantees=(
        "Contrat de maintenance avec délai d'intervention garanti.",
        "Techniciens certifiés et respect de la confidentialité des données.",
        "Devis gratuit et audit du parc offert à la signature.",
    ),
    offers=(
        OfferSpec("Maintenance informatique et assistance",
                  "Maintenance du parc, dépannage, hotline et assistance aux utilisateurs.",
                  ("50312000-5", "72253000-3", "72611000-6"),
                  ("maintenance informatique", "dépannage", "hotline", "infogérance", "assistance")),
        OfferSpec("Réseaux et câblage informatique",
                  "Câblage, Wi-Fi, baies, équipements réseau.",
                  ("72700000-7", "45314000-1"),
                  ("réseau", "câblage", "Wi-Fi", "informatique", "baie de brassage")),
        OfferSpec("Déploiement et sauvegarde",
                  "Installation de postes, migration, sauvegarde et sécurité.",
                  ("72250000-2", "72910000-2"),
                  ("déploiement", "sauvegarde", "sécurité informatique", "migration")),
    ),
    labels={"iso9001": 0.03},
    revenue_per_head=62_000,
)

FORMATION = Trade(
    key="formation", label="Formation", short="Formation", weight=3,
    names=(
        "{brand} Formation", "Institut {brand}", "{initials} Compétences", "Cap Emploi {brand}",
        "Former {de_commune}", "{first} {last} Formation",
    ),
    intros=(
        "Organisme de formation créé en {year} {a_commune}, nous formons salariés et demandeurs d'emploi.",
        "[Formateur|Formatrice] depuis {years} ans, j'ai fondé mon organisme pour des formations "
        "concrètes et proches du terrain.",
        "Nous concevons et animons des formations courtes, en présentiel dans vos locaux ou à distance.",
    ),
    specialities=(
        "Français langue étrangère et français à visée professionnelle.",
        "Sauveteur secouriste du travail, gestes et postures, prévention des risques.",
        "Bureautique et compétences numériques de base pour les salariés peu à l'aise avec l'écran.",
        "Management de proximité et prise de parole pour les chefs d'équipe.",
        "Préparation aux métiers en tension : propreté, logistique, restauration.",
    ),
    clients=(
        "Nos stagiaires viennent d'entreprises de propreté, de la logistique et du BTP.",
        "Clients : collectivités, associations d'insertion et grands groupes pour leurs plans de formation.",
        "Nous travaillons avec des centres sociaux, des missions locales et des entreprises du quartier.",
    ),
    stories=(
        "{first} a été [conseiller|conseillère] en insertion pendant {years} ans avant de fonder l'organisme.",
        "L'organisme est né en {year} pour répondre aux besoins de formation des habitants du quartier.",
    ),
    guarantees=(
        "Organisme certifié Qualiopi, formations finançables par les OPCO.",
        "Taux de satisfaction et de réussite publiés chaque année.",
        "Contenus adaptés au niveau de chaque groupe, évaluation avant et après la formation.",
    ),
    offers=(
        OfferSpec("Formations professionnelles",
                  "Formations courtes sur mesure pour salariés et demandeurs d'emploi.",
                  ("80530000-8", "80500000-9"),
                  ("formation", "formation professionnelle", "Qualiopi", "OPCO", "compétences")),
        OfferSpec("Français et compétences de base",
                  "Cours de français, remise à niveau, bureautique et numérique.",
                  ("80580000-3", "80533100-0"),
                  ("français", "FLE", "remise à niveau", "bureautique", "numérique")),
        OfferSpec("Santé et sécurité au travail",
                  "SST, gestes et postures, prévention des risques professionnels.",
                  ("80562000-1", "80550000-4"),
                  ("SST", "secourisme", "gestes et postures", "prévention", "sécurité")),
    ),
    labels={"iso9001": 0.05, "esus": 0.05},
    inclusive=0.2,
    wide_area=True,
    revenue_per_head=60_000,
)

EVENEMENTIEL = Trade(
    key="evenementiel", label="Événementiel", short="Événementiel", weight=3,
    names=(
        "{brand} Events", "{brand} Événements", "{initials} Organisation", "Fête & Co {commune}",
        "Les Rencontres {brand}", "{first} Events {dept}",
    ),
    intros=(
        "Agence événementielle créée en {year}, nous organisons séminaires, soirées et fêtes de quartier.",
        "[Organisateur|Organisatrice] d'événements depuis {years} ans, j'ai lancé mon agence {a_commune}.",
        "Nous prenons en charge vos événements de A à Z : lieu, logistique, animation et traiteur.",
    ),
    specialities=(
        "Organisation de séminaires, conventions et journées portes ouvertes.",
        "Fêtes de quartier, inaugurations et événements de concertation avec les habitants.",
        "Location et installation de matériel : tentes, scènes, sonorisation, mobilier.",
        "Animations : DJ, ateliers pour enfants, jeux et photobooth.",
        "Coordination d'événements écoresponsables et accessibles.",
    ),
    clients=(
        "Clients : directions RSE, collectivités, bailleurs sociaux et associations.",
        "Nous organisons chaque année la fête de plusieurs résidences et des forums de l'emploi.",
        "Des entreprises nous confient leurs soirées de fin d'année et leurs séminaires.",
    ),
    stories=(
        "{first} organisait les fêtes du quartier bénévolement avant d'en faire son métier en {year}.",
        "L'agence fait travailler un réseau de prestataires locaux : traiteurs, artistes, techniciens.",
    ),
    guarantees=(
        "Un chef de projet dédié et un plan de prévention pour chaque événement.",
        "Prestataires locaux privilégiés et bilan carbone de l'événement sur demande.",
        "Assurance responsabilité civile organisateur et respect des règles de sécurité des ERP.",
    ),
    offers=(
        OfferSpec("Organisation d'événements",
                  "Conception et organisation de séminaires, soirées, forums et inaugurations.",
                  ("79952000-2", "79951000-5"),
                  ("événementiel", "séminaire", "organisation", "inauguration", "forum")),
        OfferSpec("Fêtes de quartier et animations",
                  "Fêtes de résidences, animations pour enfants et familles.",
                  ("79954000-6", "92331210-5"),
                  ("fête de quartier", "animation", "enfants", "concertation")),
        OfferSpec("Location de matériel événementiel",
                  "Tentes, scènes, sonorisation et mobilier avec installation.",
                  ("39522530-1", "45237000-7"),
                  ("location", "tente", "scène", "sonorisation", "matériel")),
    ),
    labels={"iso14001": 0.03, "esus": 0.04},
    wide_area=True,
    revenue_per_head=58_000,
)

AUDIOVISUEL = Trade(
    key="audiovisuel", label="Photo et vidéo", short="Image", weight=2,
    names=(
        "{brand} Production", "Studio Images {commune}", "{first} Photographie", "{initials} Films",
        "Regards {brand}", "Focus {brand} {dept}",
    ),
    intros=(
        "Photographe et vidéaste installé{e} {a_commune} depuis {year}.",
        "Société de production audiovisuelle, nous réalisons films institutionnels et reportages.",
        "[Réalisateur|Réalisatrice] depuis {years} ans, je raconte en images les projets d'entreprises "
        "et de territoires.",
    ),
    specialities=(
        "Films institutionnels, portraits de salariés et vidéos de marque employeur.",
        "Reportages photo d'événements, de chantiers et de portraits d'habitants.",
        "Vidéos courtes pour les réseaux sociaux, sous-titrées et accessibles.",
        "Captation de conférences et retransmission en direct.",
        "Prises de vue aériennes par drone avec télépilote certifié.",
    ),
    clients=(
        "Clients : collectivités, bailleurs sociaux, fondations et agences de communication.",
        "Nous avons filmé plusieurs projets de rénovation urbaine de la région.",
        "Entreprises, festivals et associations culturelles nous font confiance.",
    ),
    stories=(
        "{first} a commencé par filmer les matchs et les fêtes du quartier avec un simple téléphone.",
        "Après une école de cinéma, {first} est revenu{e} créer son studio là où [il|elle] a grandi.",
    ),
    guarantees=(
        "Droits à l'image recueillis et cession de droits claire.",
        "Sous-titres et audiodescription sur demande.",
        "Livraison des premiers montages sous une semaine.",
    ),
    offers=(
        OfferSpec("Films institutionnels et reportages vidéo",
                  "Écriture, tournage et montage de films, vidéos courtes et captations.",
                  ("92111000-2", "92111200-4"),
                  ("vidéo", "film institutionnel", "montage", "tournage", "captation")),
        OfferSpec("Reportages photographiques",
                  "Photos d'événements, de chantiers, portraits et photothèques.",
                  ("79961000-8", "79960000-1"),
                  ("photographie", "reportage", "portrait", "événement")),
    ),
    labels={},
    wide_area=True,
    revenue_per_head=50_000,
)

TRADUCTION = Trade(
    key="traduction", label="Traduction et interprétariat", short="Traduction", weight=2,
    names=(
        "{brand} Traduction", "Langues {brand}", "{initials} Interprétariat", "Babel {commune}",
        "{first} {last} Traductions",
    ),
    intros=(
        "[Traducteur|Traductrice] et interprète indépendant{e} depuis {year}, je travaille en français, "
        "arabe et anglais.",
        "Notre réseau de traducteurs couvre plus de vingt langues, dont des langues rares.",
        "Agence de traduction et d'interprétariat créée {a_commune} en {year}.",
    ),
    specialities=(
        "Interprétariat social et médical auprès des services publics et des hôpitaux.",
        "Traduction de documents administratifs, juridiques et techniques.",
        "Rédaction et adaptation de documents en facile à lire et à comprendre (FALC).",
        "Interprétariat de réunions et de conférences, en présentiel ou à distance.",
        "Langues proposées : arabe, bambara, soninké, tamoul, turc, roumain, ourdou, mandarin.",
    ),
    clients=(
        "Clients : CCAS, hôpitaux, bailleurs sociaux et associations d'accès aux droits.",
        "Nous traduisons les documents de plusieurs entreprises et cabinets d'avocats.",
        "Collectivités et organismes de formation font appel à nous pour leurs publics allophones.",
    ),
    stories=(
        "{first} a grandi entre plusieurs langues et en a fait son métier après un master de traduction.",
        "Le réseau est né en {year} de bénévoles qui accompagnaient les voisins dans leurs démarches.",
    ),
    guarantees=(
        "Confidentialité garantie et interprètes formés à la déontologie.",
        "Traductions relues par un second traducteur.",
        "Interprétariat par téléphone disponible dans la journée.",
    ),
    offers=(
        OfferSpec("Traduction de documents",
                  "Traduction de documents administratifs, juridiques et techniques, relecture incluse.",
                  ("79530000-8",),
                  ("traduction", "langues", "documents", "arabe", "anglais")),
        OfferSpec("Interprétariat",
                  "Interprétariat social, médical et de réunion, sur place ou à distance.",
                  ("79540000-1",),
                  ("interprétariat", "interprète", "langues rares", "médiation")),
        OfferSpec("Rédaction en FALC",
                  "Réécriture de documents en langage clair et facile à lire.",
                  ("79552000-8", "79530000-8"),
                  ("FALC", "langage clair", "accessibilité", "rédaction")),
    ),
    labels={"esus": 0.04},
    inclusive=0.15,
    wide_area=True,
    revenue_per_head=45_000,
)

GESTION = Trade(
    key="gestion", label="Comptabilité, secrétariat et services administratifs", short="Gestion", weight=2,
    names=(
        "{brand} Gestion", "Cabinet {last}", "{initials} Secrétariat Services", "Bureau {brand}",
        "Admin {brand} {dept}", "{first} Assistance Administrative",
    ),
    intros=(
        "[Assistant administratif indépendant|Assistante administrative indépendante] depuis {year}, "
        "j'épaule les TPE et les associations.",
        "Cabinet de gestion créé {a_commune} en {year} : comptabilité, paie et secrétariat externalisé.",
        "Nous prenons en charge les tâches administratives pour que vous vous concentriez sur votre métier.",
    ),
    specialities=(
        "Saisie comptable, rapprochements bancaires et préparation du bilan avec votre expert-comptable.",
        "Gestion de la paie et des déclarations sociales pour les petites équipes.",
        "Secrétariat externalisé : accueil téléphonique, agenda, devis et factures.",
        "Montage de dossiers de subventions et de réponses aux appels d'offres.",
        "Numérisation et archivage de documents.",
    ),
    clients=(
        "Clients : artisans, associations, commerçants et jeunes entreprises du quartier.",
        "Nous accompagnons des structures d'insertion dans leur gestion administrative.",
        "Des entreprises plus grandes nous confient des missions ponctuelles de numérisation.",
    ),
    stories=(
        "{first} a été comptable en cabinet pendant {years} ans avant de se mettre à son compte.",
        "L'activité est née en {year} de la demande des entrepreneurs rencontrés à la pépinière.",
    ),
    guarantees=(
        "Confidentialité, outils sécurisés et respect du RGPD.",
        "Tarifs au forfait mensuel, sans engagement de durée.",
        "Un suivi personnalisé et des points réguliers avec chaque client.",
    ),
    offers=(
        OfferSpec("Comptabilité et paie",
                  "Saisie comptable, paie, déclarations sociales et préparation du bilan.",
                  ("79211000-6", "79210000-9"),
                  ("comptabilité", "paie", "déclarations", "gestion", "bilan")),
        OfferSpec("Secrétariat externalisé",
                  "Accueil téléphonique, agenda, facturation et tâches administratives.",
                  ("79552000-8", "79620000-6"),
                  ("secrétariat", "accueil téléphonique", "facturation", "administratif")),
        OfferSpec("Numérisation et archivage",
                  "Numérisation, indexation et archivage de documents.",
                  ("79999000-3",),
                  ("numérisation", "archivage", "scan", "documents")),
    ),
    labels={"esus": 0.03},
    wide_area=True,
    revenue_per_head=50_000,
)

TRADES = (
    COMMUNICATION, GRAPHISME, IMPRESSION, WEB, INFORMATIQUE, FORMATION, EVENEMENTIEL, AUDIOVISUEL, TRADUCTION,
    GESTION,
)
