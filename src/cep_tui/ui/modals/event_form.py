"""Ouvrir un évènement sur le dossier: the guide's event form, pre-filled by the service as
the proposal form's event is (EventService.draft: today, the counsellor, the CEP context
when a CEP is in progress, the counsellor's usual lieu d'accueil…)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult

from cep_tui.services.views import EventView
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.event_fields import EventFields


class EventFormModal(FormModal[EventView | None]):
    TITLE_TEXT = "ÉVÈNEMENT"
    SUBMIT_LABEL = "Valider"
    TWO_COLUMNS = True

    def __init__(self, dossier_id: int) -> None:
        super().__init__()
        self.dossier_id = dossier_id

    def compose_fields(self) -> ComposeResult:
        app = self.app
        yield EventFields(app.services.events.draft(app.actor, self.dossier_id), id="event-fields")

    def gather(self) -> Callable[[], EventView]:
        app = self.app
        form = self.query_one(EventFields).value()
        return lambda: app.services.events.open(app.actor, self.dossier_id, form)
