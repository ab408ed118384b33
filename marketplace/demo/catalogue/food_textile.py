"""Food and textile trades: catering, restaurants, bakery, sewing."""

from .types import OfferSpec, Trade

TRAITEUR = Trade(
    key="traiteur", label="Traiteur", short="Traiteur", weight=4,
    names=(
        "Les Saveurs de {first}", "{brand} Traiteur", "Traiteur {commune}", "Cuisine {brand}",
        "Le Buffet de {first}", "{last} Réceptions", "Épices {brand} {dept}",
    ),
    intros=(
        "Traiteur installé {a_commune} depuis {year}, nous cuisinons des buffets faits maison pour vos événements.",
        "[Cuisinier|Cuisinière] de formation, j'ai lancé mon activité de traiteur en {year} dans une cuisine partagée.",
        "Notre équipe prépare chaque jour plateaux-repas, cocktails et buffets pour les entreprises du secteur.",
    ),
    specialities=(
        "Cuisine du monde revisitée : mafé, pastilla, accras, mezzés et desserts maison.",
        "Plateaux-repas livrés au bureau, avec options végétariennes et sans porc à chaque commande.",
        "Cocktails dînatoires de 30 à 300 personnes, service et vaisselle compris.",
        "Petits-déjeuners d'accueil et pauses gourmandes pour séminaires et formations.",
        "Produits de saison achetés auprès de maraîchers de la région.",
        "Buffets zéro déchet : vaisselle réutilisable et dons des invendus à une association.",
    ),
    clients=(
        "Nous régalons les séminaires d'entreprises, les inaugurations de mairies et les fêtes associatives.",
        "Clients réguliers : directions RSE de grands groupes, centres sociaux et théâtres.",
        "Nous livrons des sièges d'entreprises, des agences publiques et des écoles pour leurs événements.",
    ),
    stories=(
        "{first} cuisinait pour les fêtes du quartier bien avant de créer l'entreprise en {year}.",
        "Passé{e} par un restaurant d'insertion, {first} y a appris la rigueur de la cuisine professionnelle.",
    ),
    guarantees=(
        "Laboratoire agréé, plan de maîtrise sanitaire et traçabilité de chaque plat.",
        "Allergènes indiqués sur chaque plat, menus adaptés sur demande.",
        "Livraison en véhicule réfrigéré et respect de la chaîne du froid.",
    ),
    offers=(
        OfferSpec("Buffets et cocktails pour événements",
                  "Cocktails, buffets et repas assis pour vos séminaires, inaugurations et fêtes.",
                  ("55520000-1", "55523000-2"),
                  ("traiteur", "buffet", "cocktail", "événement", "séminaire", "fait maison")),
        OfferSpec("Plateaux-repas livrés",
                  "Plateaux-repas et lunch box livrés au bureau, options végétariennes.",
                  ("55521200-0", "15894200-3"),
                  ("plateaux-repas", "livraison", "déjeuner", "bureau", "végétarien")),
        OfferSpec("Pauses et petits-déjeuners",
                  "Viennoiseries, boissons chaudes et jus frais pour vos réunions.",
                  ("55520000-1", "15813000-0"),
                  ("petit-déjeuner", "pause café", "réunion", "viennoiseries")),
    ),
    labels={"bio": 0.25, "ecocert": 0.06, "esus": 0.03},
    inclusive=0.15,
    revenue_per_head=48_000,
)

RESTAURATION = Trade(
    key="restauration", label="Restauration", short="Restauration", weight=3,
    names=(
        "Le Comptoir de {first}", "La Table {brand}", "Restaurant {brand}", "Chez {first}",
        "La Cantine du Quartier {commune}", "{brand} Food", "Le Petit {brand}",
    ),
    intros=(
        "Restaurant de quartier ouvert en {year} {a_commune}, cuisine maison à prix doux.",
        "Nous servons chaque midi une centaine de couverts et proposons la vente à emporter.",
        "Notre restaurant associe cuisine familiale et service rapide pour les salariés du secteur.",
        "Je tiens seul{e} mon food truck depuis {year} : cuisine maison, produits frais et service avec le sourire.",
    ),
    specialities=(
        "Gestion de cafétérias et de points de restauration d'entreprise.",
        "Restauration collective pour centres de loisirs et séjours, repas livrés en liaison froide.",
        "Menus du jour cuisinés sur place avec des produits frais, plat végétarien tous les jours.",
        "Privatisation de la salle pour vos déjeuners d'équipe et vos afterworks.",
        "Food truck pour les événements d'entreprise et les marchés.",
    ),
    clients=(
        "Nos clients : salariés des bureaux voisins, associations et services municipaux pour leurs "
        "réceptions.",
        "Nous gérons la cafétéria d'un centre de formation et fournissons deux centres de loisirs.",
        "Clients : entreprises du quartier, écoles de commerce et centres sociaux.",
    ),
    stories=(
        "{first} a travaillé {years} ans en cuisine collective avant d'ouvrir son propre restaurant.",
        "Le restaurant a ouvert en {year} dans un ancien local commercial vacant de la place du marché.",
    ),
    guarantees=(
        "Cuisine contrôlée par les services vétérinaires, formation hygiène HACCP de toute l'équipe.",
        "Produits frais et de saison, pain du boulanger du quartier.",
        "Lutte contre le gaspillage : portions ajustées et dons quotidiens des surplus.",
    ),
    offers=(
        OfferSpec("Restauration collective et cantine",
                  "Préparation et service de repas pour collectivités, centres de loisirs et entreprises.",
                  ("55510000-8", "55321000-6", "55523100-3"),
                  ("restauration collective", "cantine", "repas", "centre de loisirs", "liaison froide")),
        OfferSpec("Gestion de cafétéria d'entreprise",
                  "Exploitation d'un point de restauration ou d'une cafétéria sur site.",
                  ("55330000-2", "55512000-2"),
                  ("cafétéria", "restauration d'entreprise", "snacking")),
        OfferSpec("Repas d'équipe et privatisation",
                  "Déjeuners d'équipe, privatisation de salle et food truck événementiel.",
                  ("55300000-3",),
                  ("restaurant", "privatisation", "food truck", "déjeuner d'équipe")),
    ),
    labels={"bio": 0.12, "esus": 0.03},
    inclusive=0.15,
    revenue_per_head=45_000,
)

BOULANGERIE = Trade(
    key="boulangerie", label="Boulangerie-pâtisserie", short="Boulangerie", weight=2,
    names=(
        "Boulangerie {brand}", "Au Fournil de {first}", "Pâtisserie {brand}", "Les Délices {de_commune}",
        "Le Pain de {first}", "{last} Boulanger Pâtissier",
    ),
    intros=(
        "Boulangerie-pâtisserie artisanale ouverte en {year} au cœur du quartier {qpv}.",
        "[Pâtissier|Pâtissière] depuis {years} ans, je prépare gâteaux et mignardises pour les "
        "particuliers et les entreprises.",
        "Notre fournil produit chaque nuit pains, viennoiseries et pâtisseries.",
    ),
    specialities=(
        "Viennoiseries et pains spéciaux livrés pour les petits-déjeuners d'entreprise.",
        "Gâteaux d'anniversaire, pièces montées et pâtisseries orientales sur commande.",
        "Mignardises sucrées et salées pour cocktails et réceptions.",
        "Pains au levain et farines de meuniers de la région.",
    ),
    clients=(
        "Des restaurants du secteur, des cantines associatives et plusieurs entreprises se fournissent chez nous.",
        "Mairies, centres sociaux et comités d'entreprise nous commandent leurs buffets sucrés.",
        "Clients : hôtels, traiteurs partenaires et particuliers du quartier.",
    ),
    stories=(
        "{first} a appris le métier en apprentissage chez le boulanger du quartier avant de reprendre le fonds.",
        "Nous formons chaque année deux apprentis du quartier au CAP boulanger.",
    ),
    guarantees=(
        "Fabrication artisanale sur place, sans conservateur.",
        "Livraison avant 8 heures pour vos réunions du matin.",
        "Allergènes affichés et recettes sans gluten sur commande.",
    ),
    offers=(
        OfferSpec("Viennoiseries et pains pour professionnels",
                  "Livraison quotidienne de pains et viennoiseries aux entreprises et restaurants.",
                  ("15811000-6", "15810000-9"),
                  ("boulangerie", "pain", "viennoiseries", "livraison", "petit-déjeuner")),
        OfferSpec("Pâtisseries et buffets sucrés",
                  "Gâteaux, mignardises et pièces montées pour vos réceptions.",
                  ("15812000-3", "15812100-4"),
                  ("pâtisserie", "gâteaux", "mignardises", "réception", "buffet sucré")),
    ),
    labels={"bio": 0.15},
    inclusive=0.05,
    revenue_per_head=50_000,
)

COUTURE = Trade(
    key="couture", label="Couture, retouches et confection", short="Couture", weight=3,
    names=(
        "Atelier Couture {first}", "Les Fils {de_commune}", "{brand} Couture", "Aiguille {brand}",
        "Couture & Création {first}", "L'Atelier de {first} {dept}", "Fil d'{brand}",
    ),
    intros=(
        "Atelier de couture ouvert en {year} {a_commune} : retouches, confection et petites séries.",
        "[Couturier|Couturière] depuis {years} ans, j'ai ouvert mon atelier pour répondre aux commandes "
        "des entreprises.",
        "Notre atelier de confection réunit des couturières expérimentées du quartier.",
    ),
    specialities=(
        "Confection de vêtements de travail, tabliers, blouses et tenues d'accueil brodées.",
        "Retouches et ajustements de tenues professionnelles pour des équipes entières.",
        "Petites séries de tote bags, pochettes et objets textiles personnalisés pour vos événements.",
        "Upcycling : nous transformons vos bâches, banderoles et uniformes usagés en objets utiles.",
        "Confection de rideaux, coussins et textiles d'ameublement pour crèches et résidences.",
        "Broderie et marquage de logos sur textile.",
    ),
    clients=(
        "Nous travaillons pour des restaurants, des hôtels et des services municipaux.",
        "Des directions RSE nous commandent des goodies textiles fabriqués dans le quartier.",
        "Clients : créatrices de mode, compagnies de théâtre et particuliers.",
    ),
    stories=(
        "{first} a appris la couture auprès de sa mère, puis s'est formé{e} au CAP métiers de la mode.",
        "L'atelier est né d'un atelier de quartier au centre social, devenu entreprise en {year}.",
    ),
    guarantees=(
        "Tissus certifiés Oeko-Tex et chutes réutilisées.",
        "Prototype validé avec vous avant le lancement de la série.",
        "Délais courts pour les retouches, livraison possible sur site.",
    ),
    offers=(
        OfferSpec("Confection de vêtements professionnels",
                  "Tabliers, blouses, tenues d'accueil, broderie de logos, petites et moyennes séries.",
                  ("18110000-3", "18100000-0"),
                  ("couture", "vêtements de travail", "confection", "tablier", "broderie", "uniforme")),
        OfferSpec("Retouches et réparations textiles",
                  "Retouches, ourlets et réparations de vêtements et tenues professionnelles.",
                  ("50830000-2", "98393000-4"),
                  ("retouches", "réparation", "ourlet", "textile")),
        OfferSpec("Objets textiles personnalisés et upcycling",
                  "Sacs, pochettes, goodies et objets issus de textiles de réemploi.",
                  ("39500000-7", "18400000-3"),
                  ("upcycling", "tote bag", "goodies", "réemploi", "textile", "personnalisé")),
    ),
    labels={"ecocert": 0.06, "esus": 0.08},
    inclusive=0.3,
    revenue_per_head=30_000,
)

TRADES = (TRAITEUR, RESTAURATION, BOULANGERIE, COUTURE)
