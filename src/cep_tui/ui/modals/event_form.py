"""Ouvrir un évènement sur le dossier: the guide's event form, pre-filled with today, the
counsellor at the keyboard as Intervenant and the "Conseiller" function."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult

from cep_tui.services.views import EventView
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.event_fields import EventFields, default_event
from cep_tui.vocabulary import ReferenceKind


class EventFormModal(FormModal[EventView | None]):
    TITLE_TEXT = "ÉVÈNEMENT"
    SUBMIT_LABEL = "Valider"

    def __init__(self, dossier_id: int) -> None:
        super().__init__()
        self.dossier_id = dossier_id

    def compose_fields(self) -> ComposeResult:
        app = self.app
        initial = default_event(
            app.services.clock.today(),
            app.actor.id,
            app.services.references.choices(app.actor, ReferenceKind.FUNCTION),
        )
        yield EventFields(initial, id="event-fields")

    def gather(self) -> Callable[[], EventView]:
        app = self.app
        form = self.query_one(EventFields).value()
        return lambda: app.services.events.open(app.actor, self.dossier_id, form)
