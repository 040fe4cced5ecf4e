"""Why a greyed key cannot be used: in the words the keys help (`?`) shows, and at once as a
notification when the key is pressed (a refused key explains itself, never does nothing
silently)."""

from __future__ import annotations

from textual.actions import parse
from textual.screen import Screen

from cep_tui.ui.bindings import is_own_binding
from cep_tui.vocabulary import Right


def missing_right(right: Right) -> str:
    return f"Il vous manque le droit « {right.label} »."


def refusal_for(actor, right: Right) -> str | None:
    """The refusal when `actor` lacks `right`, else None."""
    return None if actor.can(right) else missing_right(right)


def refused_key_reason(screen: Screen, key: str) -> str | None:
    """The reason a node of `screen`'s binding chain (from the focus up) gives for refusing
    the action bound to `key` (its `action_refusal(action)`), when that action cannot run
    (greyed or not offered); None when the key is free or nobody says why."""
    for node, bindings in screen._modal_binding_chain:
        explain = getattr(node, "action_refusal", None)
        for binding in bindings.key_to_bindings.get(key, ()):
            if binding.priority or not is_own_binding(node, binding):
                continue
            destination, action, parameters = parse(binding.action)
            if destination:
                continue  # an action of another node ("app.…"): that node's to explain
            if node.check_action(action, parameters):
                return None  # it runs: nothing refused
            reason = explain(action) if explain is not None else None
            if reason:
                return reason
    return None
