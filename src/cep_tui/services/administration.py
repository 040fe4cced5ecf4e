"""Administration of the structure: the reference lists and the counsellors.

Reference lists (Thème, Acte de service, Nature, Aiguilleur, …) are extended locally: a
value is added, renamed, deactivated or reactivated; an unused one may be deleted, a used
one never. National values (those with a code, such as CEP) are fixed by the guide and
cannot be changed. A deactivated value leaves the forms (ReferenceService.choices) but
stays on the records that hold it.

Counsellors of the administrator's structure are created, deactivated or reactivated (never
oneself), and granted or withdrawn each right of the guide. Every write needs the right
"Administrer la structure", runs in one transaction and writes one audit record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

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
from cep_tui.services.base import RIGHT_COLUMNS, ServiceBase, rights_of
from cep_tui.services.errors import FieldErrors, NotFound, RuleViolation, ValidationError
from cep_tui.services.offers import OfferService
from cep_tui.services.views import Actor
from cep_tui.text import clean_line, fold
from cep_tui.vocabulary import ReferenceKind, Right

LABEL_MAX_LENGTH = 100
NAME_MAX_LENGTH = 60
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
# Uses of a value are counted up to this many (per column that may hold it): a list of
# events' values is used hundreds of thousands of times, and counting them all would read
# as many index entries each time the list is shown. Reached, it reads "at least".
USAGE_COUNT_LIMIT = 1_000
# SQLite takes at most 500 terms in a compound SELECT.
USAGE_PARTS_PER_QUERY = 100

VALUE_NOT_FOUND = "Valeur introuvable dans les listes de référence."
COUNSELLOR_NOT_FOUND = "Conseiller introuvable dans votre structure."
LOGIN_FORMAT = (
    "Identifiant : de 2 à 40 caractères parmi a-z, 0-9, le point, le tiret et le tiret bas "
    "(sans majuscule, espace ni accent)."
)
NOT_ONESELF_DEACTIVATE = (
    "Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur."
)
NOT_ONESELF_ADMINISTER = (
    f"Vous ne pouvez pas retirer votre propre droit « {Right.ADMINISTER.label} » : "
    "demandez-le à un autre administrateur."
)

# What a new counsellor is offered to start with: the day-to-day follow-up of dossiers.
FOLLOW_UP_RIGHTS = frozenset(
    {Right.VIEW_DOSSIER, Right.EDIT_DOSSIER, Right.EVENTS, Right.PROPOSE_CEP}
)

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
# The lists an offer's search text is made of: renaming one of their values re-indexes.
OFFER_SEARCH_KINDS = {
    ReferenceKind.THEME: Offer.theme,
    ReferenceKind.SERVICE_ACT: Offer.service_act,
    ReferenceKind.NATIONAL_MEASURE: Offer.national_measure,
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

    @property
    def national(self) -> bool:
        return self.code is not None

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


@dataclass(frozen=True)
class CounsellorEntry:
    """A counsellor of the structure, with the rights held."""

    id: int
    login: str
    first_name: str
    last_name: str
    active: bool
    rights: frozenset[Right]

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"


@dataclass(frozen=True)
class CounsellorInput:
    """The form of a new counsellor."""

    login: str = ""
    first_name: str = ""
    last_name: str = ""
    rights: frozenset[Right] = field(default_factory=frozenset)


def national_refusal(value: ReferenceValue | ReferenceEntry) -> str:
    return (
        f"« {value.label} » est une valeur nationale (code {value.code}) : elle ne peut être "
        "ni renommée, ni désactivée, ni supprimée."
    )


def in_use_refusal(label: str, usage: int) -> str:
    records = "enregistrement" if usage == 1 else "enregistrements"
    count = f"au moins {usage:,}".replace(",", "\u202f") if usage >= USAGE_COUNT_LIMIT else usage
    return (
        f"« {label} » est utilisée par {count} {records} : elle ne peut pas être supprimée. "
        "Désactivez-la : elle ne sera plus proposée dans les formulaires et restera sur les "
        "enregistrements qui l'utilisent."
    )


def usage_of(kind: ReferenceKind, value_ids: Iterable[int]) -> dict[int, int]:
    """How many records hold each value (a record holding it twice counts twice), counted
    up to USAGE_COUNT_LIMIT, in one query (one per USAGE_PARTS_PER_QUERY values and columns
    for a very long list): for each value and each column that may hold it, a bounded range
    of the column's index (a foreign key's own index, which every such column has). Written
    as SQL text: peewee would take longer to build the few dozen subqueries of a list of
    events' contexts than the database takes to run them."""
    ids = list(dict.fromkeys(int(i) for i in value_ids))
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    db = ReferenceValue._meta.database
    mark = db.param
    part = (
        f"SELECT {mark} AS value, COUNT(*) AS n FROM "
        f'(SELECT 1 FROM "{{table}}" WHERE "{{column}}" = {mark} LIMIT {USAGE_COUNT_LIMIT})'
        " AS uses"
    )
    parts = [
        (part.format(table=model._meta.table_name, column=column.column_name), ident)
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
    )


def _counsellor_entry(counsellor: Counsellor) -> CounsellorEntry:
    return CounsellorEntry(
        id=counsellor.id,
        login=counsellor.login,
        first_name=counsellor.first_name,
        last_name=counsellor.last_name,
        active=counsellor.active,
        rights=rights_of(counsellor),
    )


def _rights(errors: FieldErrors, rights: Iterable[Right | str]) -> frozenset[Right]:
    chosen = set()
    for right in rights or ():
        try:
            chosen.add(Right(right))
        except ValueError:
            errors.add("rights", "Droits : droit inconnu.")
    return frozenset(chosen)


class AdministrationService(ServiceBase):
    # -- reference lists ----------------------------------------------------------------
    def reference_values(
        self, actor: Actor, kind: ReferenceKind | str
    ) -> tuple[ReferenceEntry, ...]:
        """Every value of a list, active or not, in the order of the forms."""
        self.authorize(actor)
        kind = _kind(kind)
        rows = list(
            ReferenceValue.select()
            .where(ReferenceValue.kind == kind.value)
            .order_by(ReferenceValue.position, ReferenceValue.label)
        )
        usage = usage_of(kind, (r.id for r in rows))
        return tuple(_entry(r, usage[r.id]) for r in rows)

    def add_reference(self, actor: Actor, kind: ReferenceKind | str, label: str) -> ReferenceEntry:
        with self.writing():
            counsellor = self.authorize(actor, Right.ADMINISTER)
            kind = _kind(kind)
            _lock_list(kind.value)
            label = self._label(kind, label, None)
            position = (
                ReferenceValue.select(fn.MAX(ReferenceValue.position))
                .where(ReferenceValue.kind == kind.value)
                .scalar()
            )
            value = ReferenceValue.create(
                kind=kind.value, label=label, position=(position or 0) + 1, active=True
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
            value = self._local_value(value_id)
            kind = ReferenceKind(value.kind)
            before = audit.snapshot(value)
            value.label = self._label(kind, label, value)
            value.save()
            self._reindex_offers(kind, value)
            audit.record(
                counsellor,
                self.clock.now(),
                "Renommage de valeur de référence",
                "reference_value",
                value.id,
                before,
                audit.snapshot(value),
            )
        return _entry(value, usage_of(kind, [value.id])[value.id])

    def set_reference_active(self, actor: Actor, value_id: int, active: bool) -> ReferenceEntry:
        """Deactivate (it leaves the forms, stays on records) or reactivate a value."""
        with self.writing():
            counsellor = self.authorize(actor, Right.ADMINISTER)
            value = self._local_value(value_id)
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
        return _entry(value, usage_of(kind, [value.id])[value.id])

    def delete_reference(self, actor: Actor, value_id: int) -> None:
        """Only a local value that no record holds (a typing mistake just added)."""
        with self.writing():
            counsellor = self.authorize(actor, Right.ADMINISTER)
            value = self._local_value(value_id)
            usage = usage_of(ReferenceKind(value.kind), [value.id])[value.id]
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

    def _local_value(self, value_id: int) -> ReferenceValue:
        """The value, read once its list is locked (see `_lock_list`)."""
        value = ReferenceValue.get_or_none(ReferenceValue.id == value_id)
        if value is not None:
            _lock_list(value.kind)
            value = ReferenceValue.get_or_none(ReferenceValue.id == value_id)
        if value is None:
            raise NotFound(VALUE_NOT_FOUND)
        if value.code is not None:
            raise RuleViolation(national_refusal(value))
        return value

    @staticmethod
    def _label(kind: ReferenceKind, label: str, value: ReferenceValue | None) -> str:
        errors = FieldErrors()
        text = clean_line(label if isinstance(label, str) else "")
        if not text:
            errors.add("label", "Libellé : ce champ est obligatoire.")
        elif len(text) > LABEL_MAX_LENGTH:
            errors.add("label", f"Libellé : {LABEL_MAX_LENGTH} caractères au maximum.")
        else:
            folded = fold(text)
            for other in ReferenceValue.select().where(ReferenceValue.kind == kind.value):
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

    @staticmethod
    def _reindex_offers(kind: ReferenceKind, value: ReferenceValue) -> None:
        """The offers' search covers the theme, the act and the measure: follow a rename."""
        column = OFFER_SEARCH_KINDS.get(kind)
        if column is None:
            return
        offers = list(OfferService.offers_query().where(column == value.id))
        for offer in offers:
            offer.search_text = OfferService.search_text_of(offer)
        if offers:
            Offer.bulk_update(offers, fields=[Offer.search_text], batch_size=500)

    # -- counsellors ----------------------------------------------------------------------
    def counsellors(self, actor: Actor) -> tuple[CounsellorEntry, ...]:
        """The structure's counsellors, active or not, by name."""
        counsellor = self.authorize(actor)
        rows = (
            Counsellor.select()
            .where(Counsellor.structure == counsellor.structure_id)
            .order_by(Counsellor.last_name, Counsellor.first_name, Counsellor.login)
        )
        return tuple(_counsellor_entry(c) for c in rows)

    def create_counsellor(self, actor: Actor, form: CounsellorInput) -> CounsellorEntry:
        with self.writing():
            admin = self.authorize(actor, Right.ADMINISTER)
            errors = FieldErrors()
            login = clean_line(form.login if isinstance(form.login, str) else "")
            if not login:
                errors.add("login", "Identifiant : ce champ est obligatoire.")
            elif not LOGIN_PATTERN.match(login):
                errors.add("login", LOGIN_FORMAT)
            elif (
                Counsellor.select()
                .where((Counsellor.login == login) & (Counsellor.structure == admin.structure_id))
                .exists()
            ):  # other structures' logins are theirs: neither refused nor revealed here
                errors.add("login", f"Identifiant : « {login} » est déjà utilisé.")
            first_name = _name(errors, "first_name", form.first_name, "Prénom")
            last_name = _name(errors, "last_name", form.last_name, "Nom")
            rights = _rights(errors, form.rights)
            errors.raise_if_any()
            counsellor = Counsellor.create(
                login=login,
                first_name=first_name,
                last_name=last_name,
                structure=admin.structure_id,
                active=True,
                **{column: right in rights for right, column in RIGHT_COLUMNS.items()},
            )
            audit.record(
                admin,
                self.clock.now(),
                "Création de conseiller",
                "counsellor",
                counsellor.id,
                None,
                audit.snapshot(counsellor),
            )
        return _counsellor_entry(counsellor)

    def set_counsellor_active(
        self, actor: Actor, counsellor_id: int, active: bool
    ) -> CounsellorEntry:
        """Deactivate (no more sign-in, no more offered in forms) or reactivate."""
        with self.writing():
            admin = self.authorize(actor, Right.ADMINISTER)
            counsellor = self._counsellor(admin, counsellor_id)
            if counsellor.id == admin.id:
                raise RuleViolation(NOT_ONESELF_DEACTIVATE)
            if counsellor.active == bool(active):
                state = "actif" if counsellor.active else "désactivé"
                raise RuleViolation(f"Le compte « {counsellor.login} » est déjà {state}.")
            before = audit.snapshot(counsellor)
            counsellor.active = bool(active)
            counsellor.save()
            audit.record(
                admin,
                self.clock.now(),
                "Réactivation de conseiller" if active else "Désactivation de conseiller",
                "counsellor",
                counsellor.id,
                before,
                audit.snapshot(counsellor),
            )
        return _counsellor_entry(counsellor)

    def set_rights(
        self, actor: Actor, counsellor_id: int, rights: Iterable[Right | str]
    ) -> CounsellorEntry:
        """Grant exactly `rights` (each right of the guide granted or withdrawn)."""
        with self.writing():
            admin = self.authorize(actor, Right.ADMINISTER)
            counsellor = self._counsellor(admin, counsellor_id)
            errors = FieldErrors()
            chosen = _rights(errors, rights)
            errors.raise_if_any()
            if counsellor.id == admin.id and Right.ADMINISTER not in chosen:
                raise ValidationError({"rights": NOT_ONESELF_ADMINISTER})
            before = audit.snapshot(counsellor)
            for right, column in RIGHT_COLUMNS.items():
                setattr(counsellor, column, right in chosen)
            counsellor.save()
            audit.record(
                admin,
                self.clock.now(),
                "Modification des droits",
                "counsellor",
                counsellor.id,
                before,
                audit.snapshot(counsellor),
            )
        return _counsellor_entry(counsellor)

    @staticmethod
    def _counsellor(admin: Counsellor, counsellor_id: int) -> Counsellor:
        """The counsellor, locked until the write ends (PostgreSQL; see `_lock_list`)."""
        query = Counsellor.select().where(
            (Counsellor.id == counsellor_id) & (Counsellor.structure == admin.structure_id)
        )
        counsellor = for_update(query).first()
        if counsellor is None:
            raise NotFound(COUNSELLOR_NOT_FOUND)
        return counsellor


def _lock_list(kind: str) -> None:
    """Lock the values of a reference list until the write ends: on PostgreSQL two
    administrators changing the same list then go one after the other, as on SQLite, so
    that neither the last active value nor a label's uniqueness is decided on a stale read
    (see `write_transaction`); nothing to do on SQLite."""
    list(for_update(ReferenceValue.select(ReferenceValue.id).where(ReferenceValue.kind == kind)))


def _name(errors: FieldErrors, field_name: str, value, label: str) -> str:
    text = clean_line(value if isinstance(value, str) else "")
    if not text:
        errors.add(field_name, f"{label} : ce champ est obligatoire.")
    elif len(text) > NAME_MAX_LENGTH:
        errors.add(field_name, f"{label} : {NAME_MAX_LENGTH} caractères au maximum.")
    return text
