"""An explicit yes/no question: `o` (oui) or `n` (non), Escape means no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cep_tui.ui.inert import inert


class ConfirmModal(ModalScreen[bool]):
    BINDINGS = [
        Binding("o", "answer(True)", "Oui"),
        Binding("n", "answer(False)", "Non"),
        Binding("escape", "answer(False)", "Annuler"),
    ]
    DEFAULT_CLASSES = "confirm-modal"

    def __init__(self, title: str, question: str, *, confirm_label: str = "Oui") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="confirm-body") as body:
            body.border_title = inert(self.title_text)
            yield Static(inert(self.question, multiline=True), classes="confirm-question")
            with Horizontal(classes="form-buttons"):
                yield Button(f"{self.confirm_label} (o)", id="yes", variant="error")
                yield Button("Non (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")
