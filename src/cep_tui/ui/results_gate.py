"""Entrée acts on the results of the text in the box, never on those of an earlier text.

A screen that searches as you type (home) reads its results in a worker: for a moment after
a key, the results on screen are those of the text before it. Entrée in that moment — a
name and Entrée in one burst — would open the previous result's dossier. `ResultsGate`
knows which text the results shown belong to; an action asked for meanwhile waits for the
results of the current text, and the keys typed after it wait too (KeysInOrder's hold),
so that they act on what the action opened.
"""

from __future__ import annotations

from collections.abc import Callable

from cep_tui.ui.key_order import KeysInOrder

HOLD = "results-gate"


class ResultsGate:
    def __init__(self, app, current_text: Callable[[], str]) -> None:
        self._app = app
        self._current_text = current_text
        self.shown_for: str | None = None  # the text the results on screen belong to
        self._waiting: Callable[[], None] | None = None

    @property
    def current(self) -> bool:
        return self.shown_for == self._current_text()

    def when_current(self, action: Callable[[], None]) -> None:
        """Run `action` now if the results shown are the current text's, else once they
        are (the keys typed meanwhile wait with it)."""
        if self.current:
            action()
            return
        self._waiting = action
        if isinstance(self._app, KeysInOrder):
            self._app.hold_keys(HOLD)

    def shown(self, text: str) -> None:
        """The results of `text` are now on screen."""
        self.shown_for = text
        if self._waiting is not None and self.current:
            action, self._waiting = self._waiting, None
            try:
                action()
            finally:
                self._release()

    def abandon(self) -> None:
        """The search could not answer (a fault, said in French): nothing waits for it."""
        self._waiting = None
        self._release()

    def _release(self) -> None:
        if isinstance(self._app, KeysInOrder):
            self._app.release_keys(HOLD)
