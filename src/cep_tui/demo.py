"""Demonstration data: a realistic Mission Locale in Corsica, the same for a given seed.

`populate` fills an opened and migrated database with two structures (the Mission Locale du
Pays Ajaccien, where the guide's screenshots were taken, and its Balagne neighbour), their
counsellors, young people, offers of service, CEP enrolments in every state, events with
their actions, proposals, requests and appointments. Everything is drawn from one
`random.Random(seed)` and dated relative to the clock's today, so a seed and a day always
give the same rows. Rows go in with bulk inserts (explicit ids, batches of dossiers), so
that the "large" size (100,000 dossiers, about a million events) stays fast.

Demo generation is not a counsellor's action: it writes no audit record.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

from peewee import Database, fn

from cep_tui.clock import Clock
from cep_tui.db import search
from cep_tui.db.connection import database_proxy, is_sqlite, write_transaction
from cep_tui.db.models import (
    Appointment,
    BaseModel,
    Counsellor,
    DispositifType,
    Dossier,
    Enrolment,
    Event,
    EventAction,
    Offer,
    PhasePeriod,
    Proposal,
    ReferenceValue,
    Request,
    Structure,
)
from cep_tui.services.dates import format_date
from cep_tui.services.dossiers import dossier_search_text
from cep_tui.services.offers import offer_search_text
from cep_tui.text import fold
from cep_tui.vocabulary import (
    CEP_CODE,
    ActionKind,
    DossierStatus,
    EnrolmentStatus,
    ExitReason,
    OfferOrigin,
    ReferenceKind,
)

DEFAULT_LOGIN = "c.dupont"
DEMO_LOGINS: tuple[str, ...] = ("c.dupont", "m.bernard", "l.petit", "jm.luciani")
SIZES = ("small", "large")

ProgressCallback = Callable[[int, int], None]

# Dossiers generated, then written, per batch; also the row chunk of insert_many.
BATCH = 500
EAV_CODE = "EMPLOI_AVENIR"

J = DossierStatus.JUSTIFIED.value
NJ = DossierStatus.NOT_JUSTIFIED.value
K = ReferenceKind


@dataclass(frozen=True)
class DemoSummary:
    """How many rows `populate` wrote, table by table."""

    structures: int
    counsellors: int
    dossiers: int
    offers: int
    enrolments: int
    phase_periods: int
    events: int
    event_actions: int
    proposals: int
    requests: int
    appointments: int


@dataclass(frozen=True)
class _Profile:
    dossiers: tuple[int, int]  # ML2A, MLBA
    offers_total: int | None  # None: only the fixed catalogue
    events_per_dossier: int  # on average, all events included
    extra_counsellors: tuple[int, int]


PROFILES = {
    "small": _Profile(dossiers=(200, 12), offers_total=None, events_per_dossier=5,
                      extra_counsellors=(0, 0)),
    "large": _Profile(dossiers=(99_000, 1_000), offers_total=10_000, events_per_dossier=10,
                      extra_counsellors=(36, 4)),
}  # fmt: skip

# --------------------------------------------------------------------------------------
# The structures and their counsellors
# --------------------------------------------------------------------------------------

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

# --------------------------------------------------------------------------------------
# People, places and words
# --------------------------------------------------------------------------------------

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

# city, postal code, weight, streets
PLACES_ML2A = (
    ("Ajaccio", "20000", 30, (
        "cours Napoléon", "rue Fesch", "boulevard Pascal Rossini", "cours Grandval",
        "rue du Général Fiorella", "boulevard Sampiero", "avenue de Paris",
        "rue Cardinal Fesch", "boulevard Madame Mère", "rue Bonaparte",
        "avenue Beverini Vico", "route des Sanguinaires",
    )),
    ("Ajaccio", "20090", 30, (
        "avenue Noël Franchini", "quartier des Salines, résidence Les Jardins de l'Empereur",
        "chemin de la Pietrina", "avenue du Maréchal Lyautey", "quartier Saint-Jean",
        "boulevard Louis Campi", "résidence Les Cannes, bât. C", "chemin de Biancarello",
        "avenue de la Grande Armée", "route du Vazzio",
    )),
    ("Alata", "20167", 3, ("route d'Alata", "lotissement U Pratu")),
    ("Afa", "20167", 3, ("lotissement Les Oliviers", "route de Baléone")),
    ("Sarrola-Carcopino", "20167", 3, ("route de Mezzavia", "hameau de Carcopino")),
    ("Bastelicaccia", "20129", 3, ("route de l'Aéroport", "lotissement A Macchja")),
    ("Grosseto-Prugna", "20166", 4, ("Porticcio, route de Sainte-Lucie",
                                     "Porticcio, résidence Agosta Plage")),
    ("Cauro", "20117", 1, ("route nationale 196",)),
    ("Porto-Vecchio", "20137", 4, ("rue du Général de Gaulle", "route de Bastia",
                                   "quartier Pifano")),
    ("Propriano", "20110", 3, ("avenue Napoléon", "rue du Port")),
    ("Sartène", "20100", 2, ("cours Sœur Amélie", "rue Borgo")),
    ("Bastia", "20200", 2, ("boulevard Paoli", "rue César Campinchi")),
    ("Bastia", "20600", 2, ("quartier Lupino", "avenue de la Libération")),
    ("L'Île-Rousse", "20220", 2, ("avenue Paul Doumer", "rue Notre-Dame")),
    ("Bonifacio", "20169", 1, ("montée Rastello",)),
    ("Cargèse", "20130", 1, ("rue du Docteur Dragacci",)),
    ("Vico", "20160", 1, ("place Padre Rocco",)),
)  # fmt: skip

PLACES_MLBA = (
    ("L'Île-Rousse", "20220", 35, ("avenue Paul Doumer", "rue Notre-Dame",
                                   "promenade A Marinella", "place Paoli")),
    ("Calvi", "20260", 30, ("boulevard Wilson", "avenue de la République",
                            "rue Clemenceau", "quartier Alzeta")),
    ("Lumio", "20260", 8, ("route de Calvi",)),
    ("Calenzana", "20214", 10, ("rue Saint-Blaise", "route de Calvi")),
    ("Belgodère", "20226", 6, ("place de l'Église",)),
    ("Monticello", "20220", 6, ("hameau de Monticello",)),
    ("Algajola", "20220", 5, ("route du Port",)),
)  # fmt: skip

MAIL_DOMAINS = ("gmail.com", "orange.fr", "hotmail.fr", "laposte.net", "sfr.fr", "free.fr",
                "outlook.fr", "yahoo.fr", "icloud.com")  # fmt: skip

COMPLEMENTARY_INFO = (
    "", "", "",
    "Permis B en cours (code obtenu).",
    "Titulaire du permis B, véhiculé.",
    "Pas de moyen de locomotion : dépend des bus urbains.",
    "Bilingue français-corse.",
    "Parle couramment l'anglais et l'italien.",
    "RQTH en cours de demande.",
    "Disponible uniquement le matin (garde d'enfant).",
    "Suivi par l'assistante sociale du secteur.",
    "Hébergé chez un membre de sa famille.",
    "Bénévole dans un club de football local.",
    "A travaillé deux saisons comme serveur à Porticcio.",
    "Souhaite être contacté(e) par SMS plutôt que par téléphone.",
    "Titulaire du PSC1 et du BAFA.",
)  # fmt: skip

SITUATIONS = (
    "Demandeur d'emploi inscrit à France Travail.",
    "En recherche d'emploi, sans diplôme.",
    "Lycéen(ne) en terminale professionnelle.",
    "Titulaire d'un CAP cuisine, en recherche d'emploi saisonnier.",
    "Sorti(e) du système scolaire sans qualification.",
    "En CDD saisonnier dans l'hôtellerie jusqu'en octobre.",
    "Étudiant(e) en BTS tourisme, souhaite se réorienter.",
    "Bac pro commerce, en recherche d'alternance.",
    "Intérimaire dans le bâtiment.",
    "En formation qualifiante (AFPA).",
    "Emploi à temps partiel dans la grande distribution.",
    "Bachelier(e), en recherche de formation.",
    "En service civique jusqu'en juin.",
    "Sans activité depuis plusieurs mois, souhaite faire le point.",
    "Titulaire d'un CAP petite enfance, recherche un emploi d'accompagnant.",
)  # fmt: skip

REQUEST_SUBJECTS = (
    "Aide au permis de conduire", "Recherche de logement", "Aide financière (FAJ)",
    "Aide à la mobilité (carte de transport)", "Demande de formation",
    "Aide alimentaire d'urgence", "Attestation d'inscription", "Complémentaire santé",
    "Recherche d'un contrat en alternance", "Aide à l'équipement professionnel",
    "Orientation vers un bilan de compétences", "Aide aux démarches CAF",
)  # fmt: skip

APPOINTMENT_SUBJECTS = (
    "Entretien de suivi", "Entretien de suivi", "Atelier CV et lettre de motivation",
    "Information collective", "Point sur la recherche de formation",
    "Préparation à l'entretien d'embauche", "Entretien avec la psychologue",
)  # fmt: skip
CEP_APPOINTMENT_SUBJECTS = (
    "Entretien CEP – conseil personnalisé",
    "Entretien CEP – mise en œuvre du projet",
)
APPOINTMENT_PLACES = {
    "ML2A": ("Siège – Ajaccio", "Siège – Ajaccio", "Antenne des Salines",
             "Permanence de Porticcio", "Permanence de Propriano", "Entretien téléphonique"),
    "MLBA": ("Siège – L'Île-Rousse", "Siège – L'Île-Rousse", "Permanence de Calvi",
             "Entretien téléphonique"),
}  # fmt: skip

COMMENTS = {
    CEP_CODE: (
        "Entretien CEP : point sur le parcours scolaire et les compétences acquises.",
        "Conseil personnalisé : exploration des métiers de l'hôtellerie-restauration.",
        "Travail sur le projet d'évolution ; enquête métier à réaliser pour le prochain "
        "rendez-vous.",
        "Formalisation du projet professionnel, plan d'action validé avec le jeune.",
        "Mise en œuvre du projet : recherche de financement de la formation.",
        "Point d'étape CEP : démarches de VAE engagées auprès de Transitions Pro.",
        "Restitution des tests d'intérêts professionnels ; deux pistes retenues.",
        "Préparation de l'immersion en entreprise (PMSMP) de la semaine prochaine.",
    ),
    "Événement général": (
        "Mise à jour du dossier et des coordonnées.",
        "Point de situation général, pas de changement.",
        "Remise de l'attestation d'inscription à la Mission Locale.",
        "Entretien de suivi : le jeune est motivé, relance dans un mois.",
        "",
    ),
    "Emploi": (
        "Relance des candidatures spontanées dans la grande distribution.",
        "Préparation à l'entretien d'embauche chez un employeur du port de commerce.",
        "Offre de saisonnier transmise (serveur, Porticcio).",
        "Signature d'un CDD de six mois chez un artisan ; félicitations !",
        "Aide à la mise à jour du CV et inscription sur le site de France Travail.",
    ),
    "Formation": (
        "Recherche d'une formation qualifiante en réception hôtelière.",
        "Dossier d'inscription AFPA complété avec le jeune.",
        "Information sur l'apprentissage et les CFA de Corse-du-Sud.",
        "Résultat de l'entretien de sélection GRETA : admis(e).",
    ),
    "Santé": (
        "Orientation vers le bilan de santé de la CPAM.",
        "Aide à la demande de complémentaire santé solidaire.",
        "Rendez-vous pris avec le point écoute jeunes.",
    ),
    "Logement": (
        "Demande de logement au foyer de jeunes travailleurs.",
        "Information sur l'aide Mobili-Jeune d'Action Logement.",
        "Situation d'hébergement précaire, orientation vers le CCAS.",
    ),
    "Mobilité": (
        "Montage du dossier d'aide au permis de conduire.",
        "Remise d'une carte de bus (aide à la mobilité).",
        "Inscription au code de la route à l'auto-école partenaire.",
    ),
    "Citoyenneté": (
        "Information sur le service civique et les missions disponibles.",
        "Aide au renouvellement de la carte d'identité.",
        "Participation à l'atelier sur les démarches en ligne.",
    ),
    "Projet professionnel": (
        "Découverte des métiers du tourisme et de l'animation.",
        "Travail sur les centres d'intérêt et les valeurs professionnelles.",
        "Visite du salon de l'orientation à Ajaccio.",
    ),
}
# What a counsellor writes in the event where a dispositif changed.
MILESTONE_COMMENTS = {
    "cep_added": (
        "Entretien d'initialisation : le jeune souhaite faire le point sur son parcours ; "
        "entrée en conseil personnalisé.",
        "Présentation du CEP et de ses étapes ; le jeune adhère à la démarche.",
        "Orienté(e) par son aiguilleur, le jeune entre dans le CEP.",
    ),
    "cep_added_phase_3": ("Projet déjà formalisé : entrée directe en phase 3.",),
    "phase_3": (
        "Projet formalisé : passage en accompagnement à la mise en œuvre du projet.",
        "Plan d'action validé avec le jeune ; phase 3 programmée.",
    ),
    "modified": ("Mise à jour du dispositif : prescripteur et type de projet précisés.",),
    "eav_added": ("Signature d'un contrat emploi d'avenir ; point sur l'intégration.",),
    "eav_closed": ("Fin du contrat emploi d'avenir ; bilan avec le jeune et l'employeur.",),
    ExitReason.ACTION_PLAN_COMPLETED.value: (
        "Plan d'action réalisé : entrée en formation qualifiante, clôture du CEP.",
        "Le jeune a signé un CDI ; objectifs du plan d'action atteints.",
    ),
    ExitReason.INTERRUPTION_OBSERVED.value: (
        "Sans nouvelles du jeune malgré plusieurs relances : interruption constatée.",
    ),
    ExitReason.INTERRUPTION_FORMALISED.value: (
        "Le jeune souhaite mettre le CEP entre parenthèses (emploi saisonnier).",
    ),
    ExitReason.MOVED_AWAY.value: ("Déménagement sur le continent ; dossier transmis.",),
    ExitReason.DEATH.value: ("Clôture du dispositif.",),
}
WALK_IN_COMMENTS = (
    "Venu(e) sans rendez-vous pour une attestation d'inscription.",
    "Passage à l'accueil : demande d'aide pour le dossier CAF.",
    "Passage spontané pour consulter les offres d'emploi affichées.",
    "Venu(e) déposer son CV mis à jour.",
)
PROPOSAL_COMMENTS = (
    "", "",
    "Jeune intéressé(e), CV transmis au partenaire.",
    "Positionnement sur la prochaine session.",
    "Information collective prévue le mois prochain.",
    "À confirmer après l'entretien avec le partenaire.",
    "Proposition acceptée, inscription en cours.",
)  # fmt: skip
PRESCRIBERS = (
    "Mme Orsini (France Travail Ajaccio)", "M. Leca (CIO d'Ajaccio)",
    "Mme Martin (assistante sociale, CCAS)", "M. Giudicelli (Cap emploi)",
    "Mme Tomasi (lycée Jean-Paul de Rocca Serra)", "M. Durand (Transitions Pro Corse)",
)  # fmt: skip

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

# --------------------------------------------------------------------------------------
# The offers of service
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _OfferSpec:
    name: str
    theme: str
    act: str
    measure: str | None  # a national measure's label
    partner: str
    state: str
    start: tuple[int, int, int] | int  # (years back, month, day) or days from today
    end: int | None = None  # days from today
    offer_type: str = ""
    contract: str = ""
    regional_act: str = ""
    public: str = "Jeunes de 16 à 25 ans suivis par la Mission Locale."
    prerequisites: str = ""
    places: int | None = None
    contact: str = ""
    origin: str = OfferOrigin.ML.value
    referent: int = 0  # index into the structure's counsellors


FORMATION = "Info. Conseil sur les formations"
PROJECT = "Aide à la construction du projet"
JOB_SEARCH = "Accompagnement à la recherche d'emploi"
MATCH = "Mise en relation sur une offre"
WORKSHOP = "Atelier collectif"
MOBILITY = "Aide à la mobilité"
RIGHTS = "Accès aux droits"
WELCOME = "Accueil et information"
ML2A_CONTACT = "Mission Locale du Pays Ajaccien – 04 95 10 40 00"

OFFERS_ML2A = (
    _OfferSpec("OFFRE CEP", "Formation", FORMATION, CEP_CODE, "", "Permanente", (4, 4, 18),
               offer_type="Accueil individualisé", public="Jeunes de plus de 16 ans souhaitant "
               "faire le point sur leur situation professionnelle.", contact=ML2A_CONTACT),
    _OfferSpec("AFPA RECEPTION NISTE EN HOTELLERIE AJACCIO", "Formation", FORMATION, CEP_CODE,
               "AFPA Ajaccio", "Ponctuelle", -420, offer_type="Formation qualifiante",
               contract="Stage de formation professionnelle",
               prerequisites="Niveau 3e ; anglais de base ; entretien de sélection.",
               places=12, contact="AFPA Ajaccio, centre de Mezzavia – 04 95 23 70 00",
               origin=OfferOrigin.OTHER.value, referent=1),
    _OfferSpec("GR2B RÉCEPTION NISTE ILE ROUSSE", "Formation", FORMATION, CEP_CODE,
               "GRETA de la Haute-Corse", "Ponctuelle", -380, offer_type="Formation qualifiante",
               regional_act="Formation Collectivité de Corse",
               prerequisites="Projet validé dans l'hôtellerie ; mobilité vers L'Île-Rousse.",
               places=10, contact="GRETA 2B, antenne de L'Île-Rousse",
               origin=OfferOrigin.OTHER.value),
    _OfferSpec("CEP – ATELIER « FAIRE LE POINT SUR SON PARCOURS »", "Projet professionnel",
               WORKSHOP, CEP_CODE, "", "Permanente", -900, offer_type="Atelier",
               places=8, contact=ML2A_CONTACT, referent=1),
    _OfferSpec("CEP – ENTRETIEN CONSEIL EN ÉVOLUTION PROFESSIONNELLE", "Projet professionnel",
               PROJECT, CEP_CODE, "", "Permanente", -1000, offer_type="Entretien individuel",
               contact=ML2A_CONTACT),
    _OfferSpec("VAE – INFORMATION COLLECTIVE", "Formation", FORMATION, CEP_CODE,
               "Transitions Pro Corse", "Ponctuelle", -300, offer_type="Information collective",
               prerequisites="Un an d'expérience dans le métier visé.", places=15,
               contact="Transitions Pro Corse – Ajaccio"),
    _OfferSpec("CONTRAT D'ENGAGEMENT JEUNE – PARCOURS INTENSIF", "Emploi", JOB_SEARCH, "CEJ",
               "France Travail", "Permanente", -1100, offer_type="Accompagnement",
               contract="Contrat d'engagement jeune",
               prerequisites="Ni en emploi ni en formation ; 15 à 20 heures d'activité par "
               "semaine.", contact=ML2A_CONTACT),
    _OfferSpec("PACEA – PARCOURS D'ACCOMPAGNEMENT CONTRACTUALISÉ", "Projet professionnel",
               PROJECT, "PACEA", "", "Permanente", -1200, offer_type="Accompagnement",
               contact=ML2A_CONTACT, referent=1),
    _OfferSpec("JOB DATING SAISONNIERS HÔTELLERIE-RESTAURATION", "Emploi", MATCH, None,
               "France Travail Ajaccio", "Ponctuelle", -250, end=-200, offer_type="Job dating",
               contract="CDD saisonnier", places=40,
               contact="France Travail Ajaccio – agence du Finosello"),
    _OfferSpec("FORUM DE L'ALTERNANCE CCI AJACCIO", "Formation", FORMATION, None,
               "CCI de Corse – Ajaccio", "Ponctuelle", -160, end=-150, offer_type="Forum",
               contract="Contrat d'apprentissage", contact="CCI de Corse, quai l'Herminier"),
    _OfferSpec("AIDE AU PERMIS DE CONDUIRE B", "Citoyenneté", MOBILITY, None,
               "Collectivité de Corse", "Permanente", -700, offer_type="Aide financière",
               prerequisites="Code obtenu ; projet professionnel nécessitant le permis.",
               places=25, contact=ML2A_CONTACT),
    _OfferSpec("ATELIER CV ET LETTRE DE MOTIVATION", "Emploi", WORKSHOP, None, "",
               "Permanente", -800, offer_type="Atelier", places=10, contact=ML2A_CONTACT,
               referent=1),
    _OfferSpec("SIMULATION D'ENTRETIEN D'EMBAUCHE", "Emploi", WORKSHOP, "Parrainage",
               "Réseau des parrains de la ML2A", "Ponctuelle", -200, offer_type="Atelier",
               places=6, contact=ML2A_CONTACT),
    _OfferSpec("BILAN DE SANTÉ CPAM", "Santé", RIGHTS, None, "CPAM de Corse-du-Sud",
               "Permanente", -650, offer_type="Bilan", contact="CPAM, centre d'examens de santé"),
    _OfferSpec("POINT ÉCOUTE JEUNES – SOUTIEN PSYCHOLOGIQUE", "Santé", RIGHTS, None,
               "Maison des adolescents de Corse-du-Sud", "Permanente", -560,
               offer_type="Permanence", contact="Permanence le mercredi après-midi"),
    _OfferSpec("FOYER DE JEUNES TRAVAILLEURS – DEMANDE DE LOGEMENT", "Logement", RIGHTS, None,
               "FJT d'Ajaccio", "Permanente", -900, offer_type="Hébergement",
               prerequisites="Être en emploi, en formation ou en alternance.", places=4),
    _OfferSpec("AIDE MOBILI-JEUNE", "Logement", RIGHTS, None, "Action Logement",
               "Permanente", -500, offer_type="Aide financière",
               prerequisites="Alternant(e) de moins de 30 ans."),
    _OfferSpec("SERVICE CIVIQUE EN CORSE-DU-SUD", "Citoyenneté", MATCH, None,
               "Ligue de l'enseignement de Corse", "Permanente", -600,
               offer_type="Mission de service civique", contract="Engagement de service civique",
               places=20),
    _OfferSpec("BAFA – FORMATION GÉNÉRALE", "Loisir sport culture", FORMATION, None, "UFCV",
               "Ponctuelle", -120, end=90, offer_type="Formation", places=16,
               prerequisites="Avoir 17 ans au premier jour de la session."),
    _OfferSpec("PASS'SPORT ET PASS CULTURE", "Loisir sport culture", WELCOME, None,
               "Service jeunesse de la ville d'Ajaccio", "Permanente", -450,
               offer_type="Information"),
    _OfferSpec("PRÉPARATION OPÉRATIONNELLE À L'EMPLOI – BTP", "Formation", FORMATION, "PPAE",
               "France Travail", "Ponctuelle", -90, end=60, offer_type="POEC",
               contract="CDI à l'issue de la formation", places=12,
               prerequisites="Inscrit(e) à France Travail ; aptitude physique."),
    _OfferSpec("TITRE PROFESSIONNEL SERVEUR EN RESTAURATION", "Formation", FORMATION, None,
               "AFPA Ajaccio", "Ponctuelle", -60, end=200, offer_type="Formation qualifiante",
               places=12, origin=OfferOrigin.OTHER.value),
    _OfferSpec("CAP CUISINE EN APPRENTISSAGE", "Formation", FORMATION, None,
               "Chambre de Métiers et de l'Artisanat de Corse-du-Sud", "Permanente", -730,
               offer_type="Apprentissage", contract="Contrat d'apprentissage",
               prerequisites="Avoir trouvé un employeur ; 16 ans révolus.",
               origin=OfferOrigin.OTHER.value),
    _OfferSpec("CHANTIER D'INSERTION – SENTIERS DU LITTORAL", "Emploi", MATCH, None,
               "Association Sentieri di Corsica", "Ponctuelle", -340, end=-30,
               offer_type="Chantier d'insertion", contract="CDDI", places=8),
    _OfferSpec("ATELIER NUMÉRIQUE – DÉMARCHES EN LIGNE", "Citoyenneté", WORKSHOP, None, "",
               "Inactive", -1050, offer_type="Atelier", places=8, referent=2),
    _OfferSpec("INSCRIPTION À FRANCE TRAVAIL", "Emploi", RIGHTS, "PPAE", "France Travail",
               "Permanente", -1300, offer_type="Démarche"),
)  # fmt: skip

OFFERS_MLBA = (
    _OfferSpec("OFFRE CEP BALAGNE", "Formation", FORMATION, CEP_CODE, "", "Permanente",
               (5, 9, 1), offer_type="Accueil individualisé",
               contact="Mission Locale de Balagne – L'Île-Rousse"),
    _OfferSpec("EMPLOIS SAISONNIERS CALVI", "Emploi", MATCH, None, "France Travail Calvi",
               "Ponctuelle", -240, end=-60, contract="CDD saisonnier", places=30),
    _OfferSpec("GR2B RÉCEPTION NISTE ILE ROUSSE", "Formation", FORMATION, CEP_CODE,
               "GRETA de la Haute-Corse", "Ponctuelle", -380, places=10,
               origin=OfferOrigin.OTHER.value),
)  # fmt: skip

# Pieces of the generated catalogue (size "large").
GENERATED_OFFERS = (
    ("ATELIER CV ET LETTRE DE MOTIVATION", "Emploi", WORKSHOP, None, ""),
    ("JOB DATING {sector}", "Emploi", MATCH, None, "France Travail"),
    ("TITRE PRO {trade}", "Formation", FORMATION, None, "AFPA"),
    ("TITRE PRO {trade}", "Formation", FORMATION, CEP_CODE, "GRETA de Corse"),
    ("INFORMATION COLLECTIVE CEP", "Projet professionnel", PROJECT, CEP_CODE, ""),
    ("DÉCOUVERTE DES MÉTIERS {sector}", "Projet professionnel", PROJECT, None, "CCI de Corse"),
    ("AIDE AU PERMIS B", "Citoyenneté", MOBILITY, None, "Collectivité de Corse"),
    ("LOGEMENT DES JEUNES", "Logement", RIGHTS, None, "Action Logement"),
    ("BILAN DE SANTÉ", "Santé", RIGHTS, None, "CPAM"),
    ("SPORT ET INSERTION", "Loisir sport culture", WORKSHOP, None, "CROS de Corse"),
    ("SERVICE CIVIQUE {sector}", "Citoyenneté", MATCH, None, "Unis-Cité"),
    ("PARRAINAGE VERS L'EMPLOI", "Emploi", JOB_SEARCH, "Parrainage", ""),
)  # fmt: skip
SECTORS = ("HÔTELLERIE", "RESTAURATION", "BTP", "COMMERCE", "TOURISME", "AGRICULTURE",
           "AIDE À LA PERSONNE", "NAUTISME", "LOGISTIQUE", "NUMÉRIQUE")  # fmt: skip
TRADES = ("RÉCEPTIONNISTE", "SERVEUR", "CUISINIER", "MAÇON", "VENDEUR CONSEIL",
          "AGENT DE SÉCURITÉ", "ASSISTANT DE VIE", "AGENT MAGASINIER", "SECRÉTAIRE",
          "ÉLECTRICIEN")  # fmt: skip
TOWNS = ("AJACCIO", "PORTICCIO", "PROPRIANO", "SARTÈNE", "PORTO-VECCHIO", "CALVI",
         "ILE ROUSSE", "BASTIA", "CORTE")  # fmt: skip

# --------------------------------------------------------------------------------------
# Showcase dossiers: always present, whatever the seed, for the guide's scenarios
# --------------------------------------------------------------------------------------

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

PHASE2, PHASE3, PLANNED, CLOSED = "phase2", "phase3", "planned", "closed"
# How many days before today each state needs its entry date, at the latest.
CEP_MARGINS = {CLOSED: 60, PHASE3: 30, PLANNED: 14, PHASE2: 0}

# --------------------------------------------------------------------------------------
# Columns written, in order (every column: the bulk path knows no Python-side default)
# --------------------------------------------------------------------------------------


def _columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


STRUCTURE_FIELDS = _columns("id code name")
COUNSELLOR_FIELDS = _columns(
    "id login first_name last_name structure right_view_dossier "
    "right_edit_dossier right_events right_propose_cep right_manage_offers "
    "right_administer active"
)
DOSSIER_FIELDS = _columns(
    "id structure number last_name first_name birth_date sex address "
    "postal_code city phone email complementary_info situation status "
    "referent search_text created_at updated_at updated_by version"
)
OFFER_FIELDS = _columns(
    "id structure origin theme service_act regional_service_act offer_type "
    "contract name start_date end_date state referent national_measure "
    "partner public prerequisites places contact search_text created_at "
    "updated_at updated_by version"
)
ENROLMENT_FIELDS = _columns(
    "id dossier dispositif status phase referrer initial_interview_date "
    "entry_date solicitation_reason prescriber_name referent_name "
    "project_type end_date exit_reason created_at created_by updated_at "
    "updated_by version"
)
PHASE_FIELDS = _columns("id enrolment phase start_date end_date")
EVENT_FIELDS = _columns(
    "id dossier event_date primary_context secondary_context tertiary_context "
    "direction nature reception_place function intervenant comment walk_in "
    "in_progress closed_at created_by created_at"
)
ACTION_FIELDS = _columns("id event kind description at counsellor")
PROPOSAL_FIELDS = _columns("id dossier offer event counsellor proposed_on comment created_at")
REQUEST_FIELDS = _columns("id dossier requested_on subject status counsellor")
APPOINTMENT_FIELDS = _columns("id dossier starts_at subject place status counsellor")

TABLE_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {
    Structure: STRUCTURE_FIELDS,
    Counsellor: COUNSELLOR_FIELDS,
    Dossier: DOSSIER_FIELDS,
    Offer: OFFER_FIELDS,
    Enrolment: ENROLMENT_FIELDS,
    PhasePeriod: PHASE_FIELDS,
    Event: EVENT_FIELDS,
    EventAction: ACTION_FIELDS,
    Proposal: PROPOSAL_FIELDS,
    Request: REQUEST_FIELDS,
    Appointment: APPOINTMENT_FIELDS,
}


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def is_empty() -> bool:
    """True when the database holds no structure yet (the first start seeds it)."""
    return not Structure.select().exists()


def populate(
    clock: Clock,
    *,
    seed: int = 2016,
    size: str = "small",
    progress: ProgressCallback | None = None,
) -> DemoSummary:
    """Write the demonstration data into the opened, migrated database; return the counts."""
    profile = PROFILES.get(size)
    if profile is None:
        raise ValueError(
            f"Taille de démonstration inconnue : « {size} ». Tailles possibles : "
            + ", ".join(SIZES)
            + "."
        )
    db = database_proxy.obj
    with write_transaction():
        _check_free()
        builder = _Builder(db, clock, random.Random(seed), profile, progress)
        with search.bulk_loading(db):
            builder.run()
    return builder.summary()


# --------------------------------------------------------------------------------------
# Writing rows in bulk
# --------------------------------------------------------------------------------------


def _check_free() -> None:
    codes = [code for code, _ in STRUCTURES]
    taken = Structure.select(Structure.code).where(Structure.code.in_(codes)).first()
    if taken is not None:
        raise ValueError(
            f"La base contient déjà la structure {taken.code} : les données de "
            "démonstration y sont sans doute déjà."
        )
    login = (
        Counsellor.select(Counsellor.login).where(Counsellor.login.in_(list(DEMO_LOGINS))).first()
    )
    if login is not None:
        raise ValueError(f"L'identifiant « {login.login} » existe déjà dans la base.")


class _Writer:
    """Inserts tuples of values in bulk: executemany on SQLite, insert_many elsewhere.

    Ids are given explicitly (so that rows can point at each other before they exist);
    on PostgreSQL the id sequences are moved past them at the end.
    """

    def __init__(self, db: Database):
        self.db = db
        self.sqlite = is_sqlite(db)
        self.counts: dict[type[BaseModel], int] = {model: 0 for model in TABLE_FIELDS}
        self._sql: dict[type[BaseModel], str] = {}
        self._next: dict[type[BaseModel], int] = {}
        self._sequences = self.sqlite and bool(
            db.execute_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
            ).fetchone()
        )

    def first_id(self, model: type[BaseModel], count: int) -> int:
        """Reserve `count` ids and return the first."""
        if model not in self._next:
            self._next[model] = self._last_id(model) + 1
        first = self._next[model]
        self._next[model] += count
        return first

    def _last_id(self, model: type[BaseModel]) -> int:
        """The highest id the table has given, counting deleted rows (AUTOINCREMENT on
        SQLite; on PostgreSQL the sequence, which never gives an id twice)."""
        last = model.select(fn.MAX(model.id)).scalar() or 0
        if self._sequences:
            row = self.db.execute_sql(
                "SELECT seq FROM sqlite_sequence WHERE name = ?", (model._meta.table_name,)
            ).fetchone()
            last = max(last, row[0] if row else 0)
        elif not self.sqlite:
            (given,) = self.db.execute_sql(
                "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'id'))",
                (f'"{model._meta.table_name}"',),
            ).fetchone()
            last = max(last, given or 0)
        return last

    def insert(self, model: type[BaseModel], rows: Sequence[tuple]) -> None:
        if not rows:
            return
        self.counts[model] += len(rows)
        names = TABLE_FIELDS[model]
        if self.sqlite:
            sql = self._sql.get(model)
            if sql is None:
                columns = ", ".join(f'"{model._meta.fields[n].column_name}"' for n in names)
                marks = ", ".join("?" for _ in names)
                sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
                self._sql[model] = sql
            self.db.connection().executemany(sql, rows)
            return
        fields = [model._meta.fields[n] for n in names]
        for start in range(0, len(rows), BATCH):
            model.insert_many(rows[start : start + BATCH], fields=fields).execute()

    def finish(self) -> None:
        if self.sqlite:
            return
        for model, count in self.counts.items():
            if count:
                table = model._meta.table_name
                self.db.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT MAX(id) FROM "{table}"))'
                )


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# Precomputed steps: the large size draws millions of dates and instants.
_DAY_STEPS = tuple(dt.timedelta(days=n) for n in range(2200))
_MINUTE_STEPS = tuple(dt.timedelta(minutes=n) for n in range(120))


class _Weighted:
    """A weighted choice from one uniform draw (faster than Random.choices in a loop)."""

    def __init__(self, weights: dict):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def pick(self, draw: float):
        return self.items[bisect.bisect(self.cumulative, draw * self.total)]


def _action_moment(start: dt.datetime, limit: dt.datetime, step: int) -> dt.datetime:
    """The instant of the `step`-th action of an event: a few minutes apart, within it."""
    return max(start, min(start + dt.timedelta(minutes=4 * step), limit))


# --------------------------------------------------------------------------------------
# The plan of a young person, decided for all before any row is written
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Staff:
    id: int
    login: str
    name: str  # "Claire DUPONT"
    rights: tuple[int, ...]  # as in COUNSELLORS

    @property
    def follows_up(self) -> bool:
        """Holds the "Événements" and "Proposer CEP" rights."""
        return bool(self.rights[2] and self.rights[3])


@dataclass
class _Enrol:
    code: str  # dispositif code
    entry: dt.date
    interview: dt.date | None = None
    phase3: dt.date | None = None  # phase-3 start
    direct_phase3: bool = False
    end: dt.date | None = None
    reason: str | None = None
    phase3_recorded: dt.date | None = None
    close_recorded: dt.date | None = None


@dataclass
class _Young:
    structure: int  # index into STRUCTURES
    last_name: str
    first_name: str
    sex: str
    birth: dt.date
    status: str
    referent: int | None  # counsellor id
    cep_state: str | None = None
    enrolments: list[_Enrol] = field(default_factory=list)
    deleted_cep: dt.date | None = None  # a CEP added by mistake then deleted that day
    created_on: dt.date | None = None
    showcase: bool = False

    def earliest_entry(self, today: dt.date) -> dt.date:
        """The first day a dispositif may start: 16 years old, within three years."""
        return max(today - _days(1095), _add_years(self.birth, 16))

    def earliest_contact(self, today: dt.date) -> dt.date:
        return max(today - _days(1095), _add_years(self.birth, 15))


@dataclass
class _OfferRow:
    id: int
    name: str
    theme: str
    start: dt.date
    end: dt.date | None
    is_cep: bool

    def valid_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass
class _EventSpec:
    day: dt.date
    cep: bool = False
    context: str | None = None  # a context the event must carry
    actions: list[tuple[str, str, _Enrol | None]] = field(default_factory=list)
    proposals: list[_OfferRow] = field(default_factory=list)
    walk_in: bool = False
    comment: str | None = None


# --------------------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------------------


class _Builder:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        rng: random.Random,
        profile: _Profile,
        progress: ProgressCallback | None,
    ):
        self.rng = rng
        self.profile = profile
        self.today = clock.today()
        self.now = clock.now()
        self.progress = progress
        self.writer = _Writer(db)
        self.done = 0
        self.total = 0
        self._search_cache: dict[tuple[str, str], str] = {}
        self._load_references()

    # -- setup ---------------------------------------------------------------------------
    def _load_references(self) -> None:
        self.refs: dict[str, dict[str, int]] = {kind.value: {} for kind in ReferenceKind}
        for value in ReferenceValue.select().order_by(ReferenceValue.position, ReferenceValue.id):
            if value.active:
                self.refs[value.kind][value.label] = value.id
        cep_context = ReferenceValue.get_or_none(
            (ReferenceValue.kind == K.CONTEXT.value) & (ReferenceValue.code == CEP_CODE)
        )
        cep_measure = ReferenceValue.get_or_none(
            (ReferenceValue.kind == K.NATIONAL_MEASURE.value) & (ReferenceValue.code == CEP_CODE)
        )
        cep_type = DispositifType.get_or_none(DispositifType.code == CEP_CODE)
        eav_type = DispositifType.get_or_none(DispositifType.code == EAV_CODE)
        if None in (cep_context, cep_measure, cep_type, eav_type):
            raise ValueError(
                "Les listes de référence nationales (CEP, EMPLOI D'AVENIR) manquent : "
                "la base n'est pas migrée."
            )
        self.cep_context = cep_context.id
        self.cep_measure, self.cep_measure_label = cep_measure.id, cep_measure.label
        self.dispositifs = {CEP_CODE: cep_type.id, EAV_CODE: eav_type.id}
        self.dispositif_names = {CEP_CODE: cep_type.name, EAV_CODE: eav_type.name}
        active = self.refs[K.CONTEXT.value]
        self.other_contexts = _Weighted(
            {label: w for label, w in CONTEXT_WEIGHTS.items() if label in active}
        )
        self.natures = _Weighted(
            {n: w for n, w in NATURE_WEIGHTS.items() if n in self.refs[K.NATURE.value]}
        )
        self.context_ids = {label: self.ref(K.CONTEXT, label) for label in active}
        self.context_ids[CEP_CODE] = self.cep_context
        self.direction_ids = self._id_map(K.DIRECTION)
        self.nature_ids = self._id_map(K.NATURE)
        self.place_ids = self._id_map(K.RECEPTION_PLACE)
        self.function_ids = self._id_map(K.FUNCTION)
        self.remote_directions = _Weighted(REMOTE_DIRECTION_WEIGHTS)

    def _id_map(self, kind: ReferenceKind) -> dict[str, int]:
        """Label -> id for the values the generator names, whatever the admin changed."""
        labels = {
            K.DIRECTION: DIRECTIONS,
            K.NATURE: tuple(NATURE_WEIGHTS),
            K.RECEPTION_PLACE: ("Siège", "Antenne", "Permanence", "Hors les murs", "À distance"),
            K.FUNCTION: (
                "Conseiller",
                "Chargé d'accueil",
                "Chargé de relation entreprise",
                "Psychologue",
                "Direction",
            ),
        }[kind]
        return {label: self.ref(kind, label) for label in labels}

    def ref(self, kind: ReferenceKind, label: str) -> int:
        values = self.refs[kind.value]
        return values.get(label) or next(iter(values.values()))

    def pick_ref(self, kind: ReferenceKind) -> int:
        return self.rng.choice(list(self.refs[kind.value].values()))

    # -- the whole run -------------------------------------------------------------------
    def run(self) -> None:
        sizes = self.profile.dossiers
        self.total = sum(sizes) + 1
        self._tick(0)
        self._structures_and_counsellors()
        self._offers()
        plans = [self._plan_structure(index, count) for index, count in enumerate(sizes)]
        # Dossier numbers: seven digits, unique.
        self.numbers = iter(self.rng.sample(range(1_000_000, 10_000_000), sum(sizes)))
        self._tick(1)
        for plan in plans:
            for start in range(0, len(plan), BATCH):
                batch = plan[start : start + BATCH]
                self._write_batch(batch)
                self._tick(len(batch))
        self.writer.finish()

    def _tick(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)

    def summary(self) -> DemoSummary:
        c = self.writer.counts
        return DemoSummary(
            structures=c[Structure],
            counsellors=c[Counsellor],
            dossiers=c[Dossier],
            offers=c[Offer],
            enrolments=c[Enrolment],
            phase_periods=c[PhasePeriod],
            events=c[Event],
            event_actions=c[EventAction],
            proposals=c[Proposal],
            requests=c[Request],
            appointments=c[Appointment],
        )

    # -- structures and counsellors ------------------------------------------------------
    def _structures_and_counsellors(self) -> None:
        first = self.writer.first_id(Structure, len(STRUCTURES))
        self.structure_ids = [first + i for i in range(len(STRUCTURES))]
        self.writer.insert(
            Structure,
            [
                (sid, code, name)
                for sid, (code, name) in zip(self.structure_ids, STRUCTURES, strict=True)
            ],
        )
        people = [
            (login, first_name, last_name, [c for c, _ in STRUCTURES].index(code), rights)
            for login, first_name, last_name, code, rights in COUNSELLORS
        ]
        logins = {login for login, *_ in people}
        for index, extra in enumerate(self.profile.extra_counsellors):
            for _ in range(extra):
                first_name = self.rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)
                last_name = self.rng.choice(LAST_NAMES)
                base = f"{fold(first_name)[0]}.{fold(last_name).replace(' ', '')}"
                login = base
                for n in itertools.count(2):
                    if login not in logins:
                        break
                    login = f"{base}{n}"
                logins.add(login)
                people.append((login, first_name, last_name, index, FOLLOW_UP_RIGHTS))
        first = self.writer.first_id(Counsellor, len(people))
        self.staff: list[list[_Staff]] = [[] for _ in STRUCTURES]
        rows = []
        for offset, (login, first_name, last_name, index, rights) in enumerate(people):
            member = _Staff(first + offset, login, f"{first_name} {last_name.upper()}", rights)
            self.staff[index].append(member)
            flags = (*map(bool, rights), True)  # the six rights, then "active"
            rows.append(
                (member.id, login, first_name, last_name, self.structure_ids[index], *flags)
            )
        self.writer.insert(Counsellor, rows)
        self.counsellor_ids = {m.login: m.id for group in self.staff for m in group}
        self.counsellor_names = {m.id: m.name for group in self.staff for m in group}
        # Per structure: who opens events and proposes (the follow-up), who edits dossiers,
        # who manages offers, and the read-only staff at the reception desk.
        self.workers = [[m.id for m in group if m.follows_up] for group in self.staff]
        self.editors = [[m.id for m in group if m.rights[1]] for group in self.staff]
        self.offer_managers = [[m.id for m in group if m.rights[4]] for group in self.staff]
        self.receptionists = [[m.id for m in group if not m.rights[2]] for group in self.staff]

    def _referent_weights(self, index: int) -> tuple[list[int | None], list[float]]:
        """Who is the référent of a young person: the core counsellors, or, in a large
        structure, mostly the others; some young people have none yet."""
        large = self.profile.extra_counsellors[index] > 0
        ids: list[int | None] = [None]
        weights = [4.8 if large else 12.0]
        for member in self.staff[index]:
            ids.append(member.id)
            core = REFERENT_WEIGHTS.get(member.login)
            if core is None:
                weights.append(2.4)
            else:
                weights.append(core / 10 if large else core)
        return ids, weights

    # -- offers --------------------------------------------------------------------------
    def _offers(self) -> None:
        self.offers: list[list[_OfferRow]] = [[], []]
        self.cep_offers: list[list[_OfferRow]] = [[], []]
        specs: list[tuple[int, _OfferSpec]] = [(0, s) for s in OFFERS_ML2A]
        specs += [(1, s) for s in OFFERS_MLBA]
        if self.profile.offers_total:
            extra = self.profile.offers_total - len(specs)
            balagne = extra // 20
            specs += [(0, self._generated_offer()) for _ in range(extra - balagne)]
            specs += [(1, self._generated_offer()) for _ in range(balagne)]
        first = self.writer.first_id(Offer, len(specs))
        rows = []
        for offset, (index, spec) in enumerate(specs):
            oid = first + offset
            row, start, end = self._offer_row(oid, index, spec)
            rows.append(row)
            offer = _OfferRow(oid, spec.name, spec.theme, start, end, spec.measure == CEP_CODE)
            self.offers[index].append(offer)
            if offer.is_cep:
                self.cep_offers[index].append(offer)
            if len(rows) >= BATCH:
                self.writer.insert(Offer, rows)
                rows = []
        self.writer.insert(Offer, rows)
        # The permanent CEP offer of each structure: the fallback of phase-1 proposals.
        self.main_cep_offer = [
            next(o for o in self.cep_offers[i] if o.end is None) for i in range(len(STRUCTURES))
        ]

    def _generated_offer(self) -> _OfferSpec:
        rng = self.rng
        name, theme, act, measure, partner = rng.choice(GENERATED_OFFERS)
        name = name.format(sector=rng.choice(SECTORS), trade=rng.choice(TRADES))
        name = f"{name} – {rng.choice(TOWNS)}"
        start = rng.randint(-1500, 60)
        ended = rng.random() < 0.6
        end = start + rng.randint(30, 400) if ended else None
        state = "Inactive" if rng.random() < 0.05 else ("Ponctuelle" if ended else "Permanente")
        return _OfferSpec(
            name, theme, act, measure, partner, state, start, end=end,
            offer_type=rng.choice(("Atelier", "Formation", "Information collective",
                                   "Accompagnement", "Mise en relation")),
            places=rng.choice((None, 6, 8, 10, 12, 15, 20)),
            prerequisites=rng.choice(("", "", "Entretien préalable avec le conseiller.",
                                      "Projet professionnel validé.")),
            contact=rng.choice(("", "Secrétariat de la Mission Locale")),
            referent=rng.randint(0, 5),
        )  # fmt: skip

    def _offer_row(
        self, oid: int, index: int, spec: _OfferSpec
    ) -> tuple[tuple, dt.date, dt.date | None]:
        rng = self.rng
        if isinstance(spec.start, tuple):
            years, month, day = spec.start
            start = dt.date(self.today.year - years, month, day)
        else:
            start = self.today + _days(spec.start)
        end = self.today + _days(spec.end) if spec.end is not None else None
        if end is not None and end < start:
            end = start
        group = self.staff[index]
        referent = group[spec.referent % len(group)].id
        created_on = min(start, self.today) - _days(rng.randint(0, 20))
        created_at = self._moment(created_on)
        managers = self.offer_managers[index] or [referent]
        updated_by = rng.choice(managers)
        version = 1
        updated_at = created_at
        if rng.random() < 0.4 and created_on < self.today:
            version = rng.randint(2, 4)
            updated_at = self._moment(self._between(created_on + _days(1), self.today))
        measure_id, measure_label = None, ""
        if spec.measure == CEP_CODE:
            measure_id, measure_label = self.cep_measure, self.cep_measure_label
        elif spec.measure:
            measure_id, measure_label = self.ref(K.NATIONAL_MEASURE, spec.measure), spec.measure
        search = offer_search_text(
            SimpleNamespace(
                name=spec.name,
                offer_type=spec.offer_type,
                contract=spec.contract,
                regional_service_act=spec.regional_act,
                partner=spec.partner,
            ),
            spec.theme,
            spec.act,
            measure_label,
        )
        row = (
            oid, self.structure_ids[index], spec.origin, self.ref(K.THEME, spec.theme),
            self.ref(K.SERVICE_ACT, spec.act), spec.regional_act, spec.offer_type,
            spec.contract, spec.name, start, end, self.ref(K.OFFER_STATE, spec.state),
            referent, measure_id, spec.partner, spec.public, spec.prerequisites, spec.places,
            spec.contact, search, created_at, updated_at, updated_by, version,
        )  # fmt: skip
        return row, start, end

    # -- planning the young people -------------------------------------------------------
    def _plan_structure(self, index: int, count: int) -> list[_Young]:
        rng, today = self.rng, self.today
        referents, weights = self._referent_weights(index)
        plan: list[_Young] = []
        showcase = SHOWCASE_ML2A if index == 0 else ()
        for last, first, sex, (years, days), status, login, state in showcase[:count]:
            birth = _add_years(today - _days(days), -years)
            young = _Young(index, last, first, sex, birth, status, self.counsellor_ids[login])
            young.cep_state = state
            young.showcase = True
            plan.append(young)
        age15 = max(0, count // 100 - sum(1 for y in plan if self._age(y.birth) == 15))
        ages = list(range(16, 26))
        age_weights = [6, 8, 10, 12, 13, 13, 12, 10, 9, 7]
        while len(plan) < count:
            sex = "F" if rng.random() < 0.5 else "M"
            first = rng.choice(FIRST_NAMES_F if sex == "F" else FIRST_NAMES_M)
            last = rng.choice(LAST_NAMES)
            if rng.random() < 0.04:
                last = f"{last}-{rng.choice(LAST_NAMES)}"
            if age15 > 0:
                age, age15 = 15, age15 - 1
            else:
                age = rng.choices(ages, age_weights)[0]
            upper = _add_years(today, -age)
            lower = _add_years(today, -age - 1) + _days(1)
            birth = lower + _days(rng.randint(0, (upper - lower).days))
            referent = rng.choices(referents, weights)[0]
            plan.append(_Young(index, last, first, sex, birth, J, referent))
        # Exactly 15 % of the dossiers are not justified yet.
        unjustified = round(count * 0.15) - sum(y.status == NJ for y in plan)
        others = [y for y in plan if not y.showcase]
        for young in rng.sample(others, max(0, min(unjustified, len(others)))):
            young.status = NJ
        self._assign_dispositifs(plan, count)
        for young in plan:
            self._set_created_on(young)
        return plan

    def _age(self, birth: dt.date) -> int:
        today = self.today
        return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))

    def _assign_dispositifs(self, plan: list[_Young], count: int) -> None:
        """CEP states by quota (20/15/2/15 per 200 young people), then a few EMPLOI
        D'AVENIR and CEPs deleted after being added by mistake."""
        rng, today = self.rng, self.today
        quotas = {
            CLOSED: round(count * 0.075),
            PHASE3: round(count * 0.075),
            PLANNED: round(count * 0.01),
            PHASE2: round(count * 0.10),
        }
        # Some young people come back for a second CEP after an interrupted one: that
        # earlier CEP is one of the closed ones.
        returns = round(count * 0.01)
        quotas[CLOSED] -= returns
        for young in plan:
            if young.cep_state:
                quotas[young.cep_state] -= 1
        pool = [
            y
            for y in plan
            if y.cep_state is None and not y.showcase and y.status == J and self._age(y.birth) >= 16
        ]
        rng.shuffle(pool)
        free: list[_Young] = []
        for young in pool:
            for state in (CLOSED, PHASE3, PLANNED, PHASE2):
                if quotas[state] > 0 and self._can_enter(young, CEP_MARGINS[state]):
                    young.cep_state = state
                    quotas[state] -= 1
                    break
            else:
                free.append(young)
        for young in plan:
            if young.cep_state:
                young.enrolments.append(self._cep_timeline(young, young.cep_state))
        for young in plan:
            if returns <= 0:
                break
            current = young.enrolments[0] if young.cep_state == PHASE2 else None
            if current and young.earliest_entry(today) <= current.entry - _days(150):
                young.enrolments.insert(0, self._previous_cep(young, current))
                returns -= 1
        for young in list(free):  # not enough returning young people: plain closed CEPs
            if returns <= 0:
                break
            if self._can_enter(young, CEP_MARGINS[CLOSED]):
                young.cep_state = CLOSED
                young.enrolments.append(self._cep_timeline(young, CLOSED))
                free.remove(young)
                returns -= 1
        eav = round(count * 0.015)
        deleted = round(count * 0.01)
        for young in free:
            if eav > 0 and self._can_enter(young, 120):
                young.enrolments.append(self._eav_timeline(young, in_progress=eav % 3 == 1))
                eav -= 1
            elif deleted > 0:
                young.deleted_cep = self._between(
                    max(young.earliest_entry(today), today - _days(400)), today
                )
                deleted -= 1
            else:
                break

    def _can_enter(self, young: _Young, margin: int) -> bool:
        """Whether a dispositif may start at least `margin` days before today."""
        return young.earliest_entry(self.today) <= self.today - _days(margin)

    def _between(self, low: dt.date, high: dt.date) -> dt.date:
        """A day from `low` to `high` included (`low` if the range is empty)."""
        span = (high - low).days
        if span <= 0:
            return low
        step = int(self.rng.random() * (span + 1))
        return low + (_DAY_STEPS[step] if step < len(_DAY_STEPS) else _days(step))

    def _cep_timeline(self, young: _Young, state: str) -> _Enrol:
        rng, today, between = self.rng, self.today, self._between
        earliest = young.earliest_entry(today)
        enrol = _Enrol(CEP_CODE, entry=today)
        if state == PHASE2:
            enrol.entry = between(max(earliest, today - _days(240)), today)
        elif state == PHASE3:
            enrol.entry = between(max(earliest, today - _days(540)), today - _days(30))
            enrol.phase3 = between(enrol.entry + _days(7), min(enrol.entry + _days(180), today))
            enrol.phase3_recorded = min(enrol.phase3 + _days(rng.randint(0, 3)), today)
        elif state == PLANNED:
            enrol.entry = between(max(earliest, today - _days(150)), today - _days(14))
            enrol.phase3 = today + _days(rng.randint(1, 45))
            enrol.phase3_recorded = between(max(enrol.entry + _days(1), today - _days(20)), today)
        else:
            enrol.entry = between(max(earliest, today - _days(700)), today - _days(60))
            shape = rng.random()
            if shape < 0.35:  # closed in phase 2
                enrol.end = between(enrol.entry + _days(14), min(enrol.entry + _days(240), today))
            elif shape < 0.9:  # phase 2 then phase 3
                enrol.phase3 = between(
                    enrol.entry + _days(14), min(enrol.entry + _days(150), today - _days(1))
                )
                enrol.phase3_recorded = min(enrol.phase3 + _days(rng.randint(0, 3)), today)
                enrol.end = between(enrol.phase3, min(enrol.phase3 + _days(300), today))
            else:  # direct entry in phase 3
                enrol.direct_phase3 = True
                enrol.phase3 = enrol.entry
                enrol.end = between(enrol.entry + _days(30), min(enrol.entry + _days(365), today))
            enrol.reason = rng.choices(
                (
                    ExitReason.ACTION_PLAN_COMPLETED.value,
                    ExitReason.INTERRUPTION_OBSERVED.value,
                    ExitReason.INTERRUPTION_FORMALISED.value,
                    ExitReason.MOVED_AWAY.value,
                ),
                (55, 20, 15, 10),
            )[0]
            recorded = min(enrol.end + _days(rng.randint(0, 5)), today)
            if enrol.phase3_recorded:
                recorded = max(recorded, enrol.phase3_recorded)
            enrol.close_recorded = recorded
        self._interview(young, enrol)
        return enrol

    def _previous_cep(self, young: _Young, current: _Enrol) -> _Enrol:
        """An earlier CEP, interrupted in phase 2, closed before the current one began."""
        earliest = max(young.earliest_entry(self.today), current.entry - _days(700))
        entry = self._between(earliest, current.entry - _days(120))
        end = self._between(entry + _days(14), current.entry - _days(30))
        enrol = _Enrol(CEP_CODE, entry=entry, end=end)
        enrol.reason = self.rng.choice(
            (ExitReason.INTERRUPTION_OBSERVED.value, ExitReason.INTERRUPTION_FORMALISED.value)
        )
        enrol.close_recorded = min(end + _days(self.rng.randint(0, 5)), current.entry)
        self._interview(young, enrol)
        return enrol

    def _eav_timeline(self, young: _Young, *, in_progress: bool) -> _Enrol:
        today = self.today
        earliest = max(young.earliest_entry(today), today - _days(700))
        latest = today - _days(30 if in_progress else 120)
        enrol = _Enrol(EAV_CODE, entry=self._between(earliest, latest))
        if not in_progress:
            enrol.end = self._between(enrol.entry + _days(90), min(enrol.entry + _days(365), today))
            enrol.reason = self.rng.choice(
                (ExitReason.ACTION_PLAN_COMPLETED.value, ExitReason.INTERRUPTION_FORMALISED.value)
            )
            enrol.close_recorded = enrol.end
        return enrol

    def _interview(self, young: _Young, enrol: _Enrol) -> None:
        if self.rng.random() < 0.75:
            low = max(young.earliest_contact(self.today), enrol.entry - _days(21))
            enrol.interview = self._between(low, enrol.entry)

    def _set_created_on(self, young: _Young) -> None:
        today = self.today
        earliest = young.earliest_contact(today)
        firsts = [d for e in young.enrolments for d in (e.interview, e.entry) if d]
        if young.deleted_cep:
            firsts.append(young.deleted_cep)
        if firsts:
            first = min(firsts)
            young.created_on = self._between(max(earliest, first - _days(365)), first)
        else:
            young.created_on = self._between(earliest, today - _days(3))
        young.created_on = min(young.created_on, today)

    # -- writing a batch of young people -------------------------------------------------
    def _write_batch(self, batch: list[_Young]) -> None:
        w = self.writer
        rows: dict[type[BaseModel], list[tuple]] = {model: [] for model in TABLE_FIELDS}
        first = w.first_id(Dossier, len(batch))
        for offset, young in enumerate(batch):
            self._young_rows(first + offset, young, rows)
        for model in (
            Dossier,
            Enrolment,
            PhasePeriod,
            Event,
            EventAction,
            Proposal,
            Request,
            Appointment,
        ):
            w.insert(model, rows[model])

    def _moment(self, day: dt.date, earliest: dt.datetime | None = None) -> dt.datetime:
        """A working-hours instant of `day` (08:00-17:59), never after now."""
        minutes = int(self.rng.random() * 600)
        moment = dt.datetime(day.year, day.month, day.day, 8 + minutes // 60, minutes % 60)
        if earliest is not None and moment < earliest:
            moment = earliest
        return moment if moment <= self.now else self.now

    def _search_text(self, last: str, first: str) -> str:
        key = (last, first)
        text = self._search_cache.get(key)
        if text is None:
            text = dossier_search_text(SimpleNamespace(last_name=last, first_name=first))
            self._search_cache[key] = text
        return text

    def _young_rows(self, did: int, young: _Young, rows: dict) -> None:
        rng, today = self.rng, self.today
        index = young.structure
        code = STRUCTURES[index][0]
        places = PLACES_ML2A if index == 0 else PLACES_MLBA
        city, postal_code, _, streets = rng.choices(places, [p[2] for p in places])[0]
        address = f"{rng.randint(1, 48)} {rng.choice(streets)}"
        phone = ""
        if rng.random() < 0.95:
            phone = rng.choice(("06", "06", "06", "07")) + "".join(
                f" {rng.randint(0, 99):02d}" for _ in range(4)
            )
        email = ""
        if rng.random() < 0.85:
            first_word = fold(young.first_name).replace(" ", "")
            last_word = fold(young.last_name).replace(" ", "")
            local = rng.choice(
                (
                    f"{first_word}.{last_word}",
                    f"{first_word}{last_word}{young.birth.year % 100:02d}",
                    f"{first_word[0]}{last_word}",
                    f"{last_word}.{first_word}{rng.randint(1, 99)}",
                )
            )
            email = f"{local}@{rng.choice(MAIL_DOMAINS)}"
        created_at = self._moment(young.created_on)
        updated_at, updated_by, version = created_at, None, 1
        editors = self.editors[index]
        if rng.random() < 0.5 and young.created_on < today and editors:
            updated_at = self._moment(self._between(young.created_on + _days(1), today))
            updated_by = young.referent if young.referent in editors else rng.choice(editors)
            version = rng.randint(2, 4)
        rows[Dossier].append(
            (
                did, self.structure_ids[index], str(next(self.numbers)), young.last_name,
                young.first_name, young.birth, young.sex, address, postal_code, city, phone,
                email, rng.choice(COMPLEMENTARY_INFO), rng.choice(SITUATIONS), young.status,
                young.referent, self._search_text(young.last_name, young.first_name),
                created_at, updated_at, updated_by, version,
            )
        )  # fmt: skip
        specs = self._event_specs(young)
        enrol_moments = self._events(did, young, specs, rows)
        self._enrolments(did, young, enrol_moments, rows)
        self._requests(did, young, rows)
        self._appointments(did, young, code, rows)

    # -- events --------------------------------------------------------------------------
    def _event_specs(self, young: _Young) -> list[_EventSpec]:
        """What happened on which day: the milestones of the dispositifs, the proposals,
        then ordinary contacts; one event per day at most."""
        rng, today = self.rng, self.today
        index = young.structure
        by_day: dict[dt.date, _EventSpec] = {}

        def spec(day: dt.date) -> _EventSpec:
            if day not in by_day:
                by_day[day] = _EventSpec(day)
            return by_day[day]

        window_start = max(young.created_on, today - _days(730))
        for enrol in young.enrolments:
            name = self.dispositif_names[enrol.code]
            is_cep = enrol.code == CEP_CODE
            if is_cep and rng.random() < 0.6:  # phase 1: a CEP offer first
                day = self._between(max(young.created_on, enrol.entry - _days(45)), enrol.entry)
                offer = self._offer_on(self.cep_offers[index], day) or self.main_cep_offer[index]
                if offer.valid_on(day):
                    s = spec(day)
                    s.cep = True
                    s.proposals.append(offer)
            added = spec(enrol.entry)
            if is_cep:
                added.cep = True
                phase = 3 if enrol.direct_phase3 else 2
                text = f"CEP, entrée en phase {phase} le {format_date(enrol.entry)}"
            else:
                added.context = added.context or "Emploi"
                text = f"{name}, entrée le {format_date(enrol.entry)}"
            added.actions.append((ActionKind.DISPOSITIF_ADDED.value, text, enrol))
            if not is_cep:
                self._note(added, "eav_added")
            else:
                self._note(added, "cep_added_phase_3" if enrol.direct_phase3 else "cep_added")
            last_day = enrol.close_recorded or today
            if is_cep and rng.random() < 0.2 and last_day > enrol.entry:
                day = self._between(enrol.entry + _days(1), last_day)
                s = spec(day)
                s.cep = True
                s.actions.append(
                    (ActionKind.DISPOSITIF_MODIFIED.value, "CEP, informations modifiées", enrol)
                )
                self._note(s, "modified")
            if enrol.phase3_recorded:
                s = spec(enrol.phase3_recorded)
                s.cep = True
                s.actions.append(
                    (
                        ActionKind.PHASE_3.value,
                        f"CEP, phase 3 à partir du {format_date(enrol.phase3)}",
                        enrol,
                    )
                )
                self._note(s, "phase_3")
            if enrol.close_recorded:
                label = ExitReason(enrol.reason).label
                s = spec(enrol.close_recorded)
                s.cep = s.cep or is_cep
                if not is_cep:
                    s.context = s.context or "Emploi"
                s.actions.append(
                    (
                        ActionKind.DISPOSITIF_CLOSED.value,
                        f"{'CEP' if is_cep else name} clôturé le {format_date(enrol.end)} : "
                        f"{label}",
                        enrol,
                    )
                )
                self._note(s, enrol.reason if is_cep else "eav_closed")
        if young.deleted_cep:
            s = spec(young.deleted_cep)
            s.cep = True
            s.comment = "CEP ajouté par erreur sur ce dossier, aussitôt supprimé."
            day = format_date(young.deleted_cep)
            s.actions.append(
                (ActionKind.DISPOSITIF_ADDED.value, f"CEP, entrée en phase 2 le {day}", None)
            )
            s.actions.append(
                (
                    ActionKind.DISPOSITIF_DELETED.value,
                    f"CEP (phase 2, entré le {day}) supprimé",
                    None,
                )
            )
        if not young.enrolments and young.status == J and rng.random() < 0.08:
            day = self._between(window_start, today)  # phase 1 only
            offer = self._offer_on(self.cep_offers[index], day)
            if offer:
                s = spec(day)
                s.cep = True
                s.proposals.append(offer)
        # Ordinary contacts.
        mean = self.profile.events_per_dossier
        wanted = rng.randint(1, 2 * mean - 1) if self._age(young.birth) >= 16 else rng.randint(1, 2)
        for _ in range(max(0, wanted - len(by_day))):
            s = spec(self._between(window_start, today))
            if not s.actions and not s.proposals and rng.random() < 0.12:
                s.walk_in = True
        # Offers proposed during ordinary contacts.
        if young.status == J or rng.random() < 0.3:
            ordinary = [s for s in by_day.values() if not s.actions and not s.walk_in]
            for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):
                if not ordinary:
                    break
                s = rng.choice(ordinary)
                offer = self._offer_on(self.offers[index], s.day)
                if offer and all(o.id != offer.id for o in s.proposals):
                    s.proposals.append(offer)
                    if offer.is_cep:
                        s.cep = True
                    else:
                        s.context = s.context or THEME_CONTEXT.get(offer.theme)
        return [by_day[day] for day in sorted(by_day)]

    def _note(self, s: _EventSpec, topic: str) -> None:
        """The event's comment says what happened, unless something else already did."""
        if s.comment is None:
            choices = MILESTONE_COMMENTS[topic]
            s.comment = choices[int(self.rng.random() * len(choices))]

    def _offer_on(self, offers: list[_OfferRow], day: dt.date) -> _OfferRow | None:
        if not offers:
            return None
        for _ in range(6):
            offer = self.rng.choice(offers)
            if offer.valid_on(day):
                return offer
        return None

    def _events(
        self, did: int, young: _Young, specs: list[_EventSpec], rows: dict
    ) -> dict[int, list[tuple[dt.datetime, int]]]:
        """Event, action and proposal rows; returns, per enrolment (by id()), the moments
        and counsellors of its actions. The hot loop of the large size."""
        random, now = self.rng.random, self.now
        moments: dict[int, list[tuple[dt.datetime, int]]] = {}
        if not specs:
            return moments
        w = self.writer
        first_event = w.first_id(Event, len(specs))
        action_count = sum(len(s.actions) + len(s.proposals) for s in specs)
        next_action = w.first_id(EventAction, action_count) if action_count else 0
        proposal_count = sum(len(s.proposals) for s in specs)
        next_proposal = w.first_id(Proposal, proposal_count) if proposal_count else 0
        workers = self.workers[young.structure]
        receptionists = self.receptionists[young.structure]
        referent_works = young.referent in workers
        cep_periods = [
            (e.entry, e.end or self.today) for e in young.enrolments if e.code == CEP_CODE
        ]
        event_rows, action_rows, proposal_rows = rows[Event], rows[EventAction], rows[Proposal]
        last = len(specs) - 1
        open_last = specs[last].day >= self.today - _days(45) and random() < 0.15
        previous_end: dt.datetime | None = None
        for position, s in enumerate(specs):
            eid = first_event + position
            if referent_works and random() < 0.75:
                creator = young.referent
            else:
                creator = workers[int(random() * len(workers))]
            busy = bool(s.actions or s.proposals)
            intervenant = creator
            at_desk = False
            if receptionists and not busy and (s.walk_in or random() < 0.05):
                intervenant = receptionists[int(random() * len(receptionists))]
                at_desk = True
            in_cep = s.cep or any(low <= s.day <= high for low, high in cep_periods)
            contexts = self._contexts(s.context, s.cep or (in_cep and random() < 0.85))
            if s.walk_in:
                nature, direction = "Entretien individuel", "Jeune vers Structure"
            elif busy:
                nature = "Entretien individuel" if random() < 0.85 else "Téléphone"
                direction = "Jeune vers Structure" if random() < 0.5 else "Structure vers Jeune"
            else:
                nature = self.natures.pick(random())
                direction = self._direction(nature)
            created_at = self._moment(s.day, previous_end)
            in_progress = position == last and open_last
            closed_at = None
            if not in_progress:
                closed_at = created_at + _MINUTE_STEPS[15 + int(random() * 61)]
                if closed_at > now:
                    closed_at = now
                previous_end = closed_at
            limit = closed_at or now
            ids = [self.context_ids[label] for label in contexts] + [None, None]
            event_rows.append(
                (
                    eid, did, s.day, ids[0], ids[1], ids[2], self.direction_ids[direction],
                    self.nature_ids[nature], self.place_ids[self._place(nature, s.walk_in)],
                    self.function_ids[self._function(at_desk, contexts[0])], intervenant,
                    s.comment if s.comment is not None else self._comment(s, contexts[0]),
                    s.walk_in, in_progress, closed_at, creator, created_at,
                )
            )  # fmt: skip
            step = 0
            for offer in s.proposals:
                step += 1
                moment = _action_moment(created_at, limit, step)
                action_rows.append(
                    (next_action, eid, ActionKind.OFFER_PROPOSED.value, offer.name, moment,
                     creator)
                )  # fmt: skip
                comment = PROPOSAL_COMMENTS[int(random() * len(PROPOSAL_COMMENTS))]
                proposal_rows.append(
                    (next_proposal, did, offer.id, eid, creator, s.day, comment, moment)
                )
                next_action += 1
                next_proposal += 1
            for kind, description, enrol in s.actions:
                step += 1
                moment = _action_moment(created_at, limit, step)
                action_rows.append((next_action, eid, kind, description, moment, creator))
                next_action += 1
                if enrol is not None:
                    moments.setdefault(id(enrol), []).append((moment, creator))
        return moments

    def _contexts(self, required: str | None, cep: bool) -> list[str]:
        """One to three distinct contexts; CEP among them when the event traces CEP work."""
        draw = self.rng.random()
        count = 1 if draw < 0.5 else (2 if draw < 0.85 else 3)
        chosen = [required] if required else []
        while len(chosen) < count - cep:
            label = self.other_contexts.pick(self.rng.random())
            if label not in chosen:
                chosen.append(label)
        if cep:
            draw = self.rng.random()
            position = 0 if draw < 0.7 else (1 if draw < 0.9 else 2)
            chosen.insert(min(position, len(chosen)), CEP_CODE)
        return chosen[:3]

    def _direction(self, nature: str) -> str:
        draw = self.rng.random()
        if nature == "Entretien individuel":
            return "Jeune vers Structure" if draw < 0.6 else "Structure vers Jeune"
        if nature in REMOTE_NATURES:
            return self.remote_directions.pick(draw)
        if nature in ("Atelier", "Information collective"):
            return "Structure vers Jeune"
        return "Structure vers Jeune" if draw < 0.5 else "Structure vers Partenaire"

    def _place(self, nature: str, walk_in: bool) -> str:
        if nature in REMOTE_NATURES:
            return "À distance"
        if nature in ("Visite", "Médiation"):
            return "Hors les murs"
        draw = self.rng.random()
        if walk_in:
            return "Siège" if draw < 0.8 else "Antenne"
        return "Siège" if draw < 0.65 else ("Antenne" if draw < 0.85 else "Permanence")

    def _function(self, at_desk: bool, context: str) -> str:
        if at_desk:
            return "Chargé d'accueil"
        draw = self.rng.random()
        if context == "Santé" and draw < 0.3:
            return "Psychologue"
        if context == "Emploi" and draw < 0.25:
            return "Chargé de relation entreprise"
        return "Direction" if draw > 0.98 else "Conseiller"

    def _comment(self, s: _EventSpec, context: str) -> str:
        draw = self.rng.random()
        if s.walk_in:
            return WALK_IN_COMMENTS[int(draw * len(WALK_IN_COMMENTS))]
        if draw < 0.1:
            return ""
        choices = COMMENTS.get(context, COMMENTS["Événement général"])
        return choices[int((draw - 0.1) / 0.9 * len(choices))]

    # -- dispositifs ---------------------------------------------------------------------
    def _enrolments(
        self, did: int, young: _Young, moments: dict[int, list[tuple[dt.datetime, int]]], rows
    ) -> None:
        if not young.enrolments:
            return
        rng = self.rng
        w = self.writer
        first = w.first_id(Enrolment, len(young.enrolments))
        periods = sum(
            (1 if e.code == CEP_CODE else 0) + (1 if e.phase3 and not e.direct_phase3 else 0)
            for e in young.enrolments
        )
        next_period = w.first_id(PhasePeriod, periods) if periods else 0
        workers = self.workers[young.structure]
        for offset, enrol in enumerate(young.enrolments):
            eid = first + offset
            done = sorted(moments.get(id(enrol), []))
            if done:
                (created_at, created_by), (updated_at, updated_by) = done[0], done[-1]
            else:  # its events are older than the two years of history
                created_at = self._moment(enrol.entry)
                created_by = rng.choice(workers)
                updated_at, updated_by = created_at, created_by
            current_phase = 3 if enrol.phase3 else 2
            closed = enrol.end is not None
            rows[Enrolment].append(
                (
                    eid, did, self.dispositifs[enrol.code],
                    EnrolmentStatus.CLOSED.value if closed else EnrolmentStatus.IN_PROGRESS.value,
                    current_phase, self.pick_ref(K.REFERRER), enrol.interview, enrol.entry,
                    self.pick_ref(K.SOLICITATION_REASON),
                    rng.choice(PRESCRIBERS) if rng.random() < 0.4 else "",
                    self.counsellor_names.get(young.referent, "") if rng.random() < 0.5 else "",
                    self.pick_ref(K.PROJECT_TYPE) if rng.random() < 0.7 else None,
                    enrol.end, enrol.reason, created_at, created_by, updated_at, updated_by,
                    max(1, len(done)),
                )
            )  # fmt: skip
            if enrol.code != CEP_CODE:
                continue
            if enrol.direct_phase3:
                rows[PhasePeriod].append((next_period, eid, 3, enrol.entry, enrol.end))
                next_period += 1
                continue
            phase2_end = enrol.phase3 - _days(1) if enrol.phase3 else enrol.end
            rows[PhasePeriod].append((next_period, eid, 2, enrol.entry, phase2_end))
            next_period += 1
            if enrol.phase3:
                rows[PhasePeriod].append((next_period, eid, 3, enrol.phase3, enrol.end))
                next_period += 1

    # -- requests and appointments -------------------------------------------------------
    def _requests(self, did: int, young: _Young, rows: dict) -> None:
        rng, today = self.rng, self.today
        count = rng.choice((0, 0, 0, 1, 1, 2, 3))
        if not count:
            return
        first = self.writer.first_id(Request, count)
        staff = self.workers[young.structure]
        for offset in range(count):
            day = self._between(max(young.created_on, today - _days(730)), today)
            if (today - day).days > 60:
                status = rng.choices(("Traitée", "Refusée", "En cours"), (70, 20, 10))[0]
            else:
                status = rng.choices(("En cours", "Traitée", "Refusée"), (60, 35, 5))[0]
            counsellor = young.referent if young.referent and rng.random() < 0.7 else None
            rows[Request].append(
                (first + offset, did, day, rng.choice(REQUEST_SUBJECTS), status,
                 counsellor or rng.choice(staff))
            )  # fmt: skip

    def _appointments(self, did: int, young: _Young, code: str, rows: dict) -> None:
        rng, today = self.rng, self.today
        past = rng.choice((0, 0, 1, 1, 2, 3)) if young.created_on < today - _days(1) else 0
        future = 1 if rng.random() < 0.25 else 0
        if not past + future:
            return
        first = self.writer.first_id(Appointment, past + future)
        staff = self.workers[young.structure]
        in_cep = any(e.code == CEP_CODE and e.end is None for e in young.enrolments)
        subjects = APPOINTMENT_SUBJECTS + (CEP_APPOINTMENT_SUBJECTS if in_cep else ())
        for offset in range(past + future):
            if offset < past:
                day = self._between(
                    max(young.created_on, today - _days(730)) + _days(1), today - _days(1)
                )
                status = rng.choices(("Honoré", "Absent", "Annulé", "Excusé"), (70, 15, 8, 7))[0]
            else:
                day = today + _days(rng.randint(1, 45))
                status = "Prévu"
            while day.weekday() >= 5:  # the Mission Locale is closed at weekends
                day += _days(1) if offset >= past else -_days(1)
            starts_at = dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice((0, 30))))
            counsellor = young.referent if young.referent in staff else rng.choice(staff)
            rows[Appointment].append(
                (first + offset, did, starts_at, rng.choice(subjects),
                 rng.choice(APPOINTMENT_PLACES[code]), status, counsellor)
            )  # fmt: skip
