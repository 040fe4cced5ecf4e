"""Proposer une offre au jeune: the guide's pre-filled window. The offer's useful
information is shown, the counsellor completes the date and a comment and, when no event is
in progress on the dossier, the event of this interview (CEP context pre-selected for an
offer of the CEP measure)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from cep_tui.services.dates import format_date
from cep_tui.services.proposals import ProposalDraft, ProposalInput
from cep_tui.services.views import ProposalView
from cep_tui.ui.inert import inert
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.event_fields import EventFields
from cep_tui.ui.widgets.fields import CommentField, DateInput, FormField, ReadOnlyField

NEEDS_EVENT = "Aucun évènement n'est en cours : renseignez l'évènement de cet entretien."


class ProposalFormModal(FormModal[ProposalView | None]):
    TITLE_TEXT = "PROPOSER L'OFFRE"
    SUBMIT_LABEL = "Proposer"
    TWO_COLUMNS = True

    def __init__(
        self, dossier_id: int, offer_id: int, *, draft: ProposalDraft | None = None
    ) -> None:
        super().__init__()
        self.dossier_id = dossier_id
        self.offer_id = offer_id
        self.draft = draft

    def compose_fields(self) -> ComposeResult:
        app = self.app
        if self.draft is None:
            self.draft = app.services.proposals.draft(app.actor, self.dossier_id, self.offer_id)
        draft = self.draft
        offer = draft.offer
        yield ReadOnlyField("Offre", offer.name)
        yield ReadOnlyField("Partenaire", offer.partner)
        yield ReadOnlyField(
            "Mesure nationale", offer.national_measure.label if offer.national_measure else ""
        )
        if offer.end_date:
            yield ReadOnlyField(
                "Période", f"du {format_date(offer.start_date)} au {format_date(offer.end_date)}"
            )
        yield FormField(
            "Date de proposition",
            DateInput(draft.proposed_on),
            field_name="proposed_on",
            required=True,
        )
        yield CommentField(id="proposal-comment")
        if draft.needs_event:
            yield Static(Text("Évènement"), classes="form-section")
            yield Static(Text(NEEDS_EVENT), classes="form-note")
            yield EventFields(draft.event, id_prefix="event-field-", id="event-fields")

    def on_mount(self) -> None:  # Textual runs FormModal.on_mount too
        if self.load_error is None and self.draft is not None:
            # Which offer, even when the form opens scrolled down to the event's fields.
            title = inert(f"{self.TITLE_TEXT} « {self.draft.offer.name} »")  # data: no markup
            self.query_one(".form-body").border_title = title

    def error_fields(self, field_name: str) -> list[FormField]:
        # The proposal and its event both have a "Commentaire": the service names both
        # "comment"; show its message under the one over the limit.
        fields = super().error_fields(field_name)
        if field_name == "comment" and len(fields) > 1:
            over = [f for f in fields if isinstance(f, CommentField) and f.over_limit]
            return over or fields[:1]
        return fields

    def gather(self) -> Callable[[], ProposalView]:
        app = self.app
        event = self.query_one(EventFields).value() if self.draft.needs_event else None
        form = ProposalInput(
            proposed_on=self.value_of("proposed_on"),
            comment=self.query_one("#proposal-comment", CommentField).text,
            event=event,
        )
        return lambda: app.services.proposals.propose(
            app.actor, self.dossier_id, self.offer_id, form
        )
