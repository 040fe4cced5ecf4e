"""Domain errors: every refusal carries the French message the counsellor reads.

`field_errors` maps an input field's identifier to its message, so that a form can show
each one under its field; `message` is the sentence for the whole operation.
"""

from __future__ import annotations

from collections.abc import Mapping

from cep_tui.vocabulary import Right


class DomainError(Exception):
    def __init__(self, message: str, field_errors: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors: dict[str, str] = dict(field_errors or {})

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """Input that cannot be accepted, field by field."""

    def __init__(self, field_errors: Mapping[str, str], message: str | None = None):
        first = next(iter(field_errors.values()), "Saisie invalide.")
        super().__init__(message or first, field_errors)


class PermissionDenied(DomainError):
    def __init__(self, right: Right):
        super().__init__(f"Action refusée : il vous manque le droit « {right.label} ».")
        self.right = right


class NotFound(DomainError):
    pass


class RuleViolation(DomainError):
    """A rule of the guide forbids the operation in the current state."""


class EditConflict(DomainError):
    """Someone else saved the same record since it was read (optimistic locking)."""


class FieldErrors:
    """Collects per-field messages, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


class DatabaseUnavailable(DomainError):
    """The database could not do what was asked — busy past the bound, unreachable,
    read-only, full, damaged: a fault, not a refusal (`fault`, from cep_tui.db.faults, says
    which). Nothing was saved, unless the message says the COMMIT's fate is unknown."""

    def __init__(self, message: str, fault: object) -> None:
        super().__init__(message)
        self.fault = fault
