"""Who is in the demonstration: the two structures, their counsellors and their rights,
the names young people are drawn from, and the showcase dossiers of the guide's scenarios."""

from cep_tui.vocabulary import DossierStatus

J = DossierStatus.JUSTIFIED.value
NJ = DossierStatus.NOT_JUSTIFIED.value

DEFAULT_LOGIN = "c.dupont"
DEMO_LOGINS: tuple[str, ...] = ("c.dupont", "m.bernard", "l.petit", "jm.luciani")

STRUCTURES = (
    ("ML2A", "Mission Locale du Pays Ajaccien"),
    ("MLBA", "Mission Locale de Balagne"),
)

# login, first name, last name, structure code, rights (view, edit, events, propose_cep,
# manage_offers, administer)
COUNSELLORS = (
    ("c.dupont", "Claire", "Dupont", "ML2A", (1, 1, 1, 1, 1, 1)),
    ("m.bernard", "Marc", "Bernard", "ML2A", (1, 1, 1, 1, 0, 0)),
    ("l.petit", "Laure", "Petit", "ML2A", (1, 0, 0, 0, 0, 0)),
    ("jm.luciani", "Jean-Marc", "Luciani", "MLBA", (1, 1, 1, 1, 1, 1)),
)
# The right a large structure's other counsellors hold: the day-to-day follow-up.
FOLLOW_UP_RIGHTS = (1, 1, 1, 1, 0, 0)
# How often each is the référent of a young person of their structure.
REFERENT_WEIGHTS = {"c.dupont": 30, "m.bernard": 40, "l.petit": 18, "jm.luciani": 90}

LAST_NAMES = (
    # Corsican
    "Santoni", "Pietri", "Leca", "Casanova", "Luciani", "Orsini", "Ceccaldi", "Filippi",
    "Albertini", "Paoli", "Colonna", "Mattei", "Giacomoni", "Poli", "Susini", "Bartoli",
    "Acquaviva", "Peretti", "Giudicelli", "Antonetti", "Franceschi", "Mariani", "Marchetti",
    "Cristofari", "Nicolaï", "Battesti", "Agostini", "Rocca Serra", "Multedo", "Tomasi",
    "Simeoni", "Versini", "Pinelli", "Graziani", "Cesari", "Guidoni", "Ottaviani",
    "Bonifaci", "Pianelli", "Quilichini", "Rossi", "Lucchini", "Leoni", "Istria",
    "Vincentelli", "Zuccarelli", "Bernardini", "Alfonsi", "Poggi", "Mondoloni", "Padovani",
    "Mozziconacci", "Canarelli", "Ferracci", "Castelli", "Della Rocca", "Dell'Ova",
    "Sialelli", "Nivaggioni", "Santucci", "Grimaldi", "Pozzo di Borgo", "Ettori",
    # French mainland
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand",
    "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupuis",
    "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
    "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Fontaine", "Chevalier", "Robin", "Masson", "Gérard", "Boyer",
    "Lemaire", "Duval", "Joly", "Noël", "Marchand", "Dufour", "Blanchard", "Barbier",
    "Lemaître", "Benoît", "Le Gall", "Le Goff", "Saint-Exupéry", "Œuvray", "Cœur",
    "Lebœuf", "Hérault", "Béranger", "Lévêque", "Desrosières", "Chrétien",
    "Dupré", "Lenôtre", "Lhuillier", "L'Hôte", "D'Angelo", "D'Ornano",
    # Families from elsewhere, as in any Corsican town
    "Da Silva", "Ferreira", "Pereira", "Dos Santos", "Rodrigues", "Gonçalves", "Benali",
    "Haddad", "Ben Saïd", "El Amrani", "Bensalem", "Boukhari", "Diallo", "Traoré",
    "N'Diaye", "Cissé", "Koné", "Camara", "M'Bemba", "Nguyen", "Tran", "Rakotomalala",
    "Öztürk", "Kovačević", "Ionescu", "Popescu", "Lopez", "Sanchez", "Perez", "Gomez",
)  # fmt: skip

FIRST_NAMES_F = (
    "Élodie", "Anaïs", "Maëlys", "Léa", "Chloé", "Inès", "Manon", "Zoé", "Océane", "Jade",
    "Camille", "Lucie", "Noémie", "Laetitia", "Lætitia", "Marie-Ange", "Ghjulia", "Maria",
    "Sarah", "Yasmine", "Fatoumata", "Héloïse", "Cléa", "Emma", "Lola", "Romane",
    "Mélissa", "Aïcha", "Lisa", "Julia", "Clara", "Éva", "Louna", "Ambre", "Margaux",
    "Justine", "Audrey", "Célia", "Sofia", "Ilona", "Nina", "Rose", "Lina", "Salomé",
    "Mathilde", "Marie-Lou", "Anne-Sophie", "Ophélie", "Angèle", "Maëva", "Kenza",
    "Myriam", "Chjara", "Francesca", "Ghjuvanna", "Stella", "Marina", "Vanina", "Gaëlle",
    "Zoë", "Nadège", "Bérénice", "Solène", "Loïse", "Thaïs", "Maïa", "Anna-Maria",
)  # fmt: skip

FIRST_NAMES_M = (
    "Jean-Baptiste", "Ghjuvan", "Ghjuvan Petru", "Lucas", "Théo", "Hugo", "Mathéo", "Noé",
    "Enzo", "Raphaël", "Joël", "Anthony", "Dylan", "Kévin", "Jérémy", "Mickaël",
    "Paul-Antoine", "Pierre-Louis", "Ange", "Ange-Mathieu", "Dumè", "Petru", "Matteu",
    "Antone", "Ibrahim", "Moussa", "Yanis", "Rayan", "Sébastien", "François", "Loïc",
    "Gaëtan", "Benoît", "Noël", "Jules", "Nathan", "Louis", "Gabriel", "Arthur", "Tom",
    "Maxime", "Alexandre", "Baptiste", "Quentin", "Valentin", "Florian", "Julien",
    "Nicolas", "Thomas", "Adam", "Mohamed", "Karim", "Sofiane", "Mehdi", "Bilal", "Paulu",
    "Lisandru", "Orsu", "Carlu", "Santu", "Xavier", "Jérôme", "Cédric", "Aurélien",
    "Anthéo", "Eliott", "Timéo", "Léandre", "Côme", "Maël", "Jean-Noël", "Marc-Aurèle",
)  # fmt: skip

# Showcase dossiers: always present, whatever the seed, for the guide's scenarios.
# last, first, sex, (age in years, days since the last birthday), status, referent, CEP state
SHOWCASE_ML2A = (
    ("Cœur", "Élodie", "F", (19, 140), J, "c.dupont", "phase2"),
    ("Lefèvre", "Anaïs", "F", (22, 30), J, "c.dupont", "phase3"),
    ("N'Diaye", "Moussa", "M", (20, 200), NJ, "m.bernard", None),
    ("Saint-Exupéry", "Jean-Baptiste", "M", (24, 75), J, "c.dupont", "closed"),
    ("Œuvray", "Maëlys", "F", (18, 10), J, "m.bernard", "planned"),
    ("Santoni", "Ghjuvan", "M", (23, 300), J, "c.dupont", None),
    ("Casanova", "Léa", "F", (16, 60), J, "c.dupont", "phase2"),
    ("Filippi", "Lætitia", "F", (21, 90), J, "l.petit", None),
    ("Pietri", "Noé", "M", (15, 180), J, "c.dupont", None),
    ("D'Angelo", "Chloé", "F", (15, 40), J, "l.petit", None),
)  # fmt: skip
