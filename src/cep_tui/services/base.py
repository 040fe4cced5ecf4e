"""What every service shares: the clock, the acting counsellor's rights, the dossier
boundary of a structure, and the write transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cep_tui.clock import Clock
from cep_tui.db.connection import for_update, write_transaction
from cep_tui.db.models import Counsellor, Dossier, ReferenceValue
from cep_tui.services.errors import FieldErrors, NotFound, PermissionDenied
from cep_tui.services.views import Actor
from cep_tui.vocabulary import ReferenceKind, Right

RIGHT_COLUMNS = {
    Right.VIEW_DOSSIER: "right_view_dossier",
    Right.EDIT_DOSSIER: "right_edit_dossier",
    Right.EVENTS: "right_events",
    Right.PROPOSE_CEP: "right_propose_cep",
    Right.MANAGE_OFFERS: "right_manage_offers",
    Right.ADMINISTER: "right_administer",
}

DOSSIER_NOT_FOUND = "Dossier introuvable dans votre structure."


def rights_of(counsellor: Counsellor) -> frozenset[Right]:
    return frozenset(r for r, column in RIGHT_COLUMNS.items() if getattr(counsellor, column))


class ServiceBase:
    def __init__(self, clock: Clock):
        self.clock = clock

    @contextmanager
    def writing(self) -> Iterator[None]:
        with write_transaction():
            yield

    def authorize(self, actor: Actor, *rights: Right) -> Counsellor:
        """The counsellor as stored now (rights may have changed since login), checked."""
        counsellor = Counsellor.get_or_none(Counsellor.id == actor.id)
        if counsellor is None or not counsellor.active:
            raise NotFound("Votre compte de conseiller n'est plus actif.")
        held = rights_of(counsellor)
        for right in rights:
            if right not in held:
                raise PermissionDenied(right)
        return counsellor

    def dossier_of(self, counsellor: Counsellor, dossier_id: int, *, lock: bool = False) -> Dossier:
        """A dossier of the counsellor's own structure; others do not exist for them.

        `lock`, inside `writing()`: the dossier's writers queue here until this transaction
        ends, so that what the rules read next is what the previous writer committed (see
        `write_transaction`). Take it before reading anything a rule depends on.
        """
        query = Dossier.select().where(
            (Dossier.id == dossier_id) & (Dossier.structure == counsellor.structure_id)
        )
        dossier = (for_update(query) if lock else query).first()
        if dossier is None:
            raise NotFound(DOSSIER_NOT_FOUND)
        return dossier

    @staticmethod
    def reference(
        errors: FieldErrors,
        field: str,
        value_id: int | None,
        kind: ReferenceKind,
        label: str,
        *,
        required: bool,
        current_id: int | None = None,
    ) -> ReferenceValue | None:
        """Resolve a choice from a reference list; a deactivated value is accepted only
        where the record already holds it."""
        if value_id in (None, ""):
            if required:
                errors.add(field, f"{label} : ce champ est obligatoire.")
            return None
        try:
            ident = int(value_id)
        except (TypeError, ValueError):
            errors.add(field, f"{label} : valeur inconnue.")
            return None
        value = ReferenceValue.get_or_none(
            (ReferenceValue.id == ident) & (ReferenceValue.kind == kind.value)
        )
        if value is None or (not value.active and value.id != current_id):
            errors.add(field, f"{label} : valeur inconnue.")
            return None
        return value
