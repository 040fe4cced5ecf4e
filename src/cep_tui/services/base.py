"""What every service shares: the clock, the acting counsellor's rights, the dossier
boundary of a structure, and the write transaction."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager

from peewee import fn

from cep_tui.clock import Clock
from cep_tui.db.connection import for_update, write_transaction
from cep_tui.db.models import Anonymisation, Counsellor, Dossier, ReferenceValue
from cep_tui.services.actor import Actor
from cep_tui.services.errors import FieldErrors, NotFound, PermissionDenied, RuleViolation
from cep_tui.services.guard import guarded
from cep_tui.vocabulary import ReferenceKind, Right

RIGHT_COLUMNS = {
    Right.VIEW_DOSSIER: "right_view_dossier",
    Right.EDIT_DOSSIER: "right_edit_dossier",
    Right.EVENTS: "right_events",
    Right.PROPOSE_CEP: "right_propose_cep",
    Right.MANAGE_OFFERS: "right_manage_offers",
    Right.ADMINISTER: "right_administer",
    Right.VIEW_INDICATORS: "right_view_indicators",
}

DOSSIER_NOT_FOUND = "Dossier introuvable dans votre structure."
# Issue 17: once the retention has anonymised a dossier, nothing is written to it any more.
DOSSIER_ANONYMISED = "Ce dossier est anonymisé : il ne peut plus être modifié."


def rights_of(counsellor: Counsellor) -> frozenset[Right]:
    return frozenset(r for r, column in RIGHT_COLUMNS.items() if getattr(counsellor, column))


class ServiceBase:
    def __init__(self, clock: Clock):
        self.clock = clock

    def __init_subclass__(cls, **kwargs) -> None:
        # Every public method of a service is a call a screen makes: guarded against the
        # database's faults (services/guard.py), whoever calls it and from which thread.
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(member):
                setattr(cls, name, guarded(member))

    @contextmanager
    def writing(self) -> Iterator[None]:
        with write_transaction():
            yield

    def authorize(self, actor: Actor, *rights: Right) -> Counsellor:
        """The counsellor as stored now (rights may have changed since login), checked."""
        counsellor = Counsellor.get_or_none(Counsellor.id == actor.id)
        if counsellor is None or not counsellor.active:
            raise NotFound("Votre compte de conseiller n'est plus actif.")
        self.check_rights(counsellor, *rights)
        return counsellor

    @staticmethod
    def check_rights(counsellor: Counsellor, *rights: Right) -> None:
        """A further right of the counsellor `authorize` read in this same call (rights are
        read once per call)."""
        held = rights_of(counsellor)
        for right in rights:
            if right not in held:
                raise PermissionDenied(right)

    def dossier_of(self, counsellor: Counsellor, dossier_id: int, *, lock: bool = False) -> Dossier:
        """A dossier of the counsellor's own structure; others do not exist for them.

        `lock`, inside `writing()`, for a write to the dossier: the dossier's writers queue
        here until this transaction ends, so that what the rules read next is what the
        previous writer committed (see `write_transaction`). Take it before reading
        anything a rule depends on. Every write to a dossier takes it, so this is also
        where an anonymised dossier refuses them all (`check_writable`).
        """
        mine = (Dossier.id == dossier_id) & (Dossier.structure == counsellor.structure_id)
        if not lock:
            dossier = Dossier.select().where(mine).first()
        else:  # whether it was anonymised, read in the same query
            query = Dossier.select(Dossier, fn.EXISTS(_anonymisation_of(Dossier.id)).alias("anon"))
            dossier = for_update(query.where(mine), of=Dossier).first()
        if dossier is None:
            raise NotFound(DOSSIER_NOT_FOUND)
        if lock and dossier.anon:
            raise RuleViolation(DOSSIER_ANONYMISED)
        return dossier

    @staticmethod
    def check_writable(dossier_id: int) -> None:
        """Refuse any change to a dossier the retention anonymised (issue 17): what is
        left of it serves the indicators, and must stay as the anonymisation left it.
        (`dossier_of(..., lock=True)` does it as it locks.)"""
        if _anonymisation_of(dossier_id).exists():
            raise RuleViolation(DOSSIER_ANONYMISED)


def _anonymisation_of(dossier_id):
    return Anonymisation.select(Anonymisation.id).where(Anonymisation.dossier == dossier_id)


# The range of an id the databases store (a larger integer is no id of ours).
_ID_RANGE = range(1, 2**63)


def _ident(value_id) -> int | None:
    """The id a form submitted, or None when it is no id at all (typed nonsense)."""
    try:
        ident = int(value_id)
    except (TypeError, ValueError, OverflowError):
        return None
    return ident if ident in _ID_RANGE else None


class References:
    """The reference values a form submits, read in one query; each then checked by
    `choice` field by field, in the form's order (the messages come out as they did when
    each value was read on its own)."""

    def __init__(self, *value_ids) -> None:
        ids = {ident for v in value_ids if v not in (None, "") and (ident := _ident(v))}
        self.rows: dict[int, ReferenceValue] = (
            {v.id: v for v in ReferenceValue.select().where(ReferenceValue.id.in_(ids))}
            if ids
            else {}
        )

    def choice(
        self,
        errors: FieldErrors,
        field: str,
        value_id: int | None,
        kind: ReferenceKind,
        label: str,
        *,
        required: bool,
        current_id: int | None = None,
    ) -> ReferenceValue | None:
        """The value chosen for `field`, or None with its message added to `errors`: the
        value must be of the list `kind`, and active unless the record already holds it."""
        if value_id in (None, ""):
            if required:
                errors.add(field, f"{label} : ce champ est obligatoire.")
            return None
        ident = _ident(value_id)
        value = self.rows.get(ident) if ident is not None else None
        if (
            value is None
            or value.kind != kind.value
            or (not value.active and value.id != current_id)
        ):
            errors.add(field, f"{label} : valeur inconnue.")
            return None
        return value
