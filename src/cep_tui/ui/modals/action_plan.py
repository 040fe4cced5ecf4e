"""The « Plan d'action » of a CEP, line by line: `n` writes a new action, Entrée modifies
the highlighted one, Suppr deletes it (after a confirmation), Échap closes. A closed CEP's
plan, or a counsellor without the right, can only be read: the keys are greyed with why.
Dismisses with True when something was written (the cards are then read again)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from cep_tui.services.action_plan import plan_refusal
from cep_tui.services.errors import DatabaseUnavailable, DomainError
from cep_tui.services.views import ActionPlanItemView, EnrolmentView
from cep_tui.ui.inert import inert
from cep_tui.ui.reads import Reads
from cep_tui.ui.widgets.dispositif_card import plan_line
from cep_tui.ui.widgets.dossier_sections import RETRY_HINT
from cep_tui.ui.writes import write_off_thread

EMPTY = "Aucune action pour l'instant."


class ActionPlanModal(ModalScreen[bool]):
    BINDINGS = [
        Binding("n", "new", "Nouvelle action"),
        # Shown in the footer; the list's own Entrée (OptionSelected) does it, after the
        # arrows typed before it.
        Binding("enter", "modify", "Modifier", key_display="Entrée"),
        Binding("delete", "delete", "Supprimer", key_display="Suppr"),
        Binding("r", "retry", "Réessayer"),
        Binding("escape", "close", "Fermer", key_display="Échap"),
    ]
    DEFAULT_CLASSES = "action-plan-modal"

    def __init__(self, enrolment: EnrolmentView) -> None:
        super().__init__()
        self.enrolment = enrolment
        self.items: tuple[ActionPlanItemView, ...] = ()
        self.changed = False
        self.reads: Reads[tuple[ActionPlanItemView, ...]] = Reads(self)
        self.fault: str | None = None  # why the plan could not be read, until it is

    @property
    def refusal(self) -> str | None:
        return plan_refusal(self.app.actor, self.enrolment.in_progress)

    def compose(self) -> ComposeResult:
        with Vertical(classes="action-plan-body") as body:
            body.border_title = "PLAN D'ACTION"
            body.border_subtitle = "Entrée : modifier"
            yield Static(inert(self.enrolment.title, style="bold"), classes="plan-title")
            yield Static("", id="plan-status", classes="caption")
            yield OptionList(id="plan-lines")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one(OptionList).focus()

    def load(self, keep: int | None = None) -> None:
        """Read the plan again (in a worker); the highlight stays on line `keep` (an id)
        if given."""
        self.reads.start(
            lambda: self.app.services.action_plan.of_enrolment(self.app.actor, self.enrolment.id),
            lambda items: self.read_ended(items, keep),
            self.read_failed,
        )

    def read_ended(self, items: tuple[ActionPlanItemView, ...], keep: int | None) -> None:
        self.fault = None
        self.show_items(items, keep)

    def read_failed(self, error: DomainError) -> None:
        """A fault: said in the status line, with the key that reads again; a refusal:
        said, as before."""
        if isinstance(error, DatabaseUnavailable):
            self.fault = error.message
            self.show_items((), None)
            return
        self.app.notify(error.message, severity="error", markup=False)
        self.show_items((), None)

    def show_items(self, items: tuple[ActionPlanItemView, ...], keep: int | None) -> None:
        self.items = items
        lines = self.query_one(OptionList)
        lines.set_options(Option(plan_line(item), id=str(item.id)) for item in self.items)
        if self.items:
            index = next((i for i, item in enumerate(self.items) if item.id == keep), 0)
            lines.highlighted = index
        status = self.refusal or ("" if self.items else EMPTY)
        if not self.items and self.refusal:
            status = f"{EMPTY} {self.refusal}"
        if self.fault is not None:
            status = f"{self.fault} {RETRY_HINT}"
        self.query_one("#plan-status", Static).update(inert(status))
        self.query_one("#plan-status").display = bool(status)
        self.refresh_bindings()

    @property
    def highlighted(self) -> ActionPlanItemView | None:
        index = self.query_one(OptionList).highlighted
        return self.items[index] if index is not None and index < len(self.items) else None

    # -- keys ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":  # offered only after a read failed
            return self.fault is not None
        if action in ("modify", "delete") and self.highlighted is None:
            return False
        if action in ("new", "modify", "delete") and self.refusal:
            return None
        return True

    def action_refusal(self, action: str) -> str | None:
        """Why a greyed key cannot be used (read by the keys help)."""
        return self.refusal if action in ("new", "modify", "delete") else None

    def action_retry(self) -> None:
        if self.fault is not None:
            self.load()

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def action_new(self) -> None:
        self.edit(None)

    def action_modify(self) -> None:
        if self.highlighted is not None:
            self.edit(self.highlighted)

    @on(OptionList.OptionSelected, "#plan-lines")
    def on_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.items):
            self.edit(self.items[event.option_index])

    def edit(self, item: ActionPlanItemView | None) -> None:
        if self.refusal:
            self.app.notify(self.refusal, severity="warning", markup=False)
            return
        from cep_tui.ui.modals.action_item_form import ActionItemFormModal

        def done(result: ActionPlanItemView | None) -> None:
            if result is not None:
                self.changed = True
                self.load(keep=result.id)
                self.app.notify("Action enregistrée.", markup=False)

        self.app.push_screen(ActionItemFormModal(self.enrolment, item), done)

    def deleted(self) -> None:
        self.changed = True
        self.load()
        self.app.notify("Action supprimée.", markup=False)

    def action_delete(self) -> None:
        item = self.highlighted
        if item is None or self.refusal:
            return
        from cep_tui.ui.modals.confirm import ConfirmModal

        def answered(confirmed: bool | None) -> None:
            if not confirmed:
                return
            write_off_thread(
                self,
                lambda: self.app.services.action_plan.delete(
                    self.app.actor, item.id, expected_version=item.version
                ),
                lambda _: self.deleted(),
                lambda error: self.app.notify(error.message, severity="error", markup=False),
            )

        question = f"Supprimer l'action « {item.text} » du plan d'action ?"
        self.app.push_screen(
            ConfirmModal("Supprimer une action", question, confirm_label="Supprimer"), answered
        )
