"""Which key bindings are the application's own, as opposed to Textual's built-in ones
(focus cycling, copy, scrolling), which the help and the palette leave out: they are in
English and not actions of the guide."""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.dom import DOMNode


def _action_of(binding: BindingType) -> str:
    return binding.action if isinstance(binding, Binding) else binding[1]


def is_own_binding(node: DOMNode, binding: Binding) -> bool:
    return any(
        cls.__module__.startswith("cep_tui")
        and binding.action in {_action_of(b) for b in cls.__dict__.get("BINDINGS", ())}
        for cls in type(node).__mro__
    )
