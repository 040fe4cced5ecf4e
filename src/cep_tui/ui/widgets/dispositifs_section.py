"""Suivi > Dispositifs: one card per dispositif, and what its action menu starts."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from cep_tui.services.errors import DomainError
from cep_tui.services.views import EnrolmentAction, EnrolmentView
from cep_tui.ui.widgets.dispositif_card import DispositifCard
from cep_tui.ui.widgets.dossier_sections import DossierChanged, DossierSection, SectionScroll
from cep_tui.ui.writes import write_off_thread

CEP_ADDED = "Dispositif CEP ajouté."

DELETE_QUESTION = "Supprimer le dispositif CEP ?"
CONFIRMATIONS = {
    EnrolmentAction.MODIFY: "Dispositif CEP modifié.",
    EnrolmentAction.CLOSE: "Dispositif CEP clôturé.",
    EnrolmentAction.PHASE_3: "Passage en phase 3 enregistré.",
}
ACTION_KEYS = {
    EnrolmentAction.MODIFY: "m",
    EnrolmentAction.CLOSE: "c",
    EnrolmentAction.PHASE_3: "p",
    EnrolmentAction.DELETE: "Suppr",
}


class DispositifsSection(DossierSection):
    HEADING = "DISPOSITIFS"

    def __init__(self, dossier_id: int, *, id: str) -> None:
        super().__init__(dossier_id, id=id)
        self.enrolments: tuple[EnrolmentView, ...] = ()

    def compose_body(self) -> ComposeResult:
        yield SectionScroll(id="dispositif-cards", can_focus=False, classes="section-body")

    def read(self) -> tuple[tuple[EnrolmentView, ...], dict]:
        return (
            self.services.cep.list(self.actor, self.dossier_id),
            self.services.action_plan.for_dossier(self.actor, self.dossier_id),
        )

    async def show_data(self, data: tuple[tuple[EnrolmentView, ...], dict]) -> None:
        focused = self.screen.focused
        keep = focused.enrolment.id if isinstance(focused, DispositifCard) else None
        self.enrolments, plans = data
        cards = self.query_one("#dispositif-cards", SectionScroll)
        await cards.remove_children()
        if not self.enrolments:
            await cards.mount(
                Static("Aucun dispositif sur ce dossier.", classes="caption"),
            )
            return
        await cards.mount_all(
            DispositifCard(e, plans.get(e.id, ()), classes="dispositif-card")
            for e in self.enrolments
        )
        if isinstance(focused, DispositifCard):
            card = next((c for c in self.query(DispositifCard) if c.enrolment.id == keep), None)
            (card or self.query(DispositifCard).first()).focus()

    def focus_content(self) -> bool:
        """The CEP in progress's card takes the focus (else the first): its keys act at once,
        as after adding the CEP."""
        cards = list(self.query(DispositifCard)) if self.enrolments else []
        cep = (c for c in cards if c.enrolment.in_progress and c.enrolment.is_cep)
        card = next(cep, cards[0] if cards else None)
        if card is None:
            return False
        card.focus()
        return True

    # -- the card's actions ------------------------------------------------------------
    @on(DispositifCard.ActionRequested)
    def on_action_requested(self, event: DispositifCard.ActionRequested) -> None:
        event.stop()
        if event.action is None:
            self.open_menu(event.enrolment)
        else:
            self.start(event.enrolment, event.action)

    @on(DispositifCard.PlanRequested)
    def on_plan_requested(self, event: DispositifCard.PlanRequested) -> None:
        event.stop()
        from cep_tui.ui.modals.action_plan import ActionPlanModal

        def closed(changed: bool | None) -> None:
            if changed:
                self.post_message(DossierChanged("Plan d'action enregistré."))

        self.app.push_screen(ActionPlanModal(event.enrolment), closed)

    def open_menu(self, enrolment: EnrolmentView) -> None:
        from cep_tui.ui.modals.action_menu import ActionMenuModal

        entries = [
            (o.action.value, o.action.label, ACTION_KEYS[o.action], o.refusal)
            for o in enrolment.actions
        ]

        def chosen(ident: str | None) -> None:
            if ident is not None:
                self.start(enrolment, EnrolmentAction(ident))

        self.app.push_screen(ActionMenuModal(enrolment.title, entries), chosen)

    def start(self, enrolment: EnrolmentView, action: EnrolmentAction) -> None:
        offer = next((o for o in enrolment.actions if o.action is action), None)
        if offer is None or not offer.allowed:
            if offer is not None:
                self.app.notify(offer.refusal or "", severity="warning", markup=False)
            return
        if action is EnrolmentAction.DELETE:
            self.confirm_delete(enrolment)
            return
        if action is EnrolmentAction.MODIFY:
            from cep_tui.ui.modals.cep_modify import CepModifyModal as Modal
        elif action is EnrolmentAction.CLOSE:
            from cep_tui.ui.modals.cep_close import CepCloseModal as Modal
        else:
            from cep_tui.ui.modals.cep_phase3 import Phase3Modal as Modal

        def done(result: EnrolmentView | None) -> None:
            if result is not None:
                self.post_message(DossierChanged(CONFIRMATIONS[action]))

        self.app.push_screen(Modal(enrolment), done)

    def confirm_delete(self, enrolment: EnrolmentView) -> None:
        from cep_tui.ui.modals.confirm import ConfirmModal

        def answered(confirmed: bool | None) -> None:
            if not confirmed:
                return
            write_off_thread(
                self,
                lambda: self.services.cep.delete(
                    self.actor, enrolment.id, expected_version=enrolment.version
                ),
                lambda _: self.post_message(DossierChanged("Dispositif CEP supprimé.")),
                lambda error: self.app.notify(error.message, severity="error", markup=False),
            )

        try:
            trace = self.services.cep.deletion_trace(self.actor, self.dossier_id)
        except DomainError as error:
            self.app.notify(error.message, severity="error", markup=False)
            return
        self.app.push_screen(
            ConfirmModal(
                "Supprimer le dispositif", f"{DELETE_QUESTION} {trace}", confirm_label="Supprimer"
            ),
            answered,
        )
