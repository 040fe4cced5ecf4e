"""Entrée acts on the results of the text in the box, never on those of an earlier text.

A screen that searches as you type (home, the catalogue, the offers) reads its results in a
worker: for a moment after a key, the results on screen are those of the text before it.
Entrée in that moment — a name and Entrée in one burst — would open the previous result's
dossier. `ResultsGate` knows which query (the text, and the filters that go with it) the
results shown belong to; an action asked for meanwhile waits for the results of the current
query, and the keys typed after it wait too (KeysInOrder's hold), so that they act on what
the action opened.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from cep_tui.ui.key_order import KeysInOrder

HOLD = "results-gate"


class ResultsGate:
    def __init__(self, app, current_query: Callable[[], Hashable]) -> None:
        self._app = app
        self._current_query = current_query
        self.shown_for: Hashable = None  # the query the results on screen belong to
        self._waiting: Callable[[], None] | None = None

    @property
    def current(self) -> bool:
        return self.shown_for == self._current_query()

    def when_current(self, action: Callable[[], None]) -> None:
        """Run `action` now if the results shown are the current query's, else once they
        are (the keys typed meanwhile wait with it)."""
        if self.current:
            action()
            return
        self._waiting = action
        if isinstance(self._app, KeysInOrder):
            self._app.hold_keys(HOLD)

    def shown(self, query: Hashable) -> None:
        """The results of `query` are now on screen."""
        self.shown_for = query
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
