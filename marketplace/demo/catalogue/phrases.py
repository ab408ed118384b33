"""Trade-independent sentence fragments: founders' paths, areas served, structure families, sign-offs.

Placeholders filled by the generator: {first} {commune} {a_commune} {de_commune} {dept} {dept_name}
{dept_loc} {qpv} {year} {years}.
"""

STORIES = (
    "{first} a créé l'entreprise en {year} après un parcours à la couveuse d'entreprises du quartier.",
    "L'aventure a commencé en {year}, avec un prêt d'honneur et beaucoup de bouche-à-oreille dans le quartier {qpv}.",
    "Accompagné{e} par la boutique de gestion locale, {first} s'est lancé{e} en {year} et n'a jamais regretté.",
    "Lauréat d'un concours de créateurs des quartiers en {year}, {first} a pu financer ses premiers équipements.",
    "Née dans le quartier {qpv}, l'entreprise y recrute toujours en priorité.",
    "{first} a repris l'activité en {year} avec deux anciens collègues, sans rien changer à l'exigence du métier.",
    "Après {years} ans comme salarié{e}, {first} a franchi le pas de la création en {year}.",
    "Nous avons démarré en {year} dans un local partagé de la pépinière {de_commune}, et nous y sommes encore.",
)

AREAS = (
    "Nous intervenons {a_commune} et dans tout le département ({dept}).",
    "Zone d'intervention : {commune} et les communes voisines, ponctuellement au-delà.",
    "Basés {a_commune}, nous nous déplaçons partout {dept_loc}.",
    "Rayon d'action habituel : une trentaine de kilomètres autour {de_commune}.",
    "Interventions {dept_loc} et dans les départements limitrophes sur demande.",
    "Implantés au cœur du quartier {qpv}, nous travaillons surtout {dept_loc}.",
)

SIGN_OFFS = (
    "Devis gratuit sous 48 heures.",
    "N'hésitez pas à nous contacter pour une visite sur place.",
    "Réponse à toute demande de devis dans la journée.",
    "Ouverts aux groupements avec d'autres entreprises du quartier pour les marchés plus importants.",
    "Nous sommes à jour de nos attestations URSSAF et fiscales, disponibles sur simple demande.",
)

# One sentence about the structure family, added for the inclusive families only.
STRUCTURE_SENTENCES = {
    "association": (
        "Association loi 1901, nous réinvestissons nos excédents dans l'accompagnement des habitants.",
        "Notre association emploie des habitants du quartier et forme chaque année de nouveaux bénévoles.",
    ),
    "siae": (
        "Structure d'insertion conventionnée, nous accompagnons chaque année une vingtaine de salariés "
        "vers un emploi durable.",
        "Entreprise d'insertion : chaque chantier est aussi un parcours de formation pour nos salariés.",
        "Nos prestations peuvent entrer dans vos clauses sociales d'insertion : heures facturées et suivies.",
    ),
    "ea_esat": (
        "Entreprise adaptée : plus de 55 % de nos salariés sont en situation de handicap, encadrés par des "
        "moniteurs du métier.",
        "Travailler avec nous vous permet de valoriser vos achats auprès du secteur protégé et adapté.",
    ),
    "scop_scic": (
        "Coopérative, nous sommes tous associés : chaque salarié a voix au chapitre.",
        "En SCOP depuis notre création, nous partageons les décisions et les résultats.",
    ),
}
