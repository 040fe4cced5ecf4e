"""What a counsellor reads in a dossier's « Historique » (services/dossier_history.py): the
audit stores each row's fields as the database holds them (column names, ids of reference
values and counsellors, codes, ISO dates); here they become the form's French labels and
the values the screens show. Fields that say nothing to a counsellor are left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from cep_tui.db.models import Counsellor, Offer, ReferenceValue
from cep_tui.services.dates import format_date, format_date_time
from cep_tui.vocabulary import (
    ActionState,
    DossierStatus,
    EducationLevel,
    ExitReason,
    Residence,
)

EMPTY = "—"

# Fields that say nothing to a counsellor (ids, versions, search keys, bookkeeping, the
# row a record belongs to).
HIDDEN = frozenset(
    {
        "id",
        "version",
        "search_text",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
        "structure",
        "dossier",
        "dispositif",
        "enrolment",
        "event",
    }
)

# The labels of the forms where each field is entered.
FIELD_LABELS = {
    # the dossier
    "number": "N° de dossier",
    "last_name": "Nom",
    "first_name": "Prénom",
    "birth_date": "Date de naissance",
    "sex": "Sexe",
    "address": "Adresse",
    "postal_code": "Code postal",
    "city": "Commune",
    "phone": "Téléphone",
    "email": "E-mail",
    "complementary_info": "Informations complémentaires",
    "situation": "Situation",
    "referent": "Conseiller référent",
    "education_level": "Niveau de formation",
    "qpv": "Résidant QPV",
    "zrr": "Résidant ZRR",
    # the CEP
    "status": "Statut",
    "phase": "Phase",
    "phases": "Phases",
    "referrer": "Aiguilleur",
    "initial_interview_date": "Date d'entretien d'initialisation",
    "entry_date": "Date d'entrée",
    "solicitation_reason": "Motif de la sollicitation",
    "prescriber_name": "Nom du prescripteur",
    "referent_name": "Nom du référent",
    "project_type": "Type de projet",
    "end_date": "Date de fin réelle",
    "exit_reason": "Motif de sortie",
    # events and proposals
    "event_date": "Date de l'évènement",
    "primary_context": "Contexte primaire",
    "secondary_context": "Contexte secondaire",
    "tertiary_context": "Contexte tertiaire",
    "direction": "Sens",
    "nature": "Nature",
    "reception_place": "Lieu d'accueil",
    "function": "Fonction",
    "intervenant": "Intervenant",
    "comment": "Commentaire",
    "walk_in": "Venu sans rendez-vous",
    "in_progress": "En cours",
    "closed_at": "Clôturé le",
    "offer": "Offre",
    "counsellor": "Conseiller",
    "proposed_on": "Proposée le",
    # the plan d'action
    "text": "Action",
    "target_date": "Échéance",
    "state": "État",
}

REFERENCE_FIELDS = frozenset(
    {
        "referrer",
        "solicitation_reason",
        "project_type",
        "primary_context",
        "secondary_context",
        "tertiary_context",
        "direction",
        "nature",
        "reception_place",
        "function",
    }
)
COUNSELLOR_FIELDS = frozenset({"referent", "intervenant", "counsellor"})
CODE_FIELDS: dict[str, type[StrEnum]] = {
    "exit_reason": ExitReason,
    "education_level": EducationLevel,
    "qpv": Residence,
    "zrr": Residence,
}
STATUS_LABELS = {
    "dossier": {s.value: s.label for s in DossierStatus},
    "enrolment": {"en_cours": "En cours", "cloture": "Clôturé"},
    "action_plan_item": {s.value: s.label for s in ActionState},
}
SEX_LABELS = {"F": "Femme", "M": "Homme"}
# Which of Names' tables holds the label of an id, by field.
_KIND_OF = {
    **dict.fromkeys(REFERENCE_FIELDS, "ref"),
    **dict.fromkeys(COUNSELLOR_FIELDS, "counsellor"),
    "offer": "offer",
}


def shown(field: str) -> bool:
    return field not in HIDDEN


def label_of(field: str) -> str:
    return FIELD_LABELS.get(field, field)


_POSITIONS = {field: position for position, field in enumerate(FIELD_LABELS)}


def form_order(field: str) -> tuple[int, str]:
    """The fields in the order of their forms (FIELD_LABELS); unknown ones after, by name."""
    return _POSITIONS.get(field, len(_POSITIONS)), field


class Names:
    """The labels of the reference values, counsellors and offers a history names, read
    in three queries at most, whatever its length."""

    def __init__(self, fields_and_values: Iterable[tuple[str, object]]) -> None:
        wanted: dict[str, set[int]] = {"ref": set(), "counsellor": set(), "offer": set()}
        for field, value in fields_and_values:
            kind = _KIND_OF.get(field)
            if kind is not None and isinstance(value, int) and not isinstance(value, bool):
                wanted[kind].add(value)
        counsellors = Counsellor.select(
            Counsellor.id, Counsellor.first_name, Counsellor.last_name
        ).where(Counsellor.id.in_(sorted(wanted["counsellor"])))
        self.by_kind: dict[str, dict[int, str]] = {
            "ref": _labels(ReferenceValue, ReferenceValue.label, wanted["ref"]),
            "offer": _labels(Offer, Offer.name, wanted["offer"]),
            "counsellor": {
                c.id: f"{c.first_name} {c.last_name.upper()}"
                for c in (counsellors if wanted["counsellor"] else ())
            },
        }

    def value_text(self, entity: str, field: str, value: object) -> str:
        """`value` of `field` as the screens show it."""
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return "oui" if value else "non"
        if field == "phases" and isinstance(value, list):
            return phases_text(value)
        if isinstance(value, int):
            kind = _KIND_OF.get(field)
            if kind is None:
                return str(value)
            return self.by_kind[kind].get(value, f"n° {value} (supprimé)")
        text = str(value)
        if field == "status":
            return STATUS_LABELS.get(entity, {}).get(text, text)
        if field == "state":
            return STATUS_LABELS["action_plan_item"].get(text, text)
        if field == "sex":
            return SEX_LABELS.get(text, text)
        if field in CODE_FIELDS:
            try:
                return CODE_FIELDS[field](text).label
            except ValueError:
                return text
        return moment_text(text)


def moment_text(text: str) -> str:
    """An ISO date or date and time (as the audit's JSON holds them) in French; any other
    text as it is."""
    if len(text) == 10:
        try:
            return format_date(dt.date.fromisoformat(text))
        except ValueError:
            return text
    if len(text) >= 16 and text[4] == "-" and text[10] in " T":
        try:
            return format_date_time(dt.datetime.fromisoformat(text))
        except ValueError:
            return text
    return text


def phases_text(phases: list) -> str:
    """« phase 2 du 01/10/2026 au 14/11/2026 ; phase 3 depuis le 15/11/2026 »."""
    parts = []
    for period in phases:
        if not isinstance(period, dict):
            continue
        start = moment_text(str(period.get("start_date") or ""))
        end = period.get("end_date")
        when = f"du {start} au {moment_text(str(end))}" if end else f"depuis le {start}"
        parts.append(f"phase {period.get('phase')} {when}")
    return " ; ".join(parts) or EMPTY


def _labels(model, column, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(model.select(model.id, column).where(model.id.in_(sorted(ids))).tuples())
