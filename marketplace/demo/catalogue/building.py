"""Building trades: painting, plumbing, electricity, joinery, masonry, coverings, metalwork, renovation."""

from .types import OfferSpec, Trade

BUILDING_LABELS = {"qualibat": 0.3, "handibat": 0.08}

PEINTURE = Trade(
    key="peinture", label="Peinture et décoration", short="Peinture", weight=4,
    names=(
        "{brand} Peinture", "Peinture {commune}", "Atelier Couleurs {first}", "{last} Peinture & Déco",
        "Les Peintres {brand}", "{initials} Rénov' Peinture", "Déco {brand} {dept}",
    ),
    intros=(
        "Entreprise de peinture installée {a_commune} depuis {year}, nous rénovons logements, halls et bureaux.",
        "Peintre en bâtiment depuis {years} ans, j'ai monté ma propre structure {a_commune} en {year}.",
        "Notre équipe de peintres intervient en site occupé comme en logement vacant, {a_commune} et alentour.",
    ),
    specialities=(
        "Nous réalisons la remise en peinture des cages d'escalier et des parties communes, avec protection "
        "soignée des sols et des boîtes aux lettres.",
        "Spécialité : la remise en état de logements entre deux locataires, lessivage, rebouchage, enduits et "
        "peinture en moins d'une semaine.",
        "Nous posons aussi papiers peints, toiles de verre et revêtements muraux décoratifs.",
        "Ravalement léger et peinture de façades jusqu'au R+4 avec nacelle ou échafaudage roulant.",
        "Traitement des graffitis et peinture anti-affichage sur les murs exposés.",
        "Nous utilisons des peintures à faible émission de COV, labellisées, sans odeur pour les occupants.",
    ),
    clients=(
        "Nos clients : bailleurs sociaux, syndics de copropriété et quelques écoles de la ville.",
        "Nous travaillons régulièrement pour des bailleurs sociaux et des agences immobilières du secteur.",
        "Particuliers, commerçants et, de plus en plus, services techniques de collectivités nous font confiance.",
    ),
    stories=(
        "{first} a appris le métier aux Compagnons avant de créer l'entreprise en {year}.",
        "Formé{e} sur les chantiers de rénovation urbaine du quartier, {first} s'est installé{e} à son "
        "compte en {year}.",
    ),
    guarantees=(
        "Assurance décennale et responsabilité civile à jour, chantier rendu propre chaque soir.",
        "Nous respectons les délais annoncés et prévenons les locataires par affichage avant chaque intervention.",
        "Travail soigné, finitions contrôlées avec le client avant la réception.",
    ),
    offers=(
        OfferSpec("Peinture intérieure de logements et parties communes",
                  "Préparation des supports, enduits, peinture des murs, plafonds et boiseries en site occupé.",
                  ("45442100-8", "45442110-1"),
                  ("peinture", "parties communes", "cage d'escalier", "logement", "enduit", "rénovation")),
        OfferSpec("Remise en état de logements vacants",
                  "Remise en état complète entre deux locations : peinture, petits sols, petites réparations.",
                  ("45453100-8", "45442110-1"),
                  ("remise en état", "relocation", "logement vacant", "bailleur", "peinture")),
        OfferSpec("Revêtements muraux et papiers peints",
                  "Pose de papiers peints, toiles de verre et revêtements décoratifs.",
                  ("45432000-4", "45451000-3"),
                  ("papier peint", "toile de verre", "revêtement mural", "décoration")),
        OfferSpec("Peinture de façades et effacement de graffitis",
                  "Peinture extérieure, lasures et effacement de tags sur façades et murets.",
                  ("45443000-4", "90690000-0"),
                  ("façade", "ravalement", "graffitis", "tags", "peinture extérieure")),
    ),
    labels={**BUILDING_LABELS, "rge": 0.05, "ecocert": 0.04},
    revenue_per_head=60_000,
)

PLOMBERIE = Trade(
    key="plomberie", label="Plomberie et chauffage", short="Plomberie", weight=4,
    names=(
        "SOS Plomberie {commune}", "{last} Plomberie Chauffage", "{brand} Plomberie", "Plomberie {first}",
        "{initials} Thermique", "Aqua {brand} {dept}", "Dépannage Sanitaire {commune}",
    ),
    intros=(
        "[Plombier chauffagiste|Plombière chauffagiste] {a_commune}, j'interviens en dépannage comme en "
        "installation neuve.",
        "Depuis {year}, notre entreprise de plomberie assure l'entretien et la rénovation des installations "
        "sanitaires {dept_loc}.",
        "Petite entreprise de plomberie et chauffage fondée en {year}, réactive et joignable 6 jours sur 7.",
    ),
    specialities=(
        "Recherche de fuites, débouchage, remplacement de colonnes d'eau et de robinetterie en logement collectif.",
        "Nous installons et entretenons chaudières gaz, ballons d'eau chaude et pompes à chaleur.",
        "Rénovation complète de salles de bains, y compris adaptation pour personnes âgées ou à mobilité réduite.",
        "Interventions sur les réseaux d'évacuation et les colonnes de chute dans les immeubles anciens.",
        "Mise en place de mitigeurs et réducteurs de débit pour faire baisser les consommations d'eau.",
    ),
    clients=(
        "Bailleurs sociaux, syndics et gestionnaires de résidences étudiantes font partie de nos clients réguliers.",
        "Nous travaillons en sous-traitance pour des entreprises générales et en direct pour des copropriétés.",
        "Clients : particuliers du quartier, commerces, crèches et petites structures médicales.",
    ),
    stories=(
        "{first} a été [plombier salarié|plombière salariée] pendant {years} ans dans une grande "
        "entreprise de maintenance avant de "
        "créer sa société.",
        "Titulaire d'un CAP et d'un BP plomberie, {first} forme aujourd'hui deux apprentis du quartier.",
    ),
    guarantees=(
        "Attestation de capacité fluides frigorigènes et assurance décennale à jour.",
        "Dépannage sous 24 heures pour les urgences, devis détaillé avant toute intervention non urgente.",
        "Garantie de nos installations et suivi des contrats d'entretien annuels.",
    ),
    offers=(
        OfferSpec("Dépannage et entretien de plomberie",
                  "Fuites, débouchages, robinetterie, chasses d'eau et petites réparations en logement ou bureau.",
                  ("45330000-9", "50712000-9"),
                  ("plomberie", "fuite", "débouchage", "robinetterie", "dépannage", "sanitaire")),
        OfferSpec("Installation et entretien de chauffage",
                  "Pose, mise en service et entretien de chaudières, radiateurs et ballons d'eau chaude.",
                  ("45331100-7", "50720000-8"),
                  ("chauffage", "chaudière", "entretien", "eau chaude", "radiateur")),
        OfferSpec("Rénovation de salles de bains",
                  "Remplacement d'équipements sanitaires, douches à l'italienne, adaptation PMR.",
                  ("45332400-7", "45332000-3"),
                  ("salle de bains", "sanitaire", "douche", "PMR", "adaptation", "rénovation")),
    ),
    labels={**BUILDING_LABELS, "rge": 0.35},
    revenue_per_head=70_000,
)

ELECTRICITE = Trade(
    key="electricite", label="Électricité", short="Électricité", weight=4,
    names=(
        "{brand} Électricité", "Élec {commune}", "{last} Électricité Générale", "{initials} Élec Services",
        "Volt {brand}", "Électricité {first} {dept}",
    ),
    intros=(
        "[Électricien installé|Électricienne installée] {a_commune} depuis {year}, j'interviens en "
        "neuf, en rénovation et en dépannage.",
        "Notre entreprise d'électricité générale réalise des installations conformes aux normes, du logement "
        "au local tertiaire.",
        "Entreprise d'électricité créée en {year}, nous comptons aujourd'hui une petite équipe de techniciens "
        "habilités.",
    ),
    specialities=(
        "Mise en conformité de tableaux électriques, remplacement de prises et interrupteurs en logement occupé.",
        "Éclairage des parties communes et des parkings : passage en LED avec détecteurs de présence.",
        "Installation de bornes de recharge pour véhicules électriques en copropriété et en entreprise.",
        "Courants faibles : interphonie, contrôle d'accès, vidéophonie et réseaux informatiques.",
        "Pose de systèmes d'alarme incendie et de blocs d'éclairage de sécurité, avec vérifications périodiques.",
    ),
    clients=(
        "Nous intervenons pour des bailleurs sociaux, des commerces et des établissements scolaires.",
        "Nos donneurs d'ordre : syndics, entreprises générales du bâtiment et services techniques municipaux.",
        "Clients particuliers et professionnels : boulangeries, cabinets médicaux, petites industries.",
    ),
    stories=(
        "Après un BTS électrotechnique et {years} ans de chantier, {first} a lancé son entreprise en {year}.",
        "{first} a commencé comme apprenti dans le quartier et dirige aujourd'hui sa propre équipe.",
    ),
    guarantees=(
        "Habilitations électriques à jour pour toute l'équipe, attestations Consuel fournies.",
        "Assurance décennale, devis clair et respect strict des normes NF C 15-100.",
        "Astreinte possible pour nos clients sous contrat de maintenance.",
    ),
    offers=(
        OfferSpec("Installations et mise en conformité électriques",
                  "Câblage, tableaux, prises et éclairage en logement, bureau ou commerce.",
                  ("45310000-3", "45311000-0"),
                  ("électricité", "tableau électrique", "mise en conformité", "câblage", "éclairage")),
        OfferSpec("Maintenance électrique des bâtiments",
                  "Contrats d'entretien, dépannage et vérifications des installations électriques.",
                  ("50711000-2", "45317000-2"),
                  ("maintenance", "dépannage", "électricité", "contrat d'entretien")),
        OfferSpec("Éclairage LED et bornes de recharge",
                  "Relamping LED des parties communes et parkings, bornes de recharge.",
                  ("45316000-5", "45315000-8"),
                  ("LED", "éclairage", "borne de recharge", "économies d'énergie", "parking")),
        OfferSpec("Courants faibles et sécurité incendie",
                  "Interphonie, contrôle d'accès, alarmes et détection incendie.",
                  ("45312000-7", "45312100-8", "45314000-1"),
                  ("interphone", "contrôle d'accès", "alarme", "détection incendie", "courants faibles")),
    ),
    labels={**BUILDING_LABELS, "rge": 0.3, "iso9001": 0.03},
    revenue_per_head=72_000,
)

MENUISERIE = Trade(
    key="menuiserie", label="Menuiserie", short="Menuiserie", weight=3,
    names=(
        "Menuiserie {last}", "L'Atelier Bois {brand}", "{brand} Menuiserie", "Bois & Fenêtres {commune}",
        "{first} Agencement", "Menuiserie du Quartier {dept}",
    ),
    intros=(
        "[Menuisier|Menuisière] depuis {years} ans, j'ai ouvert mon atelier {a_commune} en {year}.",
        "Notre menuiserie fabrique et pose portes, fenêtres et agencements sur mesure.",
        "Atelier de menuiserie bois et PVC, nous travaillons du plan à la pose {a_commune} et alentour.",
    ),
    specialities=(
        "Remplacement de fenêtres et de portes palières, y compris portes coupe-feu en immeuble collectif.",
        "Agencement sur mesure : placards, rayonnages, banques d'accueil et mobilier de boutique.",
        "Pose de cuisines équipées et de cloisons amovibles dans les bureaux.",
        "Réparation de volets, serrures et quincaillerie, remplacement de vitrages cassés.",
        "Nous fabriquons du mobilier en bois de réemploi pour les tiers-lieux et associations.",
    ),
    clients=(
        "Nous travaillons pour des bailleurs, des écoles et des commerçants qui veulent un agencement unique.",
        "Clients habituels : syndics de copropriété, architectes d'intérieur et collectivités.",
        "Particuliers, crèches et bureaux : chaque projet est traité avec le même soin.",
    ),
    stories=(
        "Passé{e} par un chantier d'insertion, {first} y a découvert le bois et ne l'a plus quitté.",
        "{first} a repris en {year} l'atelier d'un ancien menuisier du quartier parti à la retraite.",
    ),
    guarantees=(
        "Fenêtres posées dans les règles de l'art, garanties décennale et biennale.",
        "Fabrication dans notre atelier, délais maîtrisés et prises de cotes gratuites.",
        "Bois issus de forêts gérées durablement, vernis et finitions sans solvant.",
    ),
    offers=(
        OfferSpec("Pose de portes et fenêtres",
                  "Fourniture et pose de menuiseries extérieures et intérieures, portes palières et coupe-feu.",
                  ("45421100-5", "45421130-4"),
                  ("menuiserie", "fenêtre", "porte", "porte coupe-feu", "PVC", "bois")),
        OfferSpec("Agencement et mobilier sur mesure",
                  "Conception, fabrication et pose de placards, banques d'accueil et rangements.",
                  ("45421000-4", "45421150-0", "39151000-5"),
                  ("agencement", "sur mesure", "placard", "mobilier", "banque d'accueil")),
        OfferSpec("Cuisines et cloisons",
                  "Pose de cuisines équipées et de cloisons dans les bureaux et logements.",
                  ("45421151-7", "45421152-4"),
                  ("cuisine", "cloison", "aménagement", "bureaux")),
    ),
    labels={**BUILDING_LABELS, "rge": 0.2},
    revenue_per_head=58_000,
)

MACONNERIE = Trade(
    key="maconnerie", label="Maçonnerie et gros œuvre", short="Maçonnerie", weight=3,
    names=(
        "{last} Bâtiment", "Maçonnerie {brand}", "{brand} Construction", "BTP {commune} {dept}",
        "{initials} Maçonnerie Générale", "Bâti {brand}",
    ),
    intros=(
        "Entreprise de maçonnerie générale fondée en {year}, nous réalisons petits et moyens chantiers.",
        "Maçon depuis {years} ans, je travaille {a_commune} avec un ou deux compagnons selon les chantiers.",
        "Notre entreprise de gros œuvre intervient {dept_loc} pour la rénovation comme pour l'extension.",
    ),
    specialities=(
        "Ouvertures de murs porteurs, reprises en sous-œuvre, dalles et chapes.",
        "Aménagements extérieurs : murets, escaliers, rampes d'accès PMR et pavage.",
        "Démolition intérieure et curage avant rénovation, avec tri des déchets sur le chantier.",
        "Réparation de façades, rejointoiement et traitement des fissures.",
        "Création de locaux poubelles et de locaux vélos en pied d'immeuble.",
    ),
    clients=(
        "Nous travaillons pour des bailleurs sociaux, des collectivités et des entreprises générales.",
        "Clients : copropriétés, commerces et particuliers qui agrandissent leur maison.",
        "Nos références : écoles, gymnases, résidences sociales et locaux associatifs.",
    ),
    stories=(
        "{first} a débuté comme manœuvre sur les chantiers de rénovation urbaine avant de créer sa société en {year}.",
        "L'entreprise embauche chaque année des jeunes du quartier en apprentissage.",
    ),
    guarantees=(
        "Garantie décennale, chantiers sécurisés et balisés, plans de prévention respectés.",
        "Gestion des déchets de chantier avec bordereaux de suivi.",
        "Devis détaillé poste par poste et planning tenu.",
    ),
    offers=(
        OfferSpec("Travaux de maçonnerie",
                  "Murs, ouvertures, dalles, chapes et reprises de structure.",
                  ("45262500-6", "45262300-4"),
                  ("maçonnerie", "gros œuvre", "dalle", "mur porteur", "béton")),
        OfferSpec("Démolition et curage",
                  "Démolition intérieure, curage et évacuation des gravats triés.",
                  ("45111100-9", "45111300-1"),
                  ("démolition", "curage", "gravats", "déchets de chantier")),
        OfferSpec("Aménagements extérieurs et accessibilité",
                  "Rampes PMR, murets, escaliers extérieurs et pavage.",
                  ("45233222-1", "45262600-7"),
                  ("accessibilité", "rampe PMR", "pavage", "muret", "extérieur")),
    ),
    labels={**BUILDING_LABELS, "handibat": 0.12},
    revenue_per_head=65_000,
)

REVETEMENTS = Trade(
    key="revetements", label="Carrelage, sols et plâtrerie", short="Revêtements", weight=3,
    names=(
        "{brand} Carrelage", "Sols & Murs {commune}", "{last} Plâtrerie", "Carrelage {first}",
        "{initials} Finitions", "Les Sols {brand}",
    ),
    intros=(
        "Carreleur et plaquiste, j'ai créé mon entreprise {a_commune} en {year}.",
        "Nous réalisons les travaux de finition : plâtrerie, carrelage et revêtements de sols.",
        "Entreprise de second œuvre spécialisée dans les sols et les cloisons, active {dept_loc} depuis {year}.",
    ),
    specialities=(
        "Pose de sols souples PVC et linoléum en logement, crèche ou école.",
        "Carrelage de salles de bains, faïence murale et sols de cuisines professionnelles.",
        "Cloisons et doublages en plaques de plâtre, faux plafonds et isolation intérieure.",
        "Ragréage, reprise de sols abîmés et pose de plinthes.",
        "Enduits, bandes et préparation des supports pour les peintres.",
    ),
    clients=(
        "Clients : bailleurs sociaux pour la remise en état des logements, écoles et commerces.",
        "Nous sommes souvent sous-traitants d'entreprises générales sur des chantiers de réhabilitation.",
        "Particuliers et petites entreprises nous confient la rénovation de leurs locaux.",
    ),
    stories=(
        "{first} a appris la pose de carrelage avec son père avant de passer son brevet professionnel.",
        "Reconverti{e} après {years} ans dans la logistique, {first} a choisi le carrelage et ne l'a pas regretté.",
    ),
    guarantees=(
        "Assurance décennale, chantiers protégés et nettoyés en fin d'intervention.",
        "Matériaux classés pour les établissements recevant du public.",
        "Planning adapté aux vacances scolaires pour les écoles et crèches.",
    ),
    offers=(
        OfferSpec("Carrelage et faïence",
                  "Pose de carrelage de sols et murs, faïence de salles de bains et cuisines.",
                  ("45431000-7", "45431100-8", "45431200-9"),
                  ("carrelage", "faïence", "salle de bains", "sol")),
        OfferSpec("Revêtements de sols souples",
                  "Pose de PVC, linoléum et moquette, ragréage et plinthes.",
                  ("45432100-5", "45432111-5"),
                  ("sol souple", "PVC", "linoléum", "ragréage", "moquette")),
        OfferSpec("Plâtrerie, cloisons et faux plafonds",
                  "Cloisons sèches, doublages isolants, faux plafonds.",
                  ("45410000-4", "45421152-4", "45321000-3"),
                  ("plâtrerie", "placo", "cloison", "faux plafond", "isolation")),
    ),
    labels={**BUILDING_LABELS, "rge": 0.1},
    revenue_per_head=58_000,
)

SERRURERIE = Trade(
    key="serrurerie", label="Serrurerie et métallerie", short="Métallerie", weight=2,
    names=(
        "{brand} Métallerie", "Serrurerie {commune}", "{last} Fer & Acier", "Atelier Métal {first}",
        "{initials} Serrurerie Services",
    ),
    intros=(
        "[Serrurier métallier installé|Serrurière métallière installée] {a_commune}, je fabrique et "
        "répare tout ce qui est en métal.",
        "Notre atelier de métallerie, ouvert en {year}, réalise garde-corps, grilles et portails sur mesure.",
        "Serrurerie et métallerie depuis {years} ans : dépannage, fabrication et pose.",
    ),
    specialities=(
        "Ouverture de portes, changement de cylindres et installation de serrures multipoints.",
        "Fabrication de garde-corps, rampes, grilles de défense et portails.",
        "Mise en place de contrôle d'accès par badge sur les halls d'immeubles.",
        "Réparation de portes de parkings et de locaux techniques.",
        "Abris vélos et locaux poubelles métalliques, fabriqués dans notre atelier.",
    ),
    clients=(
        "Bailleurs sociaux et syndics nous appellent pour les portes de halls et les parkings.",
        "Nous travaillons pour des commerces, des collectivités et des entreprises générales.",
        "Clients : particuliers, écoles et petites industries du secteur.",
    ),
    stories=(
        "{first} a appris la soudure en lycée professionnel et a ouvert son atelier en {year}.",
        "L'atelier accueille chaque année deux apprentis en CAP métallerie.",
    ),
    guarantees=(
        "Intervention d'urgence en moins de 2 heures pour nos clients sous contrat.",
        "Ouvrages garantis, assurance décennale et certificats de conformité fournis.",
        "Acier traité contre la corrosion, finitions thermolaquées.",
    ),
    offers=(
        OfferSpec("Serrurerie et dépannage",
                  "Ouverture de portes, remplacement de serrures et cylindres, contrôle d'accès.",
                  ("98395000-8", "44316500-3"),
                  ("serrurerie", "serrure", "dépannage", "contrôle d'accès", "badge")),
        OfferSpec("Métallerie sur mesure",
                  "Garde-corps, grilles, portails, abris vélos et locaux techniques.",
                  ("45421140-7", "45262400-5"),
                  ("métallerie", "garde-corps", "portail", "grille", "soudure")),
    ),
    labels=dict(BUILDING_LABELS),
    revenue_per_head=62_000,
)

RENOVATION = Trade(
    key="renovation", label="Rénovation tous corps d'état et multiservices", short="Rénovation", weight=4,
    names=(
        "{brand} Multiservices", "Rénov' {commune}", "{last} Bâtiment Services", "Tous Travaux {first}",
        "{initials} Habitat Services", "Rénovation {brand} {dept}",
    ),
    intros=(
        "Entreprise multiservices du bâtiment créée en {year}, nous coordonnons tous les corps d'état.",
        "Petits travaux et rénovation complète : notre équipe polyvalente intervient {a_commune} et autour.",
        "Artisan tous corps d'état depuis {years} ans, j'accompagne bailleurs et particuliers dans leurs travaux.",
    ),
    specialities=(
        "Remise en état de logements : peinture, sols, plomberie et électricité par la même équipe.",
        "Adaptation de logements au vieillissement : barres d'appui, douches plain-pied, élargissement de portes.",
        "Petits travaux d'entretien des parties communes sur bon de commande.",
        "Rénovation énergétique : isolation, menuiseries et ventilation, avec partenaires certifiés.",
        "Réparations après sinistre : dégâts des eaux, vandalisme, petits incendies.",
    ),
    clients=(
        "Nous travaillons surtout pour des bailleurs sociaux en marchés à bons de commande.",
        "Clients : syndics, gestionnaires de foyers et résidences, particuliers.",
        "Collectivités, associations et commerces nous confient leurs petits travaux.",
    ),
    stories=(
        "{first} a réuni en {year} des artisans du quartier pour proposer une offre complète.",
        "Après {years} ans de chantiers en intérim, {first} a voulu construire une équipe stable dans le quartier.",
    ),
    guarantees=(
        "Un seul interlocuteur du devis à la réception, photos avant et après chaque intervention.",
        "Assurance décennale tous corps d'état et délais d'intervention contractuels.",
        "Compte rendu d'intervention envoyé le jour même au gestionnaire.",
    ),
    offers=(
        OfferSpec("Remise en état de logements",
                  "Travaux tous corps d'état entre deux locations, en délais courts.",
                  ("45453100-8", "45453000-7"),
                  ("remise en état", "tous corps d'état", "logement", "bailleur", "relocation")),
        OfferSpec("Adaptation de logements PMR",
                  "Adaptation au vieillissement et au handicap : salle de bains, accès, barres d'appui.",
                  ("45262700-8", "45332400-7"),
                  ("adaptation", "PMR", "vieillissement", "accessibilité", "salle de bains")),
        OfferSpec("Petits travaux d'entretien sur bon de commande",
                  "Entretien courant et réparations dans les parties communes et logements.",
                  ("45453000-7", "50700000-2"),
                  ("petits travaux", "entretien", "multiservices", "bon de commande")),
    ),
    labels={**BUILDING_LABELS, "rge": 0.15, "handibat": 0.2},
    inclusive=0.2,
    revenue_per_head=60_000,
)

TRADES = (PEINTURE, PLOMBERIE, ELECTRICITE, MENUISERIE, MACONNERIE, REVETEMENTS, SERRURERIE, RENOVATION)
