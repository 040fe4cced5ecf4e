"""A small action menu: the entries a record's state allows; a refused entry is greyed with
its reason and cannot be chosen. Enter chooses, Escape closes."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from cep_tui.ui.inert import inert


class ActionMenuModal(ModalScreen[str | None]):
    """Entries are (identifier, label, key, refusal); dismisses with the chosen identifier."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Fermer")]
    DEFAULT_CLASSES = "action-menu-modal"

    def __init__(self, title: str, entries: Iterable[tuple[str, str, str, str | None]]) -> None:
        super().__init__()
        self.title_text = title
        self.entries = tuple(entries)

    def compose(self) -> ComposeResult:
        options = []
        for ident, label, key, refusal in self.entries:
            if refusal:
                prompt = Text.assemble(f"{label}\n", (f"  {refusal}", "italic"))
            else:
                prompt = Text.assemble(label, (f"  ({key})", "dim"))
            options.append(Option(prompt, id=ident, disabled=bool(refusal)))
        with Vertical(classes="action-menu-body") as body:
            body.border_title = inert(self.title_text)  # a title from the data: no markup
            body.border_subtitle = "Entrée : choisir — Échap : fermer"
            yield OptionList(*options, id="action-menu")

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.focus()
        first = next((i for i, o in enumerate(menu.options) if not o.disabled), None)
        menu.highlighted = first

    @on(OptionList.OptionSelected, "#action-menu")
    def on_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)
