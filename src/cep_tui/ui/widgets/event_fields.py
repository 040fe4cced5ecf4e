"""The fields of an évènement, as the guide lists them; shared by the event form and the
proposal form (which asks for the event when none is in progress).

The widget only gathers text and ids into an EventInput: the service validates it, and its
field errors (keyed by the EventInput field names) land under these fields.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox

from cep_tui.services.events import EventInput
from cep_tui.ui.widgets.fields import (
    CommentField,
    CounsellorSelect,
    DateInput,
    FieldRow,
    FormField,
    RefSelect,
)
from cep_tui.vocabulary import ReferenceKind

# (label, EventInput field, reference list, required), in the guide's order.
REFERENCE_FIELDS = (
    ("Contexte primaire", "primary_context_id", ReferenceKind.CONTEXT, True),
    ("Contexte secondaire", "secondary_context_id", ReferenceKind.CONTEXT, False),
    ("Contexte tertiaire", "tertiary_context_id", ReferenceKind.CONTEXT, False),
    ("Sens", "direction_id", ReferenceKind.DIRECTION, True),
    ("Nature", "nature_id", ReferenceKind.NATURE, True),
    ("Lieu d'accueil", "reception_place_id", ReferenceKind.RECEPTION_PLACE, True),
    ("Fonction", "function_id", ReferenceKind.FUNCTION, True),
)


class EventFields(Vertical):
    """Date, the three contexts, Sens, Nature, Lieu d'accueil, Fonction, Intervenant,
    Commentaire (n/255) and "Venu sans rendez-vous"."""

    DEFAULT_CLASSES = "event-fields"

    def __init__(
        self, initial: EventInput | None = None, *, id_prefix: str = "field-", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.initial = initial or EventInput()
        self.id_prefix = id_prefix

    def field_id(self, field_name: str) -> str:
        return f"{self.id_prefix}{field_name}"

    def compose(self) -> ComposeResult:
        app = self.app
        references = app.services.references
        initial = self.initial
        fields = [
            FormField(
                "Date",
                DateInput(initial.event_date),
                field_name="event_date",
                required=True,
                id=self.field_id("event_date"),
            ),
        ]
        for label, name, kind, required in REFERENCE_FIELDS:
            current = getattr(initial, name)
            fields.append(
                FormField(
                    label,
                    RefSelect(
                        references.choices(self.app.actor, kind, keep_id=current), value=current
                    ),
                    field_name=name,
                    required=required,
                    id=self.field_id(name),
                )
            )
        fields.append(
            FormField(
                "Intervenant",
                CounsellorSelect(references.counsellors(app.actor), value=initial.intervenant_id),
                field_name="intervenant_id",
                required=True,
                id=self.field_id("intervenant_id"),
            )
        )
        fields.append(
            Checkbox(
                "Venu sans rendez-vous",
                initial.walk_in,
                compact=True,
                id=self.field_id("walk_in"),
                classes="walk-in",
            )
        )
        # In pairs, side by side on a wide screen (forms.tcss); the Tab order stays the
        # guide's reading order either way.
        for index in range(0, len(fields), 2):
            yield FieldRow(*fields[index : index + 2])
        yield CommentField(value=initial.comment, id=self.field_id("comment"))

    def _field(self, name: str) -> FormField:
        return self.query_one(f"#{self.field_id(name)}", FormField)

    def value(self) -> EventInput:
        """What is typed and chosen, as the service's EventInput (dates stay text)."""
        chosen = {name: self._field(name).widget.chosen for _, name, _, _ in REFERENCE_FIELDS}
        return EventInput(
            event_date=self._field("event_date").widget.value,
            intervenant_id=self._field("intervenant_id").widget.chosen,
            comment=self.query_one(f"#{self.field_id('comment')}", CommentField).text,
            walk_in=self.query_one(f"#{self.field_id('walk_in')}", Checkbox).value,
            **chosen,
        )
