"""The idle lock (issue 12): after the configured minutes without a key, a screen that
hides everything (the dossier, a form being typed, kept beneath it) until Entrée. No
password: the session is the OS account's own (proven by SSH), and the lock keeps a
passer-by's eyes off the dossier."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from cep_tui.text import clean_line

# The app's own keys that stay usable on the lock screen (quitting); the others (help,
# palette, indicators) would show something of the session.
ALLOWED_ACTIONS = frozenset({"quit", "unlock"})


class LockedScreen(Screen[None]):
    BINDINGS = [Binding("enter", "unlock", "Reprendre la session", key_display="Entrée")]

    DEFAULT_CSS = """
    LockedScreen { background: $background; align: center middle; }
    LockedScreen #lock-box {
        width: 66; max-width: 100%; height: auto; padding: 1 2;
        border: round $primary; background: $surface;
    }
    LockedScreen #lock-box Static { width: 100%; text-align: center; }
    LockedScreen #lock-title { text-style: bold; }
    LockedScreen #lock-who { margin-bottom: 1; }
    """

    def __init__(self, who: str, minutes: float) -> None:
        super().__init__()
        self.who = who
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        minutes = f"{self.minutes:g}".replace(".", ",")  # French decimals: 2,5
        back = Text("Appuyez sur ")
        back.append("Entrée", style="bold")
        back.append(" pour reprendre, Ctrl+Q pour quitter.")
        with Vertical(id="lock-box"):
            yield Static("Session verrouillée", id="lock-title", markup=False)
            # Inert: the name comes from the database.
            yield Static(Text(clean_line(self.who)), id="lock-who")
            yield Static(
                f"Aucune touche depuis {minutes} minute(s) : le dossier est masqué. "
                "Votre saisie en cours est conservée.",
                markup=False,
            )
            yield Static(back, id="lock-back")

    def action_unlock(self) -> None:
        self.app.unlock()
