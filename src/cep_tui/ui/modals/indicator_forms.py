"""The forms of the indicators screen: a period of two dates, and an export file."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from cep_tui.periods import Period, PeriodKind
from cep_tui.services.errors import ValidationError
from cep_tui.services.indicators import Indicators
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.fields import DateInput, FormField


class PeriodFormModal(FormModal[Period | None]):
    TITLE_TEXT = "PÉRIODE DES INDICATEURS"
    SUBMIT_LABEL = "Valider"

    def __init__(self, period: Period) -> None:
        super().__init__()
        self.period = period

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "Du (jj/mm/aaaa)", DateInput(self.period.start), field_name="start", required=True
        )
        yield FormField(
            "Au (jj/mm/aaaa)", DateInput(self.period.end), field_name="end", required=True
        )

    def submit(self) -> Period:
        first, last = self.app.services.indicators.read_period(
            self.value_of("start"), self.value_of("end")
        )
        return Period(PeriodKind.DATES, first, last)


class ExportFormModal(FormModal[str | None]):
    """Exporter: a file name (.ods or .csv) in the export folder, written private."""

    TITLE_TEXT = "EXPORTER LES INDICATEURS"
    SUBMIT_LABEL = "Exporter"

    def __init__(self, indicators: Indicators) -> None:
        super().__init__()
        self.indicators = indicators

    def compose_fields(self) -> ComposeResult:
        from cep_tui.exports import ExportError, export_dir

        i = self.indicators
        try:
            folder = str(export_dir())
        except ExportError as error:
            folder = str(error)
        name = f"indicateurs-cep-{i.start:%Y%m%d}-{i.end:%Y%m%d}.ods"
        yield FormField("Fichier (.ods ou .csv)", Input(name), field_name="file", required=True)
        yield Static(
            Text(
                f"Dans {folder}. Agrégats seulement (aucun nom de jeune), fichier "
                "lisible par vous seul."
            ),
            classes="form-warning",
        )

    def submit(self) -> str:
        from cep_tui import indicator_exports as exports
        from cep_tui.exports import ExportError, export_dir

        name = (self.value_of("file") or "").strip()
        if not name:
            raise ValidationError({"file": "Fichier : ce champ est obligatoire."})
        try:
            path = exports.export_path(name, export_dir())
            exports.export(self.indicators, Path(path))
        except (ValueError, ExportError) as error:
            raise ValidationError({"file": str(error)}) from error
        return str(path)
