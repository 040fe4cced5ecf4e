"""`?`: the keys of the current screen, with why a greyed one cannot be used."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable

from cep_tui.ui.bindings import is_own_binding

# As app.tcss sizes `.keys-body`.
KEYS_BOX_WIDTH = 70
KEY_HEADER = "Touche"


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
        rows = list(self.rows())
        key_width = max([len(KEY_HEADER), *(len(key) for key, _, _, _ in rows)])
        table.add_column(KEY_HEADER, width=key_width)
        table.add_column("Action")
        for key, label, reason, enabled in rows:
            style = "" if enabled else "dim"
            if reason:
                # Under the action, wrapped to what is left of the box: never cut.
                label = "\n".join([label, *textwrap.wrap(reason, self.label_width(key_width))])
            table.add_row(
                Text(key, style=f"bold {style}"),
                Text(label, style=style),
                height=label.count("\n") + 1,
            )
        table.focus()

    def rows(self):
        """(key, action, why it is greyed or None, enabled) for each key of the screen."""
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
            # Screens may say why an action is greyed (a missing right, the state).
            refusal = getattr(active.node, "action_refusal", None)
            reason = refusal(binding.action) if refusal and not active.enabled else None
            reason = reason or (None if active.enabled else active.tooltip)
            yield self.app.get_key_display(binding), binding.description, reason, active.enabled

    def label_width(self, key_width: int) -> int:
        """The width left for an action's words: the help's box (70 columns, or 95 % of a
        narrower screen) less its border, the key column and the cells' padding."""
        box = min(KEYS_BOX_WIDTH, self.app.size.width * 95 // 100)
        return max(20, box - 2 - key_width - 4 - 2)
