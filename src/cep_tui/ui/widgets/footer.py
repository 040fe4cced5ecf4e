"""The footer of a screen with many keys: "? Aide" stays against the right edge.

At 80 columns the keys of a busy screen (a dispositif's card, the dossier's own keys, the
sections) do not all fit, and Textual's footer cuts the last ones, which are the help and
the way back. This footer puts the help where Textual puts the command palette (which stays
on Ctrl+P, listed by the help): whatever is cut, `?` lists every key of the screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "keys"


class KeysFooter(Footer):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("show_command_palette", False)
        super().__init__(**kwargs)

    def compose(self) -> ComposeResult:
        help_key = None
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action == HELP_ACTION:
                help_key = widget
                continue
            yield widget
        if help_key is not None:
            # Docked right, after a separator: the place and look of Textual's palette key.
            help_key.add_class("-command-palette")
            yield help_key
