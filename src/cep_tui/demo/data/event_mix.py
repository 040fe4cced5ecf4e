"""How events are spread: their contexts, natures, directions, reception places and the
functions of who meets the young person; weights are relative frequencies."""

# A non-CEP offer's theme and the context of the event in which it is proposed.
THEME_CONTEXT = {
    "Santé": "Santé",
    "Projet professionnel": "Projet professionnel",
    "Logement": "Logement",
    "Citoyenneté": "Citoyenneté",
    "Emploi": "Emploi",
    "Loisir sport culture": "Événement général",
    "Formation": "Formation",
}
CONTEXT_WEIGHTS = {
    "Événement général": 30,
    "Emploi": 20,
    "Formation": 15,
    "Projet professionnel": 10,
    "Mobilité": 8,
    "Logement": 6,
    "Citoyenneté": 6,
    "Santé": 5,
}
NATURE_WEIGHTS = {
    "Entretien individuel": 45,
    "Téléphone": 15,
    "SMS": 8,
    "E-mail": 8,
    "Atelier": 7,
    "Information collective": 5,
    "Courrier": 3,
    "Visite": 3,
    "Médiation": 3,
}
REMOTE_NATURES = ("Téléphone", "SMS", "E-mail", "Courrier")
DIRECTIONS = (
    "Jeune vers Structure",
    "Structure vers Jeune",
    "Partenaire vers Structure",
    "Structure vers Partenaire",
)
REMOTE_DIRECTION_WEIGHTS = {
    "Structure vers Jeune": 60,
    "Jeune vers Structure": 25,
    "Partenaire vers Structure": 10,
    "Structure vers Partenaire": 5,
}
RECEPTION_PLACES = ("Siège", "Antenne", "Permanence", "Hors les murs", "À distance")
FUNCTIONS = (
    "Conseiller",
    "Chargé d'accueil",
    "Chargé de relation entreprise",
    "Psychologue",
    "Direction",
)
