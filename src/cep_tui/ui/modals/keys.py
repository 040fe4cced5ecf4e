"""`?`: the keys of the current screen, with why a greyed one cannot be used."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable

from cep_tui.ui.bindings import is_own_binding


class KeysModal(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Fermer")]
    DEFAULT_CLASSES = "keys-modal"

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.target = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="keys-body") as body:
            body.border_title = "Touches de cet écran"
            body.border_subtitle = "Échap pour fermer"
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Touche", "Action")
        seen = set()
        for active in self.target.active_bindings.values():
            binding = active.binding
            if (
                not binding.description
                or (binding.action, active.node) in seen
                or not is_own_binding(active.node, binding)
            ):
                continue
            seen.add((binding.action, active.node))
            style = "" if active.enabled else "dim"
            label = binding.description
            # Screens may say why an action is greyed (a missing right, the state).
            refusal = getattr(active.node, "action_refusal", None)
            reason = refusal(binding.action) if refusal and not active.enabled else None
            if reason or (not active.enabled and active.tooltip):
                label = f"{label} — {reason or active.tooltip}"
            table.add_row(
                Text(self.app.get_key_display(binding), style=f"bold {style}"),
                Text(label, style=style),
            )
        table.focus()
