"""The rules of the CEP's forms, shared by the service that writes (services/cep.py) and its
reads (services/cep_reads.py): what the add and modify forms carry, what each field
accepts, and the French message of each refusal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cep_tui.db.models import Dossier, Enrolment, PhasePeriod
from cep_tui.services.base import References
from cep_tui.services.converters import counsellor_name, read_line
from cep_tui.services.dates import age_on, format_date, read_date
from cep_tui.services.errors import EditConflict, FieldErrors, RuleViolation
from cep_tui.vocabulary import MINIMUM_AGE, EnrolmentStatus, ExitReason, ReferenceKind

NAME_MAX_LENGTH = 100
CEP_ALREADY_IN_PROGRESS = "Ce jeune a déjà un dispositif CEP en cours."
DOSSIER_NOT_JUSTIFIED = (
    "Le dossier du jeune doit être au statut « Justifié » pour recevoir le dispositif CEP."
)
OTHER_DISPOSITIF_READ_ONLY = "Seul le dispositif CEP se gère depuis cet outil."
CLOSED_IS_READ_ONLY = "Ce dispositif est clôturé : il ne peut plus être modifié."


@dataclass(frozen=True)
class CepAddInput:
    referrer_id: int | None = None
    initial_interview_date: dt.date | str | None = None
    entry_date: dt.date | str | None = None
    solicitation_reason_id: int | None = None
    phase: int | str | None = None
    prescriber_name: str = ""
    referent_name: str = ""
    project_type_id: int | None = None


@dataclass(frozen=True)
class CepModifyInput:
    """The five fields the guide lets a counsellor change."""

    referrer_id: int | None = None
    solicitation_reason_id: int | None = None
    prescriber_name: str = ""
    referent_name: str = ""
    project_type_id: int | None = None


NO_EVENT_DELETION_TRACE = (
    "Aucun évènement n'est en cours : cette suppression sera tracée dans l'historique du dossier."
)


def validate_add(
    dossier: Dossier, form: CepAddInput, last_end: dt.date | None, today: dt.date
) -> dict:
    """The add form's values, or every refusal of its fields at once."""
    errors = FieldErrors()
    entry = read_date(errors, "entry_date", form.entry_date, "Date d'entrée", required=True)
    interview = read_date(
        errors,
        "initial_interview_date",
        form.initial_interview_date,
        "Date d'entretien d'initialisation",
        required=False,
    )
    if entry and entry > today:
        errors.add("entry_date", "Date d'entrée : ne peut pas être dans le futur.")
    elif entry and age_on(dossier.birth_date, entry) < MINIMUM_AGE:
        errors.add(
            "entry_date",
            f"Date d'entrée : le jeune n'a pas encore {MINIMUM_AGE} ans à cette date.",
        )
    elif entry and last_end and entry <= last_end:
        errors.add("entry_date", overlap_message(last_end))
    if interview and entry and interview > entry:
        errors.add(
            "initial_interview_date",
            "Date d'entretien d'initialisation : ne peut pas être postérieure à la date d'entrée.",
        )
    if interview and interview < dossier.birth_date:
        errors.add(
            "initial_interview_date",
            "Date d'entretien d'initialisation : antérieure à la naissance du jeune.",
        )
    phase = read_phase(errors, form.phase)
    values = editable_fields(errors, form, None, dossier.structure_id)
    errors.raise_if_any()
    return {"entry_date": entry, "initial_interview_date": interview, "phase": phase, **values}


def editable_fields(
    errors: FieldErrors,
    form: CepAddInput | CepModifyInput,
    enrolment: Enrolment | None,
    structure_id: int,
) -> dict:
    """The fields the add and modify forms share (the modify form's five)."""

    def current(name: str) -> int | None:
        return getattr(enrolment, f"{name}_id") if enrolment else None

    choices = References(
        structure_id, form.referrer_id, form.solicitation_reason_id, form.project_type_id
    )
    referrer = choices.choice(
        errors,
        "referrer_id",
        form.referrer_id,
        ReferenceKind.REFERRER,
        "Aiguilleur",
        required=True,
        current_id=current("referrer"),
    )
    reason = choices.choice(
        errors,
        "solicitation_reason_id",
        form.solicitation_reason_id,
        ReferenceKind.SOLICITATION_REASON,
        "Motif de la sollicitation",
        required=True,
        current_id=current("solicitation_reason"),
    )
    project = choices.choice(
        errors,
        "project_type_id",
        form.project_type_id,
        ReferenceKind.PROJECT_TYPE,
        "Type de projet",
        required=False,
        current_id=current("project_type"),
    )
    names = {
        field: read_line(errors, field, getattr(form, field), label, NAME_MAX_LENGTH)
        for field, label in (
            ("prescriber_name", "Nom du prescripteur"),
            ("referent_name", "Nom du référent"),
        )
    }
    return {
        "referrer": referrer,
        "solicitation_reason": reason,
        "project_type": project,
        **names,
    }


def check_closable(current: PhasePeriod, today: dt.date) -> None:
    if current.start_date > today:
        raise RuleViolation(
            f"Le passage en phase {current.phase} est prévu le "
            f"{format_date(current.start_date)} : le dispositif ne pourra être clôturé "
            "qu'à partir de cette date."
        )


def check_in_progress(enrolment: Enrolment) -> None:
    if enrolment.status != EnrolmentStatus.IN_PROGRESS.value:
        raise RuleViolation(CLOSED_IS_READ_ONLY)


def check_version(enrolment: Enrolment, expected: int | None) -> None:
    if expected is not None and enrolment.version != expected:
        raise EditConflict(conflict_message(enrolment))


def conflict_message(enrolment: Enrolment) -> str:
    who = counsellor_name(enrolment.updated_by)
    when = enrolment.updated_at
    return (
        f"Ce dispositif a été modifié par {who} le {when:%d/%m/%Y à %H:%M} : "
        "vos changements n'ont pas été enregistrés. Rouvrez-le pour repartir de sa "
        "version actuelle."
    )


def overlap_message(last_end: dt.date) -> str:
    return (
        f"Date d'entrée : le CEP précédent de ce jeune s'est terminé le {format_date(last_end)} ; "
        "un nouveau CEP commence après sa fin, au plus tôt le "
        f"{format_date(last_end + dt.timedelta(days=1))}."
    )


def period_of(phases: list[PhasePeriod], number: int) -> PhasePeriod:
    for period in phases:
        if period.phase == number:
            return period
    raise PhasePeriod.DoesNotExist(f"Phase {number} introuvable.")


def read_phase(errors: FieldErrors, value: int | str | None) -> int | None:
    try:
        phase = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        phase = None
    if phase not in (2, 3):
        errors.add("phase", "Phase : choisir la phase 2 ou la phase 3.")
        return None
    return phase


def read_exit_reason(errors: FieldErrors, value: ExitReason | str | None) -> ExitReason | None:
    try:
        return ExitReason(value)
    except ValueError:
        errors.add("exit_reason", "Motif de sortie : choisir un motif dans la liste.")
        return None
