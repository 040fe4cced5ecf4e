"""The footer of a screen with many keys: "? Aide" stays against the right edge.

At 80 columns the keys of a busy screen (a dispositif's card, the dossier's own keys, the
sections) do not all fit, and Textual's footer cuts the last ones, which are the help and
the way back. This footer puts the help where Textual puts the command palette (which stays
on Ctrl+P, listed by the help): whatever is cut, `?` lists every key of the screen.

Textual's footer rebuilds its keys whenever the screen's bindings are refreshed (each focus
change, each screen pushed above or popped: three times as the home screen starts); this
one rebuilds them only when its screen is on top and the keys to show have changed.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult, ScreenStackError
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "keys"


def key_width(key: FooterKey) -> int:
    """The columns a key takes in the footer (Textual's FooterKey: the key with a space on
    each side and its description with one after; compact: one space between)."""
    return cell_len(key.key_display) + cell_len(key.description) + (1 if key.compact else 3)


def key_room(key: FooterKey) -> int:
    """Its width and the margin after it (compact keys are one column apart)."""
    return key_width(key) + (1 if key.compact else 0)


class KeysFooter(Footer):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("show_command_palette", False)
        super().__init__(**kwargs)
        self._shown_keys: tuple | None = None

    def _keys_to_show(self) -> tuple | None:
        """What `compose` draws from: the bindings shown (each with its state), and the
        palette's key when shown. None before the bindings are ready."""
        if not self._bindings_ready:
            return None
        active = self.screen.active_bindings
        shown = tuple(
            (binding, enabled, tooltip)
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        palette = (
            active.get(self.app.COMMAND_PALETTE_BINDING)
            if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
            else None
        )
        # The width too: at another width, other keys fit.
        return shown, palette[1:] if palette else None, self.app.size.width

    def compose(self) -> ComposeResult:
        self._shown_keys = self._keys_to_show()
        help_key = None
        keys = []
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The key starts as compact as the footer, as its binding to the footer
                # would make it once mounted: its style is then worked out once, not twice.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
                if widget.action == HELP_ACTION:
                    help_key = widget
                    continue
            keys.append(widget)
        # Whole keys only: those that do not fit are left out (`?` lists them all), rather
        # than the last one cut in the middle of its word.
        # The help key: its width, the separator before it, and in a compact footer the
        # column kept free after it against the edge (`padding-right: 1` in the screens'
        # stylesheets, styles/dossier.tcss and the others).
        help_room = key_width(help_key) + 1 + (1 if self.compact else 0) if help_key else 0
        room = (self.app.size.width or 80) - help_room
        for widget in keys:
            if isinstance(widget, FooterKey):
                if key_width(widget) > room:
                    break
                room -= key_room(widget)
            yield widget
        if help_key is not None:
            # Docked right, after a separator: the place and look of Textual's palette key.
            help_key.add_class("-command-palette", update=False)
            yield help_key

    async def on_resize(self) -> None:
        await self.recompose()  # only if the keys that fit changed (see below)

    def _on_top(self) -> bool:
        try:
            return self.is_attached and self.app.screen is self.screen
        except ScreenStackError:
            return False

    async def recompose(self) -> None:
        if not self._on_top():
            # A screen refreshes its bindings as it comes back on top: its keys are
            # rebuilt then, if they changed. (Meanwhile a "screen." action would be
            # checked against the screen above.)
            return
        if self._keys_to_show() == self._shown_keys:
            return  # the same keys: the footer would be rebuilt identical
        await super().recompose()
