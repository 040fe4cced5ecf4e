"""Changes to the national reference lists (issue 13, point 1): the lists every structure
shares (every kind but vocabulary.LOCAL_KINDS), which no structure's administrator may
change. Only an OS account the SYSTEM configuration names (`national_administrators`) may,
through `cep-tui listes-nationales`; each change runs in one transaction and is audited.

How it is audited: the audit journal's records all belong to a structure's chain
(cep_tui.db.audit_chain), and a national change belongs to none. Rather than a schema
change (a chain with no structure), the national administrator acts as the counsellor
their OS account maps to (`logins`), and the record joins that counsellor's structure's
chain, naming both the counsellor and the OS account, with the action « Liste nationale :
… ». `cep-tui audit verify` checks it like any other record.
"""

from __future__ import annotations

from cep_tui.config import settings
from cep_tui.db.connection import for_update
from cep_tui.db.models import Counsellor, ReferenceValue
from cep_tui.identity import session_os_account
from cep_tui.services import audit
from cep_tui.services.administration import (
    AdministrationService,
    ReferenceEntry,
    _entry,
    _kind,
)
from cep_tui.services.base import ServiceBase
from cep_tui.services.errors import DomainError, NotFound, RuleViolation
from cep_tui.services.views import Actor
from cep_tui.text import clean_line, fold
from cep_tui.vocabulary import ReferenceKind, is_local

ENTITY = "reference_value"


class NationalListRefused(DomainError):
    def __init__(self, account: str):
        super().__init__(
            f"Action refusée : le compte « {account} » n'administre pas les listes "
            "nationales (national_administrators, /etc/cep-tui/config.toml).",
        )


def national_kind(name: str) -> ReferenceKind:
    """A list by its code (`theme`) or its French name (« Thème »); a local list refused."""
    folded = fold(clean_line(name or ""))
    for kind in ReferenceKind:
        if folded in (kind.value, fold(kind.label)):
            if is_local(kind):
                raise RuleViolation(
                    f"La liste « {kind.label} » est locale : chaque structure la change "
                    "elle-même (Administration de la structure)."
                )
            return kind
    return _kind(name)  # raises the « Liste de référence inconnue. » refusal


class NationalListService(ServiceBase):
    def values(self, kind: str) -> tuple[ReferenceEntry, ...]:
        national = national_kind(kind)
        rows = ReferenceValue.select().where(
            (ReferenceValue.kind == national.value) & ReferenceValue.structure.is_null()
        )
        return tuple(
            _entry(r, 0) for r in rows.order_by(ReferenceValue.position, ReferenceValue.id)
        )

    def add(self, actor: Actor, kind: str, label: str) -> ReferenceEntry:
        with self.writing():
            counsellor = self._authorize(actor)
            national = national_kind(kind)
            self._lock(national)
            text = AdministrationService._label(national, label, None, counsellor.structure_id)
            last = (
                ReferenceValue.select(ReferenceValue.position)
                .where((ReferenceValue.kind == national.value) & ReferenceValue.structure.is_null())
                .order_by(ReferenceValue.position.desc())
                .first()
            )
            value = ReferenceValue.create(
                kind=national.value,
                label=text,
                position=(last.position if last else 0) + 1,
                active=True,
                structure=None,
            )
            self._record(counsellor, "Ajout", value.id, None, value)
        return _entry(value, 0)

    def rename(self, actor: Actor, kind: str, old: str, new: str) -> ReferenceEntry:
        with self.writing():
            counsellor = self._authorize(actor)
            national = national_kind(kind)
            self._lock(national)
            value = self._value(national, old)
            before = audit.snapshot(value)
            value.label = AdministrationService._label(
                national, new, value, counsellor.structure_id
            )
            value.save()
            self._record(counsellor, "Renommage", value.id, before, value)
        return _entry(value, 0)

    def deactivate(self, actor: Actor, kind: str, label: str) -> ReferenceEntry:
        with self.writing():
            counsellor = self._authorize(actor)
            national = national_kind(kind)
            self._lock(national)
            value = self._value(national, label)
            if not value.active:
                raise RuleViolation(f"« {value.label} » est déjà désactivée.")
            AdministrationService._keep_one_active(value)
            before = audit.snapshot(value)
            value.active = False
            value.save()
            self._record(counsellor, "Désactivation", value.id, before, value)
        return _entry(value, 0)

    # -- helpers ------------------------------------------------------------------------
    def _authorize(self, actor: Actor) -> Counsellor:
        account = session_os_account()
        if account not in settings().national_administrators:
            raise NationalListRefused(account)
        return self.authorize(actor)

    @staticmethod
    def _lock(kind: ReferenceKind) -> None:
        """Lock the list's values until the write ends: two national administrators go
        one after the other on PostgreSQL, as on SQLite, so that a label's uniqueness and
        the last active value are not decided on a stale read."""
        national = (ReferenceValue.kind == kind.value) & ReferenceValue.structure.is_null()
        list(for_update(ReferenceValue.select(ReferenceValue.id).where(national)))

    @staticmethod
    def _value(kind: ReferenceKind, label: str) -> ReferenceValue:
        folded = fold(clean_line(label or ""))
        rows = ReferenceValue.select().where(
            (ReferenceValue.kind == kind.value) & ReferenceValue.structure.is_null()
        )
        for row in rows:
            if fold(row.label) == folded:
                return row
        raise NotFound(f"« {clean_line(label or '')} » n'est pas dans la liste « {kind.label} ».")

    def _record(self, counsellor, verb, value_id, before, value) -> None:
        audit.record(
            counsellor,
            self.clock.now(),
            f"Liste nationale : {verb} de valeur de référence",
            ENTITY,
            value_id,
            before,
            audit.snapshot(value),
        )
