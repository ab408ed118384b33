"""Invented people and brand words for company names (no real person's data)."""

FIRST_NAMES = (
    "Amina", "Karim", "Moussa", "Fatou", "Yassine", "Nadia", "Sofiane", "Mamadou", "Aïcha", "Kévin", "Julie",
    "Sébastien", "Linh", "Mehdi", "Samira", "Ibrahima", "Awa", "Rachid", "Leïla", "Thomas", "Inès", "Bilal",
    "Mariam", "Jordan", "Kenza", "Ousmane", "Sarah", "Nordine", "Céline", "Hakim", "Djeneba", "Youssouf",
    "Émeline", "Farid", "Hawa", "Lucas", "Naïma", "Ali", "Stéphanie", "Adama", "Jessica", "Tarek", "Sabrina",
    "Malik", "Aminata", "Dylan", "Yasmina", "Cheikh", "Laetitia", "Rayan", "Soraya", "Anthony", "Khadija",
    "Mohamed", "Sandrine", "Issa", "Hamza", "Nour", "Wassim", "Binta", "Grégory", "Lina", "Ludovic", "Salimata",
    "Omar", "Chloé", "Abdel", "Rokia", "Vincent", "Zohra", "Steeve", "Assa", "Nabil", "Marie-Claire", "Thi Mai",
)

LAST_NAMES = (
    "Diallo", "Benali", "Traoré", "Martin", "Nguyen", "Haddad", "Keïta", "Mendes", "Da Silva", "Lefebvre",
    "Koné", "Cissé", "Bouzid", "Rossi", "Petit", "Camara", "Belkacem", "Sow", "Moreau", "Tran", "Ferreira",
    "Mansouri", "Coulibaly", "Girard", "Amrani", "Diop", "Lambert", "Ouali", "Fofana", "Garcia", "Chérif",
    "Bernard", "Ndiaye", "Zerrouki", "Pereira", "Kaba", "Roux", "Hamidi", "Touré", "Dupuis", "Saïdi", "Bah",
    "Lopes", "Meziane", "Sylla", "Fontaine", "Aït-Ahmed", "Gomis", "Vidal", "Kanté",
)

BRAND_WORDS = (
    "Horizon", "Avenir", "Étoile", "Azur", "Cèdre", "Boréal", "Pluriel", "Atlas", "Sirius", "Tremplin",
    "Solidaire", "Émeraude", "Kora", "Baobab", "Oasis", "Phénix", "Alizé", "Rivage", "Zénith", "Archipel",
    "Canopée", "Sésame", "Équinoxe", "Lumière", "Héliade", "Cap Nord", "Trait d'Union", "Mosaïque",
    "Ébène", "Ginkgo", "Olivier", "Nova", "Iroko", "Magellan", "Sahel", "Passerelle",
    "Ancre", "Vega", "Capucine",
)

# Name patterns for the inclusive structure families, whatever the trade ({short}: the trade's short noun).
INCLUSIVE_NAMES = {
    "association": (
        "Association {brand} {short}", "{short} Solidaire {commune}", "Les Ateliers {brand}",
        "Collectif {brand}",
    ),
    "siae": (
        "{brand} Insertion", "Régie de quartier {commune} {brand}", "{short} Insertion {commune}",
        "Chantier d'insertion {brand}",
    ),
    "ea_esat": ("Entreprise adaptée {brand}", "ESAT {brand} {commune}", "{short} Adaptée {dept}"),
    "scop_scic": ("SCOP {brand} {short}", "Coopérative {brand}", "SCIC {short} {commune}"),
}

FEMALE_FIRST_NAMES = frozenset({
    "Amina", "Fatou", "Nadia", "Aïcha", "Julie", "Linh", "Samira", "Awa", "Leïla", "Inès", "Mariam", "Kenza",
    "Sarah", "Céline", "Djeneba", "Émeline", "Hawa", "Naïma", "Stéphanie", "Jessica", "Sabrina", "Aminata",
    "Yasmina", "Laetitia", "Soraya", "Khadija", "Sandrine", "Nour", "Binta", "Lina", "Salimata", "Chloé",
    "Rokia", "Zohra", "Assa", "Marie-Claire", "Thi Mai",
})
