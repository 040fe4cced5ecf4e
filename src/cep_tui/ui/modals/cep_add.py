"""Ajouter le dispositif CEP au dossier du jeune, en phase 2 ou directement en phase 3."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, RadioButton, RadioSet

from cep_tui.services.cep import CepAddInput
from cep_tui.services.views import EnrolmentView
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.fields import DateInput, FormField, RefSelect
from cep_tui.vocabulary import ReferenceKind

PHASE_LABELS = {
    2: "Phase 2 — Conseil personnalisé",
    3: "Phase 3 — Accompagnement personnalisé vers la mise en œuvre du projet",
}


def phase_choice(selected: int | None = 2) -> RadioSet:
    """The two entry phases; `name` carries the phase the service receives."""
    return RadioSet(
        *(
            RadioButton(
                Text(label), value=phase == selected, name=str(phase), classes=f"phase-{phase}"
            )
            for phase, label in PHASE_LABELS.items()
        ),
        classes="phase-choice",
    )


class CepAddModal(FormModal[EnrolmentView | None]):
    TITLE_TEXT = "Ajouter le dispositif CEP"
    SUBMIT_LABEL = "Ajouter"
    TWO_COLUMNS = True

    def __init__(self, dossier_id: int) -> None:
        super().__init__()
        self.dossier_id = dossier_id

    def compose_fields(self) -> ComposeResult:
        app = self.app
        references = app.services.references
        draft = app.services.cep.add_draft(app.actor)
        yield FormField(
            "Aiguilleur",
            RefSelect(references.choices(self.app.actor, ReferenceKind.REFERRER)),
            field_name="referrer_id",
            required=True,
        )
        yield FormField(
            "Date d'entretien d'initialisation", DateInput(), field_name="initial_interview_date"
        )
        yield FormField(
            "Date d'entrée", DateInput(draft.entry_date), field_name="entry_date", required=True
        )
        yield FormField(
            "Motif de la sollicitation",
            RefSelect(references.choices(self.app.actor, ReferenceKind.SOLICITATION_REASON)),
            field_name="solicitation_reason_id",
            required=True,
        )
        yield FormField("Phase", phase_choice(draft.phase), field_name="phase", required=True)
        yield FormField("Nom du prescripteur", Input(), field_name="prescriber_name")
        yield FormField("Nom du référent", Input(draft.referent_name), field_name="referent_name")
        yield FormField(
            "Type de projet",
            RefSelect(references.choices(self.app.actor, ReferenceKind.PROJECT_TYPE)),
            field_name="project_type_id",
        )

    def gather(self) -> Callable[[], EnrolmentView]:
        app = self.app
        form = CepAddInput(
            referrer_id=self.value_of("referrer_id"),
            initial_interview_date=self.value_of("initial_interview_date"),
            entry_date=self.value_of("entry_date"),
            solicitation_reason_id=self.value_of("solicitation_reason_id"),
            phase=self.value_of("phase"),
            prescriber_name=self.value_of("prescriber_name"),
            referent_name=self.value_of("referent_name"),
            project_type_id=self.value_of("project_type_id"),
        )
        return lambda: app.services.cep.add(app.actor, self.dossier_id, form)
