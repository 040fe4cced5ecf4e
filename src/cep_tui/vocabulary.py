"""The fixed words of the guide, shared by the models (as CHECK constraints) and the services.

Lists that a structure may extend live in the ReferenceValue table instead; only what the
guide itself fixes is here.
"""

from __future__ import annotations

from enum import StrEnum


class ReferenceKind(StrEnum):
    """Reference lists that an administrator can extend (domain.md, "Reference lists")."""

    THEME = "theme"
    SERVICE_ACT = "service_act"
    OFFER_STATE = "offer_state"
    NATIONAL_MEASURE = "national_measure"
    CONTEXT = "context"
    DIRECTION = "direction"
    NATURE = "nature"
    RECEPTION_PLACE = "reception_place"
    FUNCTION = "function"
    REFERRER = "referrer"
    SOLICITATION_REASON = "solicitation_reason"
    PROJECT_TYPE = "project_type"

    @property
    def label(self) -> str:
        return REFERENCE_KIND_LABELS[self]


REFERENCE_KIND_LABELS = {
    ReferenceKind.THEME: "Thème",
    ReferenceKind.SERVICE_ACT: "Acte de service",
    ReferenceKind.OFFER_STATE: "État de l'offre",
    ReferenceKind.NATIONAL_MEASURE: "Mesure nationale",
    ReferenceKind.CONTEXT: "Contexte",
    ReferenceKind.DIRECTION: "Sens",
    ReferenceKind.NATURE: "Nature",
    ReferenceKind.RECEPTION_PLACE: "Lieu d'accueil",
    ReferenceKind.FUNCTION: "Fonction",
    ReferenceKind.REFERRER: "Aiguilleur",
    ReferenceKind.SOLICITATION_REASON: "Motif de la sollicitation",
    ReferenceKind.PROJECT_TYPE: "Type de projet",
}

# Who owns each list (issue 13; docs/glossary.md): the local lists belong to one structure
# (each has its own values, seen, counted and changed only there); the others are national,
# the same for every structure, and no structure's administrator changes them.
LOCAL_KINDS = frozenset(
    {
        ReferenceKind.RECEPTION_PLACE,
        ReferenceKind.REFERRER,
        ReferenceKind.SOLICITATION_REASON,
        ReferenceKind.PROJECT_TYPE,
    }
)


def is_local(kind: ReferenceKind | str) -> bool:
    return ReferenceKind(kind) in LOCAL_KINDS


# The national code shared by the context, the measure and the dispositif.
CEP_CODE = "CEP"


class DossierStatus(StrEnum):
    JUSTIFIED = "justifie"
    NOT_JUSTIFIED = "non_justifie"

    @property
    def label(self) -> str:
        return "Justifié" if self is DossierStatus.JUSTIFIED else "Non justifié"


class OfferOrigin(StrEnum):
    ML = "ML"
    OTHER = "Autre"


class EnrolmentStatus(StrEnum):
    IN_PROGRESS = "en_cours"
    CLOSED = "cloture"


class ExitReason(StrEnum):
    """Motif de sortie: exactly the guide's five."""

    DEATH = "deces"
    MOVED_AWAY = "demenagement"
    INTERRUPTION_OBSERVED = "interruption_constatee"
    INTERRUPTION_FORMALISED = "interruption_formalisee"
    ACTION_PLAN_COMPLETED = "plan_action_realise"

    @property
    def label(self) -> str:
        return EXIT_REASON_LABELS[self]


EXIT_REASON_LABELS = {
    ExitReason.DEATH: "Décès",
    ExitReason.MOVED_AWAY: "Déménagement",
    ExitReason.INTERRUPTION_OBSERVED: "Interruption constatée",
    ExitReason.INTERRUPTION_FORMALISED: "Interruption formalisée",
    ExitReason.ACTION_PLAN_COMPLETED: "Plan d'action réalisé",
}


class ActionState(StrEnum):
    """The state of a line of a CEP's « Plan d'action »."""

    TO_DO = "a_faire"
    DONE = "fait"
    ABANDONED = "abandonne"

    @property
    def label(self) -> str:
        return ACTION_STATE_LABELS[self]


ACTION_STATE_LABELS = {
    ActionState.TO_DO: "à faire",
    ActionState.DONE: "fait",
    ActionState.ABANDONED: "abandonné",
}


class ActionKind(StrEnum):
    """What an event in progress records of the work done while it is open."""

    OFFER_PROPOSED = "proposition_offre"
    DISPOSITIF_ADDED = "ajout_dispositif"
    PHASE_3 = "passage_phase_3"
    DISPOSITIF_MODIFIED = "modification_dispositif"
    DISPOSITIF_CLOSED = "cloture_dispositif"
    DISPOSITIF_DELETED = "suppression_dispositif"

    @property
    def label(self) -> str:
        return ACTION_KIND_LABELS[self]


ACTION_KIND_LABELS = {
    ActionKind.OFFER_PROPOSED: "Proposition d'offre",
    ActionKind.DISPOSITIF_ADDED: "Ajout de dispositif",
    ActionKind.PHASE_3: "Passage en phase 3",
    ActionKind.DISPOSITIF_MODIFIED: "Modification de dispositif",
    ActionKind.DISPOSITIF_CLOSED: "Clôture de dispositif",
    ActionKind.DISPOSITIF_DELETED: "Suppression de dispositif",
}


class Right(StrEnum):
    """The rights of the guide's "Droits nécessaires", each granted or not."""

    VIEW_DOSSIER = "view_dossier"
    EDIT_DOSSIER = "edit_dossier"
    EVENTS = "events"
    PROPOSE_CEP = "propose_cep"
    MANAGE_OFFERS = "manage_offers"
    ADMINISTER = "administer"
    VIEW_INDICATORS = "view_indicators"

    @property
    def label(self) -> str:
        return RIGHT_LABELS[self]


RIGHT_LABELS = {
    Right.VIEW_DOSSIER: "Consulter les informations d'un dossier",
    Right.EDIT_DOSSIER: "Modifier les informations d'un dossier",
    Right.EVENTS: "Événements",
    Right.PROPOSE_CEP: "Proposer CEP",
    Right.MANAGE_OFFERS: "Gérer des offres de service",
    Right.ADMINISTER: "Administrer la structure",
    Right.VIEW_INDICATORS: "Consulter les indicateurs de la structure",
}


class EducationLevel(StrEnum):
    """Niveau de formation: a national list (the Missions Locales' usual profile
    breakdown), stored by stable codes; `UNKNOWN` until the counsellor says."""

    UNKNOWN = "inconnu"
    INFRA_3 = "infra3"
    LEVEL_3 = "niveau3"
    LEVEL_4 = "niveau4"
    LEVEL_5 = "niveau5"
    LEVEL_6 = "niveau6"

    @property
    def label(self) -> str:
        return EDUCATION_LEVEL_LABELS[self]


EDUCATION_LEVEL_LABELS = {
    EducationLevel.UNKNOWN: "Non renseigné",
    EducationLevel.INFRA_3: "Sans diplôme / infra 3",
    EducationLevel.LEVEL_3: "Niveau 3 (CAP, BEP)",
    EducationLevel.LEVEL_4: "Niveau 4 (bac)",
    EducationLevel.LEVEL_5: "Niveau 5 (bac+2)",
    EducationLevel.LEVEL_6: "Niveau 6 et plus",
}


class Residence(StrEnum):
    """Résidant QPV (quartier prioritaire de la ville) or ZRR (zone de revitalisation
    rurale): oui, non, or not known."""

    YES = "oui"
    NO = "non"
    UNKNOWN = "inconnu"

    @property
    def label(self) -> str:
        return {Residence.YES: "Oui", Residence.NO: "Non", Residence.UNKNOWN: "Inconnu"}[self]


PHASE_TITLES = {
    2: "CEP CONSEIL PERSONNALISÉ",
    3: "CEP ACCOMPAGNEMENT PERSONNALISÉ VERS LA MISE EN ŒUVRE DU PROJET",
}

MINIMUM_AGE = 16
COMMENT_MAX_LENGTH = 255
ACTION_TEXT_MAX_LENGTH = 255


def sql_in(values: type[StrEnum]) -> str:
    """A CHECK-constraint list of an enum's stored values."""
    return ", ".join(f"'{member.value}'" for member in values)
