"""Keys act in the order they were typed, however fast they arrive (over SSH a paste, lag
or a fast typist delivers many at once: the guide's "keys arrive in bursts").

Textual hands each key from the terminal to the focused widget's own message queue and goes
on with the next at once. Two things then go wrong when keys come in a burst:

- a *priority* binding (Ctrl+S, which validates a form) runs at the app as soon as the app
  reads it, while the characters typed before it still wait in the field's queue: the
  form is saved without them;
- a key that opens a screen (Entrée on a result, `m` on a card) has its followers already
  handed to the widget focused *before* the screen opened: they are lost, or act on the
  screen below.

`KeysInOrder`, mixed into the App, hands a key on only once the one before it has been
handled all the way: by the focused widget, then by each node it bubbles through up to the
app (where the bindings run), and by the screen that key made current, if any (its mount,
and the focus it set). It follows the key with a marker: a callback queued behind the key at
the widget, which, when run, queues itself at the parent, and so on up to the app; message
queues being in order, the marker reaches the app after the key's last handler. The keys
that arrive meanwhile wait, in order, in the app.

A screen may also hold the keys while it finishes what a key asked (`hold_keys` and
`release_keys`): the home screen holds them when Entrée asks for results still being
searched (ui/results_gate.py).
"""

from __future__ import annotations

from collections import deque

from textual import events
from textual.app import ScreenStackError
from textual.message_pump import MessagePump

# A node whose queue is not empty when the marker reaches it lets the marker go round once
# more behind what the key queued there (a field's Changed message, say): at most so often.
REQUEUES_PER_NODE = 2
# The walks from the focused widget up to the app: one behind the key, one behind what the
# key's handlers posted on the way.
PASSES = 2
# A marker queued at a node removed meanwhile (its queue dropped) never comes back: the
# watchdog, ticking this often, then lets the next key go. It looks at the node, never at
# how long the key took: a slow key (a screen long to open) is waited for.
WATCHDOG_SECONDS = 0.5


class KeysInOrder:
    """Mixin for textual.app.App: keys (and pastes) from the terminal act one after the
    other, each on the state every key before it left."""

    def _keys_init(self) -> None:
        self._waiting_keys: deque[events.Event] = deque()
        self._key_in_flight = 0  # a generation number: 0 when no key is in flight
        self._keys_sent = 0
        self._marker_at: MessagePump | None = None  # where the marker waits
        self._key_target: MessagePump | None = None  # where the key in flight went
        self._key_holds: set[str] = set()

    # -- the App's hooks -----------------------------------------------------------------
    def _keys_start_watchdog(self) -> None:
        self.set_interval(WATCHDOG_SECONDS, self._keys_watchdog)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if self._key_in_flight or self._key_holds or self._waiting_keys:
                self._waiting_keys.append(event)
                return
            await self._send_key(event)
            return
        await super().on_event(event)

    # -- holding the keys ----------------------------------------------------------------
    def hold_keys(self, reason: str) -> None:
        """Keep the keys typed from now on until `release_keys(reason)`: they then act on
        the state the holder left. The holder must release on every path."""
        self._key_holds.add(reason)

    def release_keys(self, reason: str) -> None:
        self._key_holds.discard(reason)
        self.call_later(self._next_key)

    # -- one key at a time ---------------------------------------------------------------
    async def _send_key(self, event: events.Event) -> None:
        self._keys_sent += 1
        generation = self._key_in_flight = self._keys_sent
        self._key_target = self.focused or self.screen
        # Textual's own handling: a priority binding, else the key to the focused widget.
        await super().on_event(event)
        self._follow(self._key_target, generation, 0, PASSES)

    def _follow(self, node: MessagePump, generation: int, requeued: int, passes: int) -> None:
        """Queue the marker at `node`, behind what the key queued there."""
        if generation != self._key_in_flight:
            return  # released meanwhile (the watchdog)
        self._marker_at = node
        if node is self:
            self.call_later(self._walked, generation, passes)
        elif not (
            _alive(node) and node.call_later(self._marker, node, generation, requeued, passes)
        ):
            # Removed meanwhile: its part of the key is over; on to the app.
            self._follow(self, generation, 0, passes)

    def _walked(self, generation: int, passes: int) -> None:
        """The marker reached the app, behind the key (and its bindings, run here)."""
        if generation != self._key_in_flight:
            return
        if passes > 1 and _alive(self._key_target):
            # The key's handlers may have posted messages on the way (a card asking its
            # section for a form): a second walk lets them be handled too.
            self._follow(self._key_target, generation, 0, passes - 1)
        else:
            self._at_app(generation)

    def _marker(self, node: MessagePump, generation: int, requeued: int, passes: int) -> None:
        if not node._message_queue.empty() and requeued < REQUEUES_PER_NODE:
            self._follow(node, generation, requeued + 1, passes)
            return
        parent = node._parent
        self._follow(parent if parent is not None else self, generation, 0, passes)

    def _at_app(self, generation: int) -> None:
        """Last, through the screen now on top (one the key pushed: its mount and the focus
        it sets come first), then behind what that queued at the app."""
        try:
            screen = self.screen
        except ScreenStackError:  # no screen left: the app is closing
            self._key_done(generation)
            return
        self._marker_at = screen
        if not screen.call_later(self.call_later, self._key_done, generation):
            self._key_done(generation)

    def _key_done(self, generation: int) -> None:
        if generation == self._key_in_flight:
            self._key_in_flight = 0
            self.call_later(self._next_key)

    async def _next_key(self) -> None:
        if self._key_in_flight or self._key_holds or not self._waiting_keys:
            return
        await self._send_key(self._waiting_keys.popleft())

    def _keys_watchdog(self) -> None:
        node = self._marker_at
        if self._key_in_flight and node is not None and node is not self and not _alive(node):
            self._key_done(self._key_in_flight)


def _alive(node: MessagePump) -> bool:
    """Whether a message queued at `node` will be handled (it is running, in the DOM)."""
    return not (node._closing or node._closed) and node.is_attached
