"""Administration of the structure: the reference lists and the counsellors.

Reference lists have an owner (issue 13). The national lists (Thème, Contexte, Nature,
Sens…: every kind but vocabulary.LOCAL_KINDS) are the same for every structure, and no
structure's administrator changes them: they are shown, with their uses in the structure.
The local lists (Lieu d'accueil, Aiguilleur, Motif de la sollicitation, Type de projet)
are each structure's own: a value is added, renamed, deactivated or reactivated there
only; an unused one may be deleted, a used one never; labels are unique within the
structure's list; another structure's value is answered as a missing one. A deactivated
value leaves the forms (ReferenceService.choices) but stays on the records that hold it.

The counsellors of the structure are services/counsellor_admin.py (this service inherits
its methods, and names its forms and messages). Every write needs the right "Administrer
la structure", runs in one transaction and writes one audit record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from peewee import fn

from cep_tui.db.connection import for_update
from cep_tui.db.models import (
    Counsellor,
    Enrolment,
    Event,
    Offer,
    ReferenceValue,
)
from cep_tui.services import audit
from cep_tui.services.counsellor_admin import (
    COUNSELLOR_NOT_FOUND,
    FOLLOW_UP_RIGHTS,
    LOGIN_FORMAT,
    NOT_ONESELF_ADMINISTER,
    NOT_ONESELF_DEACTIVATE,
    CounsellorAdministration,
    CounsellorEntry,
    CounsellorInput,
)
from cep_tui.services.errors import FieldErrors, NotFound, RuleViolation
from cep_tui.services.views import Actor
from cep_tui.text import clean_line, fold
from cep_tui.vocabulary import ReferenceKind, Right, is_local

# The counsellors' names, forms and messages are the administration's too.
__all__ = [
    "COUNSELLOR_NOT_FOUND",
    "FOLLOW_UP_RIGHTS",
    "LOGIN_FORMAT",
    "NOT_ONESELF_ADMINISTER",
    "NOT_ONESELF_DEACTIVATE",
    "VALUE_NOT_FOUND",
    "AdministrationService",
    "CounsellorEntry",
    "CounsellorInput",
    "ReferenceEntry",
    "in_use_refusal",
    "national_list_refusal",
    "national_refusal",
    "usage_of",
]

LABEL_MAX_LENGTH = 100
# Uses of a value are counted up to this many (per column that may hold it): a list of
# events' values is used hundreds of thousands of times, and counting them all would read
# as many index entries each time the list is shown. Reached, it reads "at least".
USAGE_COUNT_LIMIT = 1_000
# SQLite takes at most 500 terms in a compound SELECT.
USAGE_PARTS_PER_QUERY = 100

VALUE_NOT_FOUND = "Valeur introuvable dans les listes de référence."
# Where each list is used: (model, column) pairs. A value in use is never deleted.
USES: dict[ReferenceKind, tuple] = {
    ReferenceKind.THEME: ((Offer, Offer.theme),),
    ReferenceKind.SERVICE_ACT: ((Offer, Offer.service_act),),
    ReferenceKind.OFFER_STATE: ((Offer, Offer.state),),
    ReferenceKind.NATIONAL_MEASURE: ((Offer, Offer.national_measure),),
    ReferenceKind.CONTEXT: (
        (Event, Event.primary_context),
        (Event, Event.secondary_context),
        (Event, Event.tertiary_context),
    ),
    ReferenceKind.DIRECTION: ((Event, Event.direction),),
    ReferenceKind.NATURE: ((Event, Event.nature),),
    ReferenceKind.RECEPTION_PLACE: ((Event, Event.reception_place),),
    ReferenceKind.FUNCTION: ((Event, Event.function),),
    ReferenceKind.REFERRER: ((Enrolment, Enrolment.referrer),),
    ReferenceKind.SOLICITATION_REASON: ((Enrolment, Enrolment.solicitation_reason),),
    ReferenceKind.PROJECT_TYPE: ((Enrolment, Enrolment.project_type),),
}


@dataclass(frozen=True)
class ReferenceEntry:
    """A value of a reference list as the administrator sees it."""

    id: int
    kind: ReferenceKind
    label: str
    code: str | None
    active: bool
    usage: int  # how many records hold it, counted up to USAGE_COUNT_LIMIT (`usage_of`)
    national: bool = False  # a national list's value: no structure changes it

    @property
    def in_use(self) -> bool:
        return self.usage > 0

    @property
    def usage_at_least(self) -> bool:
        """The count stopped at its limit: `usage` records or more hold the value."""
        return self.usage >= USAGE_COUNT_LIMIT

    @property
    def usage_label(self) -> str:
        """The count as the administrator reads it ("≥ 1 000" once the limit is reached)."""
        if self.usage_at_least:
            return f"≥ {self.usage:,}".replace(",", "\u202f")
        return str(self.usage)


def national_refusal(value: ReferenceValue | ReferenceEntry) -> str:
    return national_list_refusal(ReferenceKind(value.kind))


def national_list_refusal(kind: ReferenceKind) -> str:
    return (
        f"La liste « {kind.label} » est nationale : elle est la même pour toutes les "
        "structures et ne se modifie pas depuis l'une d'elles."
    )


def in_use_refusal(label: str, usage: int) -> str:
    records = "enregistrement" if usage == 1 else "enregistrements"
    count = f"au moins {usage:,}".replace(",", "\u202f") if usage >= USAGE_COUNT_LIMIT else usage
    return (
        f"« {label} » est utilisée par {count} {records} : elle ne peut pas être supprimée. "
        "Désactivez-la : elle ne sera plus proposée dans les formulaires et restera sur les "
        "enregistrements qui l'utilisent."
    )


def usage_of(kind: ReferenceKind, value_ids: Iterable[int], structure_id: int) -> dict[int, int]:
    """How many records hold each value (a record holding it twice counts twice), counted
    up to USAGE_COUNT_LIMIT, in one query (one per USAGE_PARTS_PER_QUERY values and columns
    for a very long list): for each value and each column that may hold it, a bounded range
    of the column's index (a foreign key's own index, which every such column has). Written
    as SQL text: peewee would take longer to build the few dozen subqueries of a list of
    events' contexts than the database takes to run them.
    Only the records of `structure_id` count: another structure's use is none of its
    business (a national value is used everywhere)."""
    ids = list(dict.fromkeys(int(i) for i in value_ids))
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    db = ReferenceValue._meta.database
    mark = db.param
    part = (
        f"SELECT {mark} AS value, COUNT(*) AS n FROM "
        f'(SELECT 1 FROM "{{table}}" WHERE "{{column}}" = {mark} AND {{mine}} '
        f"LIMIT {USAGE_COUNT_LIMIT}) AS uses"
    )
    sid = int(structure_id)
    mine = {
        Offer: f'"structure_id" = {sid}',
        Event: f'"dossier_id" IN (SELECT "id" FROM "dossier" WHERE "structure_id" = {sid})',
        Enrolment: f'"dossier_id" IN (SELECT "id" FROM "dossier" WHERE "structure_id" = {sid})',
    }
    parts = [
        (
            part.format(table=model._meta.table_name, column=column.column_name, mine=mine[model]),
            ident,
        )
        for model, column in USES[kind]
        for ident in ids
    ]
    for start in range(0, len(parts), USAGE_PARTS_PER_QUERY):
        chunk = parts[start : start + USAGE_PARTS_PER_QUERY]
        sql = " UNION ALL ".join(text for text, _ in chunk)
        params = [param for _, ident in chunk for param in (ident, ident)]
        for value_id, count in db.execute_sql(sql, params).fetchall():
            counts[value_id] = min(USAGE_COUNT_LIMIT, counts[value_id] + count)
    return counts


def _kind(kind: ReferenceKind | str) -> ReferenceKind:
    try:
        return ReferenceKind(kind)
    except ValueError:
        raise NotFound("Liste de référence inconnue.") from None


def _entry(value: ReferenceValue, usage: int) -> ReferenceEntry:
    return ReferenceEntry(
        id=value.id,
        kind=ReferenceKind(value.kind),
        label=value.label,
        code=value.code,
        active=value.active,
        usage=usage,
        national=value.structure_id is None,
    )


def _owner_of(kind: ReferenceKind, structure_id: int):
    """The condition of the values of `kind` a structure sees: its own for a local list,
    the national ones otherwise."""
    if is_local(kind):
        return ReferenceValue.structure == structure_id
    return ReferenceValue.structure.is_null()


class AdministrationService(CounsellorAdministration):
    # -- reference lists ----------------------------------------------------------------
    def reference_values(
        self, actor: Actor, kind: ReferenceKind | str
    ) -> tuple[ReferenceEntry, ...]:
        """Every value of a list, active or not, in the order of the forms."""
        counsellor = self.authorize(actor)
        kind = _kind(kind)
        rows = list(
            ReferenceValue.select()
            .where((ReferenceValue.kind == kind.value) & _owner_of(kind, counsellor.structure_id))
            .order_by(ReferenceValue.position, ReferenceValue.label)
        )
        usage = usage_of(kind, (r.id for r in rows), counsellor.structure_id)
        return tuple(_entry(r, usage[r.id]) for r in rows)

    def add_reference(self, actor: Actor, kind: ReferenceKind | str, label: str) -> ReferenceEntry:
        with self.writing():
            counsellor = self.authorize(actor, Right.ADMINISTER)
            kind = _kind(kind)
            if not is_local(kind):
                raise RuleViolation(national_list_refusal(kind))
            structure_id = counsellor.structure_id
            _lock_list(kind.value, structure_id)
            label = self._label(kind, label, None, structure_id)
            position = (
                ReferenceValue.select(fn.MAX(ReferenceValue.position))
                .where((ReferenceValue.kind == kind.value) & _owner_of(kind, structure_id))
                .scalar()
            )
            value = ReferenceValue.create(
                kind=kind.value,
                label=label,
                position=(position or 0) + 1,
                active=True,
                structure=structure_id,
            )
            audit.record(
                counsellor,
                self.clock.now(),
                "Ajout de valeur de référence",
                "reference_value",
                value.id,
                None,
                audit.snapshot(value),
            )
        return _entry(value, 0)

    def rename_reference(self, actor: Actor, value_id: int, label: str) -> ReferenceEntry:
        with self.writing():
            counsellor = self.authorize(actor, Right.ADMINISTER)
            value = self._local_value(counsellor, value_id)
            kind = ReferenceKind(value.kind)
            before = audit.snapshot(value)
            value.label = self._label(kind, label, value, counsellor.structure_id)
            value.save()
            audit.record(
                counsellor,
                self.clock.now(),
                "Renommage de valeur de référence",
                "reference_value",
                value.id,
                before,
                audit.snapshot(value),
            )
        return _entry(value, usage_of(kind, [value.id], counsellor.structure_id)[value.id])

    def set_reference_active(self, actor: Actor, value_id: int, active: bool) -> ReferenceEntry:
        """Deactivate (it leaves the forms, stays on records) or reactivate a value."""
        with self.writing():
            counsellor = self.authorize(actor, Right.ADMINISTER)
            value = self._local_value(counsellor, value_id)
            kind = ReferenceKind(value.kind)
            if value.active == bool(active):
                state = "active" if value.active else "désactivée"
                raise RuleViolation(f"« {value.label} » est déjà {state}.")
            if not active:
                self._keep_one_active(value)
            before = audit.snapshot(value)
            value.active = bool(active)
            value.save()
            audit.record(
                counsellor,
                self.clock.now(),
                "Réactivation de valeur de référence"
                if active
                else "Désactivation de valeur de référence",
                "reference_value",
                value.id,
                before,
                audit.snapshot(value),
            )
        return _entry(value, usage_of(kind, [value.id], counsellor.structure_id)[value.id])

    def delete_reference(self, actor: Actor, value_id: int) -> None:
        """Only a local value that no record holds (a typing mistake just added)."""
        with self.writing():
            counsellor = self.authorize(actor, Right.ADMINISTER)
            value = self._local_value(counsellor, value_id)
            usage = usage_of(ReferenceKind(value.kind), [value.id], counsellor.structure_id)[
                value.id
            ]
            if usage:
                raise RuleViolation(in_use_refusal(value.label, usage))
            if value.active:
                self._keep_one_active(value)
            before = audit.snapshot(value)
            value.delete_instance()
            audit.record(
                counsellor,
                self.clock.now(),
                "Suppression de valeur de référence",
                "reference_value",
                value_id,
                before,
                None,
            )

    def _local_value(self, counsellor: Counsellor, value_id: int) -> ReferenceValue:
        """A value of one of the structure's own lists, read once its list is locked (see
        `_lock_list`); a national value is refused as such, another structure's is
        answered as a missing one."""
        visible = ReferenceValue.structure.is_null() | (
            ReferenceValue.structure == counsellor.structure_id
        )
        query = ReferenceValue.select().where((ReferenceValue.id == value_id) & visible)
        value = query.first()
        if value is not None:
            _lock_list(value.kind, counsellor.structure_id)
            value = query.first()
        if value is None:
            raise NotFound(VALUE_NOT_FOUND)
        if value.structure_id is None:
            raise RuleViolation(national_refusal(value))
        return value

    @staticmethod
    def _label(
        kind: ReferenceKind, label: str, value: ReferenceValue | None, structure_id: int
    ) -> str:
        errors = FieldErrors()
        text = clean_line(label if isinstance(label, str) else "")
        if not text:
            errors.add("label", "Libellé : ce champ est obligatoire.")
        elif len(text) > LABEL_MAX_LENGTH:
            errors.add("label", f"Libellé : {LABEL_MAX_LENGTH} caractères au maximum.")
        else:
            folded = fold(text)
            same_list = (ReferenceValue.kind == kind.value) & _owner_of(kind, structure_id)
            for other in ReferenceValue.select().where(same_list):
                if (value is None or other.id != value.id) and fold(other.label) == folded:
                    hint = " (désactivée : réactivez-la plutôt)" if not other.active else ""
                    errors.add(
                        "label",
                        f"Libellé : « {other.label} » existe déjà dans la liste "
                        f"« {kind.label} »{hint}.",
                    )
                    break
        errors.raise_if_any()
        return text

    @staticmethod
    def _keep_one_active(value: ReferenceValue) -> None:
        others = (
            ReferenceValue.select()
            .where(
                (ReferenceValue.kind == value.kind)
                & (ReferenceValue.structure == value.structure_id)
                & (ReferenceValue.active == True)  # noqa: E712
                & (ReferenceValue.id != value.id)
            )
            .count()
        )
        if not others:
            kind = ReferenceKind(value.kind)
            raise RuleViolation(
                f"« {value.label} » est la dernière valeur active de la liste « {kind.label} » : "
                "ajoutez-en une autre d'abord."
            )


def _lock_list(kind: str, structure_id: int) -> None:
    """Lock the values of a reference list until the write ends: on PostgreSQL two
    administrators changing the same list then go one after the other, as on SQLite, so
    that neither the last active value nor a label's uniqueness is decided on a stale read
    (see `write_transaction`); nothing to do on SQLite."""
    mine = (ReferenceValue.kind == kind) & (ReferenceValue.structure == structure_id)
    list(for_update(ReferenceValue.select(ReferenceValue.id).where(mine)))
