"""The App: global keys, the command palette, the counsellor in the header. Thin: the
screens do the work, the services hold the rules."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from cep_tui.services import Services
from cep_tui.services.views import Actor
from cep_tui.ui.bindings import is_own_binding

STYLES_DIR = Path(__file__).parent / "styles"


class CepApp(App[None]):
    TITLE = "cep-tui"
    CSS_PATH = sorted(STYLES_DIR.glob("*.tcss"))
    BINDINGS = [
        Binding("question_mark", "keys", "Aide", key_display="?"),
        Binding("ctrl+q", "quit", "Quitter", priority=True),
    ]

    def __init__(self, services: Services, actor: Actor, *, cursor_blink: bool = True):
        super().__init__()
        self.services = services
        self.actor = actor
        self.cursor_blink = cursor_blink

    def on_mount(self) -> None:
        from cep_tui.ui.screens.home import HomeScreen

        self.title = self.actor.structure_name
        self.sub_title = f"{self.actor.display_name} ({self.actor.login})"
        self.push_screen(HomeScreen())

    def _handle_exception(self, error: Exception) -> None:
        # Under Pilot the test must see the error itself.
        if self.is_headless:
            super()._handle_exception(error)
            return
        from cep_tui.crash import log_unexpected, unexpected_message

        self.exit(return_code=1, message=unexpected_message(log_unexpected(error)))

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Snapshots need a still cursor; people at a terminal prefer it blinking.
        if not self.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers the current screen's own actions, then "Quitter"."""
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if (
                not binding.description
                or not active.enabled
                or binding.action in seen
                or not is_own_binding(active.node, binding)
            ):
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                f"Touche {binding.key_display or binding.key}",
                lambda node=active.node, action=binding.action: self.call_later(
                    node.run_action, action
                ),
            )
        if "quit" not in seen:
            yield SystemCommand("Quitter", "Fermer cep-tui (Ctrl+Q)", self.action_quit)

    def action_keys(self) -> None:
        from cep_tui.ui.modals.keys import KeysModal

        if not isinstance(self.screen, KeysModal):
            self.push_screen(KeysModal(self.screen))
