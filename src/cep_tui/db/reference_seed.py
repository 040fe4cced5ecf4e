"""The reference lists a new database starts with (domain.md, "Reference lists").

The national lists are seeded here, once; the local lists (vocabulary.LOCAL_KINDS) are
each structure's own, given to it as it is created (cep_tui.db.local_lists).
"""

from __future__ import annotations

from cep_tui.db.models import DispositifType, ReferenceValue
from cep_tui.text import fold
from cep_tui.vocabulary import CEP_CODE, LOCAL_KINDS, ReferenceKind

K = ReferenceKind

REFERENCE_LISTS: dict[ReferenceKind, list[str]] = {
    K.THEME: [
        "Santé",
        "Projet professionnel",
        "Logement",
        "Citoyenneté",
        "Emploi",
        "Loisir sport culture",
        "Formation",
    ],
    K.SERVICE_ACT: [
        "Info. Conseil sur les formations",
        "Accueil et information",
        "Aide à la construction du projet",
        "Accompagnement à la recherche d'emploi",
        "Mise en relation sur une offre",
        "Atelier collectif",
        "Aide à la mobilité",
        "Accès aux droits",
    ],
    K.OFFER_STATE: ["Permanente", "Ponctuelle", "Inactive"],
    K.NATIONAL_MEASURE: [CEP_CODE, "PACEA", "CEJ", "PPAE", "Parrainage"],
    K.CONTEXT: [
        CEP_CODE,
        "Événement général",
        "Emploi",
        "Formation",
        "Santé",
        "Logement",
        "Mobilité",
        "Citoyenneté",
        "Projet professionnel",
    ],
    K.DIRECTION: [
        "Jeune vers Structure",
        "Structure vers Jeune",
        "Partenaire vers Structure",
        "Structure vers Partenaire",
    ],
    K.NATURE: [
        "Entretien individuel",
        "Atelier",
        "Information collective",
        "Téléphone",
        "E-mail",
        "SMS",
        "Courrier",
        "Visite",
        "Médiation",
    ],
    K.RECEPTION_PLACE: ["Siège", "Antenne", "Permanence", "Hors les murs", "À distance"],
    K.FUNCTION: [
        "Conseiller",
        "Chargé d'accueil",
        "Chargé de relation entreprise",
        "Psychologue",
        "Direction",
    ],
    K.REFERRER: [
        "Démarche personnelle",
        "Mission Locale",
        "France Travail",
        "Cap emploi",
        "APEC",
        "Transitions Pro",
        "CIO / Éducation nationale",
        "Autre membre du SPRO",
        "Employeur",
        "Autre",
    ],
    K.SOLICITATION_REASON: [
        "Faire le point sur sa situation professionnelle",
        "Construire ou préciser un projet",
        "Rechercher une formation",
        "VAE / certification",
        "Reconversion",
        "Création ou reprise d'activité",
        "Autre",
    ],
    K.PROJECT_TYPE: [
        "Insertion professionnelle",
        "Mobilité",
        "Reconversion",
        "Qualification",
        "Certification / VAE",
        "Création d'activité",
    ],
}

# The national codes among those values.
NATIONAL_CODES = {(K.CONTEXT, CEP_CODE), (K.NATIONAL_MEASURE, CEP_CODE)}

DISPOSITIFS = [
    (CEP_CODE, "CEP", "Conseil en Évolution Professionnelle"),
    ("EMPLOI_AVENIR", "EMPLOI D'AVENIR", "Emploi d'avenir"),
]


def seed_reference_data() -> None:
    rows = [
        {
            "kind": kind.value,
            "label": label,
            "code": label if (kind, label) in NATIONAL_CODES else None,
            "position": position,
        }
        for kind, labels in REFERENCE_LISTS.items()
        if kind not in LOCAL_KINDS  # a structure's own, given as it is created (local_lists)
        for position, label in enumerate(labels)
    ]
    ReferenceValue.insert_many(rows).execute()
    DispositifType.insert_many(
        [
            {
                "code": code,
                "name": name,
                "description": description,
                "search_text": fold(f"{name} {description} {code}"),
            }
            for code, name, description in DISPOSITIFS
        ]
    ).execute()
