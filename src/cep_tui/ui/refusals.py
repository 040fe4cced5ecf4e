"""Why a greyed key cannot be used, in the words the keys help (`?`) shows."""

from __future__ import annotations

from cep_tui.vocabulary import Right


def missing_right(right: Right) -> str:
    return f"Il vous manque le droit « {right.label} »."


def refusal_for(actor, right: Right) -> str | None:
    """The refusal when `actor` lacks `right`, else None."""
    return None if actor.can(right) else missing_right(right)
