"""Clôturer le dispositif: the real end date (never by anticipation) and the exit reason."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult

from cep_tui.services.dates import format_date
from cep_tui.services.views import EnrolmentView
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.fields import DateInput, FormField, FrenchSelect, ReadOnlyField
from cep_tui.vocabulary import ExitReason


class CepCloseModal(FormModal[EnrolmentView | None]):
    TITLE_TEXT = "CLÔTURER LE DISPOSITIF"
    SUBMIT_LABEL = "Clôturer"

    def __init__(self, enrolment: EnrolmentView) -> None:
        super().__init__()
        self.enrolment = enrolment

    def compose_fields(self) -> ComposeResult:
        e = self.enrolment
        yield ReadOnlyField("Dispositif", e.title)
        yield ReadOnlyField(
            f"Date d'entrée en phase {e.phase_today}", format_date(e.current_phase_start)
        )
        yield FormField(
            "Date de fin réelle (jj/mm/aaaa)", DateInput(), field_name="end_date", required=True
        )
        yield FormField(
            "Motif de sortie",
            FrenchSelect([(Text(reason.label), reason.value) for reason in ExitReason], prompt="—"),
            field_name="exit_reason",
            required=True,
        )

    def gather(self) -> Callable[[], EnrolmentView]:
        app = self.app
        return lambda: app.services.cep.close(
            app.actor,
            self.enrolment.id,
            self.value_of("end_date"),
            self.value_of("exit_reason"),
            expected_version=self.enrolment.version,
        )
