"""Departments, neighbours and French place-name grammar used by the demo texts."""

# Home departments of the fallback QPV: display name and locative ("en Seine-Saint-Denis").
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "06": ("Alpes-Maritimes", "dans les Alpes-Maritimes"),
    "13": ("Bouches-du-Rhône", "dans les Bouches-du-Rhône"),
    "14": ("Calvados", "dans le Calvados"),
    "21": ("Côte-d'Or", "en Côte-d'Or"),
    "25": ("Doubs", "dans le Doubs"),
    "30": ("Gard", "dans le Gard"),
    "31": ("Haute-Garonne", "en Haute-Garonne"),
    "34": ("Hérault", "dans l'Hérault"),
    "35": ("Ille-et-Vilaine", "en Ille-et-Vilaine"),
    "37": ("Indre-et-Loire", "en Indre-et-Loire"),
    "38": ("Isère", "en Isère"),
    "42": ("Loire", "dans la Loire"),
    "44": ("Loire-Atlantique", "en Loire-Atlantique"),
    "45": ("Loiret", "dans le Loiret"),
    "49": ("Maine-et-Loire", "en Maine-et-Loire"),
    "51": ("Marne", "dans la Marne"),
    "57": ("Moselle", "en Moselle"),
    "59": ("Nord", "dans le Nord"),
    "62": ("Pas-de-Calais", "dans le Pas-de-Calais"),
    "63": ("Puy-de-Dôme", "dans le Puy-de-Dôme"),
    "66": ("Pyrénées-Orientales", "dans les Pyrénées-Orientales"),
    "67": ("Bas-Rhin", "dans le Bas-Rhin"),
    "68": ("Haut-Rhin", "dans le Haut-Rhin"),
    "69": ("Rhône", "dans le Rhône"),
    "76": ("Seine-Maritime", "en Seine-Maritime"),
    "80": ("Somme", "dans la Somme"),
    "86": ("Vienne", "dans la Vienne"),
    "87": ("Haute-Vienne", "en Haute-Vienne"),
    "93": ("Seine-Saint-Denis", "en Seine-Saint-Denis"),
    "94": ("Val-de-Marne", "dans le Val-de-Marne"),
    "95": ("Val-d'Oise", "dans le Val-d'Oise"),
}

# Bordering departments (mainland geography), used for the areas served.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "06": ("04", "83"),
    "13": ("04", "30", "83", "84"),
    "14": ("27", "50", "61"),
    "21": ("10", "39", "52", "58", "70", "71", "89"),
    "25": ("39", "70", "90"),
    "30": ("07", "13", "34", "48", "84"),
    "31": ("09", "11", "32", "65", "81", "82"),
    "34": ("11", "12", "30", "81"),
    "35": ("22", "44", "49", "50", "53", "56"),
    "37": ("36", "41", "49", "72", "86"),
    "38": ("01", "05", "07", "26", "42", "69", "73"),
    "42": ("03", "07", "38", "43", "63", "69", "71"),
    "44": ("35", "49", "56", "85"),
    "45": ("18", "28", "41", "77", "89", "91"),
    "49": ("37", "44", "53", "72", "79", "85", "86"),
    "51": ("02", "08", "10", "52", "55", "77"),
    "57": ("54", "67", "88"),
    "59": ("02", "62", "80"),
    "62": ("59", "80"),
    "63": ("03", "15", "19", "23", "42", "43"),
    "66": ("09", "11"),
    "67": ("54", "57", "68", "88"),
    "68": ("67", "88", "90"),
    "69": ("01", "38", "42", "71"),
    "76": ("27", "60", "80"),
    "80": ("02", "60", "62", "76"),
    "86": ("16", "36", "37", "49", "79", "87"),
    "87": ("16", "19", "23", "24", "36", "86"),
    "93": ("75", "77", "92", "94", "95"),
    "94": ("75", "77", "91", "92", "93"),
    "95": ("27", "60", "78", "92", "93"),
}

STREETS = (
    "rue de la République", "avenue Jean-Jaurès", "rue Victor-Hugo", "boulevard Pasteur", "allée des Tilleuls",
    "rue des Écoles", "place du Marché", "rue Lucie-Aubrac", "avenue Salvador-Allende", "rue Pablo-Neruda",
    "rue Gabriel-Péri", "avenue de la Libération", "rue du Moulin", "chemin des Vignes", "rue Paul-Éluard",
    "allée Simone-Veil", "rue des Glycines", "avenue du 8-Mai-1945", "rue Henri-Barbusse", "rue de la Paix",
    "impasse des Artisans", "rue Olympe-de-Gouges", "avenue Aimé-Césaire", "rue du Stade", "rue Louise-Michel",
)

PREMISES = (
    "", "", "", "", "Pépinière d'entreprises, ", "Hôtel d'activités, ", "Local commercial, ", "Bâtiment B, ",
    "Atelier 4, ", "Cour intérieure, ",
)


def a_commune(name: str) -> str:
    """'à Saint-Denis', 'au Havre'."""
    if name.startswith("Le "):
        return "au " + name[3:]
    return "à " + name


def de_commune(name: str) -> str:
    """'de Saint-Denis', 'du Havre', "d'Orléans"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name[0] in "AEIOUÉÈaeiou":
        return "d'" + name
    return "de " + name


def short_qpv_name(name: str) -> str:
    """'Franc Moisin - Cosmonautes - ...' -> 'Franc Moisin'; 'Quartiers La Muette - ...' -> 'La Muette'."""
    head = name.split(" - ")[0].strip()
    for prefix in ("Quartiers ", "Quartier "):
        if head.startswith(prefix):
            head = head[len(prefix):]
    return head
