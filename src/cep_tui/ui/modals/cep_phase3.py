"""Passer en phase 3: the start date of phase 3, with the guide's warning."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from cep_tui.services.dates import format_date
from cep_tui.services.views import EnrolmentView
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.fields import DateInput, FormField, ReadOnlyField

PHASE_3_WARNING = (
    "La date d'entrée en phase 3 doit être placée à minima le lendemain de la date d'entrée "
    "en phase 2. Elle peut également être placée dans le futur. La phase 2 se clôture alors "
    "à la veille de la date d'entrée en phase 3. Le retour en phase 2 n'est pas possible."
)


class Phase3Modal(FormModal[EnrolmentView | None]):
    TITLE_TEXT = "PASSER EN PHASE 3"
    SUBMIT_LABEL = "Valider"

    def __init__(self, enrolment: EnrolmentView) -> None:
        super().__init__()
        self.enrolment = enrolment

    def compose_fields(self) -> ComposeResult:
        enrolment = self.enrolment
        yield ReadOnlyField("Dispositif", enrolment.title)
        yield ReadOnlyField("Date d'entrée en phase 2", format_date(enrolment.current_phase_start))
        yield FormField(
            "Date de début de la phase 3 (jj/mm/aaaa)",
            DateInput(),
            field_name="start_date",
            required=True,
        )
        yield Static(
            Text.assemble(("Attention : ", "bold"), PHASE_3_WARNING), classes="form-warning"
        )

    def gather(self) -> Callable[[], EnrolmentView]:
        app = self.app
        return lambda: app.services.cep.pass_to_phase_3(
            app.actor,
            self.enrolment.id,
            self.value_of("start_date"),
            expected_version=self.enrolment.version,
        )
