"""The App: global keys, the command palette, the counsellor in the header. Thin: the
screens do the work, the services hold the rules."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual import events
from textual._dispatch_key import dispatch_key
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets.option_list import Option

from cep_tui.config import Settings
from cep_tui.ui import textual_fixes
from cep_tui.ui.bindings import is_own_binding
from cep_tui.ui.inert import inert_str
from cep_tui.ui.key_order import KeysInOrder
from cep_tui.ui.refusals import refused_key_reason

textual_fixes.apply()

if TYPE_CHECKING:
    from cep_tui.services import Services
    from cep_tui.services.actor import Actor

STYLES_DIR = Path(__file__).parent / "styles"
# The home screen's look, with what every screen shares. The other stylesheets (some
# 30 ms to parse), in their order, come after it: once the home screen shows its first
# results, or before any other screen shows, whichever comes first (`load_all_styles`).
FIRST_SCREEN_STYLES = STYLES_DIR / "home.tcss"

# How keys are named on screen (footer, help, palette): the French names of the keyboard,
# where Textual would say "pgdn", "esc" or "home".
KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgPréc",
    "pagedown": "PgSuiv",
    "home": "Début",
    "end": "Fin",
    "escape": "Échap",
    "enter": "Entrée",
    "delete": "Suppr",
    "backspace": "Retour arrière",
    "tab": "Tab",
    "space": "Espace",
}


# The name the one dossier screen is installed under (CepApp.open_dossier).
DOSSIER_SCREEN = "dossier"
# How often the idle lock looks at the time since the last key (seconds).
IDLE_CHECK_SECONDS = 15

SAVING_BEFORE_QUIT = "Enregistrement en cours : cep-tui se ferme une fois qu'il est terminé."


class CepCommandPalette(CommandPalette):
    """Textual's command palette, speaking French (its keys as Textual's, described in
    French: the keys help and any footer show these words)."""

    BINDINGS = [
        Binding("ctrl+end, shift+end", "command_list('last')", "Aller à la fin", show=False),
        Binding("ctrl+home, shift+home", "command_list('first')", "Aller au début", show=False),
        Binding("down", "cursor_down", "Commande suivante", show=False),
        Binding("escape", "escape", "Fermer la liste des commandes"),
        Binding("pagedown", "command_list('page_down')", "Page suivante", show=False),
        Binding("pageup", "command_list('page_up')", "Page précédente", show=False),
        Binding("up", "command_list('cursor_up')", "Commande précédente", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(placeholder="Rechercher une commande…", **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own says "No matches found" (textual 8.2.8, pinned).
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text("Aucune commande ne correspond.", style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class CepApp(KeysInOrder, App[None]):
    TITLE = "cep-tui"
    CSS_PATH = [FIRST_SCREEN_STYLES]
    BINDINGS = [
        # The help, from every screen and every modal (priority: a modal's own bindings
        # stop at it). F1 always; "?" unless a text field has the focus, where it is typed.
        Binding("f1", "keys", "Aide", key_display="?/F1", priority=True),
        Binding("question_mark", "keys_unless_typing", "Aide", show=False, priority=True),
        Binding("ctrl+q", "quit", "Quitter", priority=True),
        # From every screen (the home screen shows it in its footer, the help everywhere).
        Binding("f4", "indicators", "Indicateurs CEP", key_display="F4", show=False),
        # Declared here, Textual adds no palette key of its own (described in English).
        Binding(
            "ctrl+p",
            "command_palette",
            "Commandes",
            show=False,
            priority=True,
            tooltip="Les actions de cet écran, à chercher par leur nom",
        ),
    ]

    def __init__(
        self,
        services: Services,
        actor: Actor,
        *,
        cursor_blink: bool = True,
        exit_when_ready: Path | None = None,
        settings: Settings | None = None,
        os_account: str | None = None,
    ):
        super().__init__()
        self._keys_init()
        self.services = services
        self.actor = actor
        # The deployment's settings (idle lock) and the OS account at the keyboard (the
        # session log, the lock's owner); the defaults under tests.
        self.settings = settings or Settings()
        self.os_account = os_account
        # The idle lock: the instant of the last key (time.monotonic()), and why the
        # session ended ("quit", "idle", "hangup"), for the session log.
        self.last_key_at = time.monotonic()
        self.end_reason = "quit"
        self.cursor_blink = cursor_blink
        # `make bench` times the start: the app writes there the instants its first screen
        # is ready (time.monotonic(), one clock for every process), then quits.
        self.exit_when_ready = exit_when_ready
        self._all_styles_loaded = False
        self._dossier_screen: Screen | None = None  # see open_dossier

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is inert: messages quote the data (a name, a label), which
        may hold control characters or markup (cep_tui.ui.inert); never parsed as markup."""
        super().notify(
            inert_str(message, multiline=True),
            title=inert_str(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def get_default_screen(self) -> Screen:
        # The home screen is the first of the stack (rather than pushed above Textual's
        # empty default screen, which would be built and drawn for nothing).
        from cep_tui.ui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self._keys_start_watchdog()
        self.title = inert_str(self.actor.structure_name)
        self.sub_title = inert_str(f"{self.actor.display_name} ({self.actor.login})")
        # SQLite: the write-ahead log is folded into the database while the counsellor
        # reads, rather than by the write that takes it past its threshold (first try 30 s
        # after the start, so never before the first screen; see db/connection.py).
        self.set_interval(30, self._checkpoint_when_idle)
        if self.settings.idle_minutes > 0:
            self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key_at = time.monotonic()
        await super().on_event(event)

    # -- the idle lock (issue 12) -----------------------------------------------------------
    @property
    def locked(self) -> bool:
        from cep_tui.ui.screens.locked import LockedScreen

        return isinstance(self.screen, LockedScreen)

    def check_idle_lock(self, now: float | None = None) -> None:
        """Past the configured minutes without a key: lock the screen, or end the session
        (`idle_action = "quit"`)."""
        now = time.monotonic() if now is None else now
        if self.locked or now - self.last_key_at < self.settings.idle_minutes * 60:
            return
        if self.settings.idle_action == "quit":
            self.end_reason = "idle"
            self.exit(
                message=f"cep-tui : session fermée après {self.settings.idle_minutes:g} "
                "minute(s) sans activité."
            )
            return
        from cep_tui.ui.screens.locked import LockedScreen

        who = f"{self.actor.display_name} ({self.actor.login})"
        if self.os_account and self.os_account != self.actor.login:
            who += f", compte {self.os_account}"
        super().push_screen(LockedScreen(who, self.settings.idle_minutes))

    def unlock(self) -> None:
        if self.locked:
            self.last_key_at = time.monotonic()
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.locked:
            from cep_tui.ui.screens.locked import ALLOWED_ACTIONS

            if action not in ALLOWED_ACTIONS:
                return False
        if action == "keys_unless_typing":
            # In a text field "?" is a character: the key goes on to the field.
            return not _typing_in(self.focused)
        return super().check_action(action, parameters)

    def _checkpoint_when_idle(self) -> None:
        from cep_tui.db.connection import checkpoint, checkpoint_due

        if checkpoint_due():
            self.run_worker(
                checkpoint, thread=True, group="checkpoint", exclusive=True, exit_on_error=False
            )

    def first_screen_ready(self, stage: str) -> None:
        """The home screen is drawn, its search box taking keys ("interactive"), or shows
        its first results ("results", a moment later: they are read in a worker)."""
        if self.exit_when_ready is not None:
            self.call_after_refresh(self._report_ready, stage)
        if stage == "results":
            self.call_after_refresh(self.load_all_styles)
            if gc.get_freeze_count() == 0:
                # What lives from the start (modules, styles, the home screen) leaves the
                # collector's sight: full collections, which otherwise grow with every
                # screen opened and land inside openings, only walk what came after. Once
                # per process (a test process runs many apps: freezing at each would keep
                # them all).
                gc.freeze()

    def load_all_styles(self) -> None:
        """Read the stylesheets of the other screens, once. None of their rules styles a
        widget of the home screen (tests/unit/test_startup.py checks it): the widgets
        already there keep their styles, and the sources parsed before come from the
        stylesheet's cache."""
        if self._all_styles_loaded:
            return
        self._all_styles_loaded = True
        paths = [
            path
            for path in sorted(STYLES_DIR.glob("*.tcss"))
            if not self.stylesheet.has_source(str(path.absolute()), "")
        ]
        for path in paths:
            self.stylesheet.read(path)
        self.stylesheet.parse()
        self.css_path = [*self.css_path, *paths]
        if self.css_monitor is not None:
            self.css_monitor.add_paths(paths)

    def open_dossier(self, dossier_id: int) -> Screen:
        """Show a young person's dossier. One dossier screen, kept installed, serves them
        all (ui/screens/dossier.py): building a new one for each was most of an opening's
        cost. A second one is made only when that one is already in the stack (a dossier
        reached from a screen above it), and is released when closed."""
        from cep_tui.ui.screens.dossier import DossierScreen

        screen = self._dossier_screen
        if screen is None:
            screen = self._dossier_screen = DossierScreen(dossier_id)
            self.install_screen(screen, DOSSIER_SCREEN)
        elif screen in self.screen_stack:
            screen = DossierScreen(dossier_id)
        else:
            screen.retarget(dossier_id)
        self.push_screen(screen)
        return screen

    def push_screen(self, screen, *args, **kwargs):
        # Every screen pushed comes above the home screen, and may need the other sheets.
        self.load_all_styles()
        return super().push_screen(screen, *args, **kwargs)

    def _report_ready(self, stage: str) -> None:
        with self.exit_when_ready.open("a", encoding="utf-8") as report:
            report.write(f"{stage} {time.monotonic()!r}\n")
        if stage == "results":
            self.exit()

    @property
    def shows_bugs(self) -> bool:
        """Whether an unexpected error (a bug) is raised as it is rather than told in
        French: under Pilot, where the test must see it."""
        return self.is_headless

    def _handle_exception(self, error: Exception) -> None:
        if self.shows_bugs:
            super()._handle_exception(error)
            return
        from cep_tui.crash import log_unexpected, unexpected_message

        self.exit(return_code=1, message=unexpected_message(log_unexpected(error)))

    async def action_quit(self) -> None:
        # A form saving (within its bound) finishes first: quitting now would leave the
        # counsellor not knowing whether it was saved.
        if getattr(self.screen, "saving", False):
            self.notify(SAVING_BEFORE_QUIT, severity="warning", markup=False)
            return
        await super().action_quit()

    async def _on_key(self, event: events.Key) -> None:
        # Textual's App._on_key (the bindings, then the app's own key handlers), and one
        # step more: a greyed key says why at once, rather than doing nothing.
        event.prevent_default()  # Textual's own is replaced, not run after this one
        if await self._check_bindings(event.key):
            return
        reason = refused_key_reason(self.screen, event.key)
        if reason:
            self.notify(reason, severity="warning", markup=False)
            return
        await dispatch_key(self, event)

    def action_help_quit(self) -> None:
        # Ctrl+C (Textual's, which says it in English): copies in a field, never quits.
        self.notify(
            "Ctrl+Q pour quitter cep-tui (Ctrl+C copie le texte choisi).",
            title="Quitter ?",
            markup=False,
        )

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
                or binding.action == "command_palette"
                or not active.enabled
                or binding.action in seen
                or not is_own_binding(active.node, binding)
                or isinstance(active.node, CommandPalette)  # its own keys, not actions
            ):
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                f"Touche {self.get_key_display(binding)}",
                lambda node=active.node, action=binding.action: self.call_later(
                    node.run_action, action
                ),
            )
        if "quit" not in seen:
            yield SystemCommand("Quitter", "Fermer cep-tui (Ctrl+Q)", self.action_quit)

    def get_key_display(self, binding: Binding) -> str:
        if binding.key_display:
            return binding.key_display
        modifiers, key = binding.parse_key()
        if not modifiers and key in KEY_NAMES:
            return KEY_NAMES[key]
        return super().get_key_display(binding)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CepCommandPalette(id="--command-palette"))

    def action_indicators(self) -> None:
        from textual.screen import ModalScreen

        from cep_tui.ui.screens.indicators import IndicatorsScreen

        # Not over a form (what it holds would be left behind it), nor twice.
        if isinstance(self.screen, ModalScreen | IndicatorsScreen):
            return
        self.push_screen(IndicatorsScreen())

    def action_keys(self) -> None:
        from cep_tui.ui.modals.keys import KeysModal

        if isinstance(self.screen, KeysModal):
            self.screen.dismiss()  # the same key closes it
        else:
            self.push_screen(KeysModal(self.screen))

    def action_keys_unless_typing(self) -> None:
        self.action_keys()


def _typing_in(widget) -> bool:
    """Whether `widget` takes text (an Input, a TextArea), without importing the TextArea
    (heavy) before a form needs it."""
    from textual.widgets import Input

    if isinstance(widget, Input):
        return True
    text_area = sys.modules.get("textual.widgets._text_area")
    return text_area is not None and isinstance(widget, text_area.TextArea)
