"""Modifier un dispositif: the five fields the guide lets change; the dates are shown only."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Input

from cep_tui.services.cep import CepModifyInput
from cep_tui.services.dates import format_date
from cep_tui.services.views import EnrolmentView
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.fields import FormField, ReadOnlyField, RefSelect
from cep_tui.vocabulary import ReferenceKind


class CepModifyModal(FormModal[EnrolmentView | None]):
    TITLE_TEXT = "MODIFIER UN DISPOSITIF"
    SUBMIT_LABEL = "Enregistrer"
    TWO_COLUMNS = True

    def __init__(self, enrolment: EnrolmentView) -> None:
        super().__init__()
        self.enrolment = enrolment

    def compose_fields(self) -> ComposeResult:
        references = self.app.services.references
        e = self.enrolment
        project_id = e.project_type.id if e.project_type else None
        yield ReadOnlyField("Dispositif modifié", e.dispositif_name)
        yield FormField(
            "Aiguilleur",
            RefSelect(
                references.choices(self.app.actor, ReferenceKind.REFERRER, keep_id=e.referrer.id),
                value=e.referrer.id,
            ),
            field_name="referrer_id",
            required=True,
        )
        yield ReadOnlyField(
            "Date d'entretien d'initialisation", format_date(e.initial_interview_date)
        )
        yield ReadOnlyField("Date d'entrée", format_date(e.entry_date))
        yield FormField(
            "Motif de la sollicitation",
            RefSelect(
                references.choices(
                    self.app.actor,
                    ReferenceKind.SOLICITATION_REASON,
                    keep_id=e.solicitation_reason.id,
                ),
                value=e.solicitation_reason.id,
            ),
            field_name="solicitation_reason_id",
            required=True,
        )
        yield FormField(
            "Nom du prescripteur", Input(e.prescriber_name), field_name="prescriber_name"
        )
        yield FormField("Nom du référent", Input(e.referent_name), field_name="referent_name")
        yield FormField(
            "Type de projet",
            RefSelect(
                references.choices(self.app.actor, ReferenceKind.PROJECT_TYPE, keep_id=project_id),
                value=project_id,
            ),
            field_name="project_type_id",
        )

    def gather(self) -> Callable[[], EnrolmentView]:
        app = self.app
        form = CepModifyInput(
            referrer_id=self.value_of("referrer_id"),
            solicitation_reason_id=self.value_of("solicitation_reason_id"),
            prescriber_name=self.value_of("prescriber_name"),
            referent_name=self.value_of("referent_name"),
            project_type_id=self.value_of("project_type_id"),
        )
        return lambda: app.services.cep.modify(
            app.actor, self.enrolment.id, form, expected_version=self.enrolment.version
        )
