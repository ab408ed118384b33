"""Services to buildings and people: cleaning, green spaces, security, pest control, laundry, home help."""

from .types import OfferSpec, Trade

NETTOYAGE = Trade(
    key="nettoyage", label="Nettoyage et propreté", short="Propreté", weight=6,
    names=(
        "Nettoyage {brand} {dept}", "{brand} Propreté", "Clean {brand}", "Propreté {commune}",
        "{first} Services Nettoyage", "{initials} Net Services", "Éclat {brand}", "Net'{commune}",
    ),
    intros=(
        "Entreprise de propreté créée en {year} {a_commune}, nous entretenons bureaux, commerces et immeubles.",
        "Nous assurons le nettoyage des parties communes et des locaux professionnels depuis {year}.",
        "Société de nettoyage à taille humaine : une équipe stable, formée et encadrée au quotidien.",
        "[Agent|Agente] de propreté pendant {years} ans, j'ai créé ma micro-entreprise {a_commune} en {year} pour "
        "les commerces et les petits bureaux.",
    ),
    specialities=(
        "Entretien des halls, escaliers et ascenseurs, sortie des conteneurs et nettoyage des locaux poubelles.",
        "Nettoyage de bureaux en horaires décalés, tôt le matin ou après la fermeture.",
        "Nettoyage de vitres jusqu'à 8 mètres avec perche à eau pure, sans nacelle.",
        "Remise en état après travaux ou avant l'arrivée de nouveaux locataires.",
        "Décapage et cristallisation des sols, shampoing de moquettes.",
        "Nous utilisons des produits écolabellisés et des microfibres pour limiter l'eau et la chimie.",
    ),
    clients=(
        "Nous entretenons une soixantaine d'entrées d'immeubles pour des bailleurs sociaux et des syndics.",
        "Nos clients : agences bancaires, cabinets médicaux, crèches et bureaux de PME.",
        "Nous travaillons pour des collectivités (écoles, gymnases) et des entreprises du tertiaire.",
    ),
    stories=(
        "{first} a été agent puis chef d'équipe dans une grande société de propreté avant de créer la sienne.",
        "La société recrute et forme des habitants du quartier, dont beaucoup de femmes en reprise d'emploi.",
    ),
    guarantees=(
        "Contrôles qualité mensuels avec le client et cahier de liaison sur chaque site.",
        "Remplacement garanti des agents absents, sans interruption de service.",
        "Personnel déclaré, formé aux gestes et postures et aux produits, tenue fournie.",
    ),
    offers=(
        OfferSpec("Nettoyage de bureaux et locaux professionnels",
                  "Entretien quotidien ou hebdomadaire de bureaux, sanitaires et espaces de pause.",
                  ("90919200-4", "90910000-9"),
                  ("nettoyage", "bureaux", "entretien", "sanitaires", "propreté")),
        OfferSpec("Entretien des parties communes d'immeubles",
                  "Halls, escaliers, ascenseurs, locaux poubelles et sortie des conteneurs.",
                  ("90911200-8", "90911000-6"),
                  ("parties communes", "immeuble", "hall", "escalier", "conteneurs", "bailleur")),
        OfferSpec("Nettoyage de vitres",
                  "Vitres, baies et vitrines, intérieur et extérieur, avec perche à eau pure.",
                  ("90911300-9",),
                  ("vitres", "vitrerie", "baies vitrées", "vitrines")),
        OfferSpec("Remise en état et nettoyage après travaux",
                  "Nettoyage de fin de chantier, décapage de sols, remise en état de logements.",
                  ("90910000-9", "90911200-8"),
                  ("fin de chantier", "remise en état", "décapage", "logement vacant")),
    ),
    labels={"ecocert": 0.12, "iso14001": 0.06, "lucie": 0.04, "esus": 0.03},
    inclusive=0.22,
    revenue_per_head=32_000,
)

ESPACES_VERTS = Trade(
    key="espaces_verts", label="Espaces verts et paysage", short="Espaces Verts", weight=4,
    names=(
        "{brand} Paysage", "Jardins {commune}", "Les Jardiniers {brand}", "{last} Espaces Verts",
        "Vert {brand} {dept}", "{first} Jardins & Paysages", "Terre {brand}",
    ),
    intros=(
        "Entreprise de paysage créée en {year}, nous entretenons parcs, pieds d'immeubles et jardins.",
        "[Jardinier paysagiste|Jardinière paysagiste] {a_commune}, je travaille seul{e} ou avec deux "
        "saisonniers selon les chantiers.",
        "Nous créons et entretenons les espaces verts des résidences et des entreprises {dept_loc}.",
    ),
    specialities=(
        "Tonte, taille de haies, désherbage sans pesticide et ramassage des feuilles.",
        "Élagage et abattage d'arbres avec grimpeurs certifiés et évacuation des déchets verts.",
        "Création de jardins partagés et de potagers en pied d'immeuble avec les habitants.",
        "Plantations, massifs fleuris et prairies mellifères pour favoriser la biodiversité.",
        "Entretien des aires de jeux, ramassage des dépôts sauvages et propreté des abords.",
    ),
    clients=(
        "Nos clients : bailleurs sociaux, copropriétés, zones d'activités et quelques collectivités.",
        "Nous entretenons les abords de plusieurs résidences sociales et de deux groupes scolaires.",
        "Entreprises, cliniques et maisons de retraite nous confient leurs espaces extérieurs.",
    ),
    stories=(
        "{first} a découvert le métier dans un chantier d'insertion avant de passer un BP aménagements paysagers.",
        "Passionné{e} de botanique depuis l'enfance, {first} a créé l'entreprise en {year}.",
    ),
    guarantees=(
        "Zéro phytosanitaire : désherbage manuel, thermique ou mécanique uniquement.",
        "Déchets verts compostés ou valorisés en plateforme agréée.",
        "Matériel électrique sur batterie pour limiter le bruit en site habité.",
    ),
    offers=(
        OfferSpec("Entretien d'espaces verts",
                  "Tonte, taille, désherbage et entretien courant des espaces extérieurs.",
                  ("77310000-6", "77314000-4", "77311000-3"),
                  ("espaces verts", "tonte", "taille de haies", "désherbage", "entretien")),
        OfferSpec("Élagage et abattage",
                  "Élagage, taille raisonnée et abattage d'arbres, broyage des branches.",
                  ("77340000-5", "77211400-6"),
                  ("élagage", "abattage", "arbres", "taille", "grimpeur")),
        OfferSpec("Aménagement paysager et jardins partagés",
                  "Création de massifs, plantations, potagers collectifs avec les habitants.",
                  ("45112710-5", "77300000-3"),
                  ("paysagisme", "plantation", "jardin partagé", "biodiversité", "potager")),
    ),
    labels={"ecocert": 0.08, "iso14001": 0.05, "esus": 0.06},
    inclusive=0.3,
    revenue_per_head=42_000,
)

SECURITE = Trade(
    key="securite", label="Sécurité et gardiennage", short="Sécurité", weight=3,
    names=(
        "{brand} Sécurité", "Vigilance {commune}", "{initials} Sécurité Privée", "Garde {brand}",
        "Protect {brand} {dept}", "Sentinelle {commune}",
    ),
    intros=(
        "Société de sécurité privée créée en {year}, nous assurons gardiennage, rondes et sécurité événementielle.",
        "Agent de sécurité pendant {years} ans, j'ai fondé ma société {a_commune} en {year}.",
        "Notre entreprise de sécurité met à disposition des agents qualifiés, de jour comme de nuit.",
    ),
    specialities=(
        "Surveillance de sites et de chantiers, rondes de nuit et levées de doute.",
        "Sécurité incendie SSIAP dans les établissements recevant du public.",
        "Accueil et filtrage à l'entrée des bureaux, contrôle des accès.",
        "Sécurisation d'événements : marchés de Noël, concerts de quartier, salons.",
        "Médiation et présence rassurante dans les résidences et les galeries commerciales.",
    ),
    clients=(
        "Nos clients : bailleurs sociaux, centres commerciaux, entreprises du BTP pour leurs chantiers.",
        "Nous sécurisons les manifestations de plusieurs mairies et associations du département.",
        "Clients : sièges d'entreprises, cliniques et résidences étudiantes.",
    ),
    stories=(
        "{first} a recruté ses premiers agents parmi les jeunes du quartier formés au CQP.",
        "[Ancien médiateur|Ancienne médiatrice] de nuit, {first} a voulu une sécurité qui connaît et "
        "respecte les habitants.",
    ),
    guarantees=(
        "Autorisation d'exercer délivrée par le CNAPS, agents titulaires de leur carte professionnelle.",
        "Main courante numérique et rapports d'intervention transmis en temps réel.",
        "Agents formés SST et SSIAP, encadrement joignable 24 h/24.",
    ),
    offers=(
        OfferSpec("Gardiennage et surveillance de sites",
                  "Agents de sécurité, rondes, surveillance de chantiers et de bâtiments.",
                  ("79713000-5", "79714000-2", "79715000-9"),
                  ("gardiennage", "surveillance", "rondes", "agent de sécurité", "chantier")),
        OfferSpec("Sécurité incendie et accueil",
                  "Agents SSIAP, accueil et contrôle d'accès en établissement recevant du public.",
                  ("79710000-4", "79992000-4"),
                  ("SSIAP", "sécurité incendie", "accueil", "contrôle d'accès", "ERP")),
        OfferSpec("Sécurité événementielle",
                  "Sécurisation de manifestations publiques et privées, filtrage, palpation.",
                  ("79710000-4",),
                  ("événementiel", "manifestation", "filtrage", "sécurité")),
    ),
    labels={"cnaps": 0.92, "iso9001": 0.05},
    inclusive=0.05,
    revenue_per_head=38_000,
)

HYGIENE = Trade(
    key="hygiene", label="Hygiène, désinfection et lutte contre les nuisibles", short="Hygiène", weight=2,
    names=(
        "{brand} Hygiène 3D", "Anti-Nuisibles {commune}", "{initials} Dératisation", "Hygiène Services {dept}",
        "Stop Nuisibles {brand}",
    ),
    intros=(
        "Spécialistes de l'hygiène 3D (dératisation, désinsectisation, désinfection) depuis {year}.",
        "[Technicien applicateur certifié|Technicienne applicatrice certifiée], j'ai créé mon "
        "entreprise d'hygiène {a_commune} en {year}.",
        "Nous protégeons logements, commerces et restaurants contre les nuisibles, avec des méthodes raisonnées.",
    ),
    specialities=(
        "Traitement des punaises de lit par la chaleur et le froid, sans produit inutile.",
        "Dératisation des caves, vide-ordures et réseaux, avec suivi des postes d'appâtage.",
        "Désinsectisation des cafards dans les cuisines collectives et les immeubles.",
        "Nettoyage et désinfection des vide-ordures et des locaux poubelles.",
        "Désinfection de locaux après sinistre ou décès, intervention discrète.",
    ),
    clients=(
        "Nos clients : bailleurs sociaux, restaurants, écoles et cuisines centrales.",
        "Nous intervenons dans des centaines de logements chaque année pour des bailleurs et syndics.",
        "Commerces alimentaires, foyers et résidences nous font confiance.",
    ),
    stories=(
        "{first} a travaillé {years} ans dans une grande entreprise du secteur avant de se lancer.",
        "L'entreprise est née en {year} de la demande des gardiens d'immeubles du quartier.",
    ),
    guarantees=(
        "Certificat Certibiocide pour tous nos techniciens, produits homologués.",
        "Rapport d'intervention et plan de suivi remis après chaque passage.",
        "Garantie de résultat sur les traitements punaises de lit, avec second passage inclus.",
    ),
    offers=(
        OfferSpec("Dératisation et désinsectisation",
                  "Lutte contre rats, souris, cafards et punaises de lit en habitat collectif.",
                  ("90923000-3", "90922000-6"),
                  ("dératisation", "désinsectisation", "punaises de lit", "cafards", "nuisibles")),
        OfferSpec("Désinfection et nettoyage des vide-ordures",
                  "Désinfection de locaux, curage et nettoyage des colonnes de vide-ordures.",
                  ("90921000-9", "90900000-6"),
                  ("désinfection", "vide-ordures", "hygiène", "locaux poubelles")),
    ),
    labels={"iso9001": 0.05, "ecocert": 0.04},
    inclusive=0.08,
    revenue_per_head=55_000,
)

BLANCHISSERIE = Trade(
    key="blanchisserie", label="Blanchisserie et pressing", short="Blanchisserie", weight=2,
    names=(
        "Pressing {brand}", "Blanchisserie {commune}", "{first} Pressing & Retouches", "Linge {brand}",
        "{initials} Blanchisserie",
    ),
    intros=(
        "Blanchisserie et pressing de quartier ouverte en {year} {a_commune}, pour particuliers et professionnels.",
        "Nous lavons, repassons et livrons le linge de nos clients professionnels depuis {year}.",
        "Atelier de blanchisserie à taille humaine, avec collecte et livraison {dept_loc}.",
        "[Repasseur|Repasseuse] à domicile devenu{e} blanchisseu[r|se], j'ai ouvert mon petit atelier en {year}.",
    ),
    specialities=(
        "Entretien du linge plat des restaurants, hôtels et salons de coiffure.",
        "Lavage des vêtements de travail et des tenues d'agents, avec marquage et retouches.",
        "Nettoyage à sec, repassage de chemises et traitement des textiles délicats.",
        "Collecte et livraison du linge en triporteur électrique.",
    ),
    clients=(
        "Clients : restaurants, crèches, EHPAD et petites entreprises du bâtiment.",
        "Nous traitons le linge de plusieurs hôtels et salles de sport du secteur.",
        "Particuliers du quartier et services municipaux pour les tenues de leurs agents.",
    ),
    stories=(
        "{first} a repris en {year} le pressing où [il|elle] travaillait depuis {years} ans.",
        "L'atelier emploie des personnes éloignées de l'emploi, formées sur place.",
    ),
    guarantees=(
        "Lessives écologiques et machines basse consommation.",
        "Linge rendu sous 48 heures, suivi des pièces par étiquette.",
        "Respect des protocoles d'hygiène pour le linge de santé.",
    ),
    offers=(
        OfferSpec("Blanchisserie professionnelle",
                  "Lavage, séchage, repassage et livraison du linge plat et des vêtements de travail.",
                  ("98310000-9", "98311000-6", "98315000-4"),
                  ("blanchisserie", "linge", "repassage", "vêtements de travail", "collecte")),
        OfferSpec("Pressing et nettoyage à sec",
                  "Nettoyage à sec, détachage et repassage de vêtements et textiles.",
                  ("98312000-3", "98310000-9"),
                  ("pressing", "nettoyage à sec", "détachage", "textile")),
    ),
    labels={"ecocert": 0.1, "esus": 0.05},
    inclusive=0.3,
    revenue_per_head=35_000,
)

SERVICES_PERSONNE = Trade(
    key="services_personne", label="Services à la personne", short="Services", weight=3,
    names=(
        "{brand} Services à Domicile", "Aide et Présence {commune}", "{first} Domicile Services",
        "Les Bons Soins {brand}", "{initials} Services à la Personne", "Entraide {brand} {dept}",
    ),
    intros=(
        "Entreprise de services à la personne créée en {year}, nous aidons les familles et les seniors au quotidien.",
        "Auxiliaire de vie pendant {years} ans, j'ai fondé ma structure {a_commune} en {year}.",
        "Nous proposons aide à domicile, garde d'enfants et accompagnement des personnes âgées {dept_loc}.",
    ),
    specialities=(
        "Aide au lever et au coucher, préparation des repas, courses et accompagnement aux rendez-vous.",
        "Garde d'enfants à domicile et sorties d'école, avec des intervenantes formées à la petite enfance.",
        "Ménage et repassage chez les particuliers, avec crédit d'impôt de 50 %.",
        "Accompagnement administratif et numérique des personnes âgées.",
        "Portage de repas et visites de convivialité pour rompre l'isolement.",
    ),
    clients=(
        "Nous intervenons pour des particuliers, des CCAS et des caisses de retraite.",
        "Des entreprises nous sollicitent pour offrir ces services à leurs salariés.",
        "Nos bénéficiaires sont surtout des seniors du quartier et leurs familles.",
    ),
    stories=(
        "{first} a créé la structure après avoir accompagné ses propres grands-parents.",
        "Toutes nos intervenantes habitent à moins de 15 minutes de leurs bénéficiaires.",
    ),
    guarantees=(
        "Déclaration services à la personne à jour, intervenantes formées et remplacées en cas d'absence.",
        "Un référent unique par famille et un cahier de liaison au domicile.",
        "Rendez-vous d'évaluation gratuit avant toute mise en place.",
    ),
    offers=(
        OfferSpec("Aide à domicile des personnes âgées",
                  "Aide aux gestes du quotidien, repas, courses, accompagnement et présence.",
                  ("98513310-8", "85312000-9"),
                  ("aide à domicile", "seniors", "personnes âgées", "autonomie", "accompagnement")),
        OfferSpec("Garde d'enfants",
                  "Garde à domicile, sorties d'école et aide aux devoirs.",
                  ("85312110-3", "98513000-2"),
                  ("garde d'enfants", "sortie d'école", "petite enfance", "périscolaire")),
        OfferSpec("Accompagnement social et numérique",
                  "Aide aux démarches administratives et à l'usage du numérique.",
                  ("85312400-3", "85320000-8"),
                  ("démarches administratives", "inclusion numérique", "accompagnement social")),
    ),
    labels={"esus": 0.1, "lucie": 0.03},
    inclusive=0.3,
    revenue_per_head=30_000,
)

TRADES = (NETTOYAGE, ESPACES_VERTS, SECURITE, HYGIENE, BLANCHISSERIE, SERVICES_PERSONNE)
