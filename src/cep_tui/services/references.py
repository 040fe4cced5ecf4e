"""Reference lists (Sens, Nature, Aiguilleur, …) as the forms offer them."""

from __future__ import annotations

from cep_tui.db.models import Counsellor, ReferenceValue
from cep_tui.services.base import ServiceBase
from cep_tui.services.converters import counsellor_option, ref
from cep_tui.services.views import Actor, CounsellorOption, RefValue
from cep_tui.vocabulary import ReferenceKind


def owned_by(structure_id: int | None):
    """The values a structure may see and hold: the national ones and its own."""
    return ReferenceValue.structure.is_null() | (ReferenceValue.structure == structure_id)


def reference_id(
    kind: ReferenceKind,
    *,
    code: str | None = None,
    label: str | None = None,
    structure_id: int | None = None,
) -> int | None:
    """The id of a value named by its national code or its label, or None; a local
    list's value is the one of `structure_id`."""
    condition = (ReferenceValue.kind == kind.value) & owned_by(structure_id)
    condition &= (ReferenceValue.code == code) if code else (ReferenceValue.label == label)
    value = ReferenceValue.get_or_none(condition)
    return value.id if value else None


class ReferenceService(ServiceBase):
    def choices(
        self,
        actor: Actor,
        kind: ReferenceKind,
        keep_id: int | None = None,
        *,
        include_inactive: bool = False,
    ) -> tuple[RefValue, ...]:
        """The active values of a list in their order, as the actor's structure sees it
        (a local list: its own values only); `keep_id` keeps a deactivated value that a
        record already holds, so that editing it does not lose it.
        `include_inactive` gives them all (a search filter finds old records too)."""
        condition = (ReferenceValue.kind == kind.value) & owned_by(actor.structure_id)
        if not include_inactive:
            active = ReferenceValue.active == True  # noqa: E712
            condition &= (active | (ReferenceValue.id == keep_id)) if keep_id else active
        rows = (
            ReferenceValue.select()
            .where(condition)
            .order_by(ReferenceValue.position, ReferenceValue.label)
        )
        return tuple(ref(r) for r in rows)

    def counsellors(self, actor: Actor, keep_id: int | None = None) -> tuple[CounsellorOption, ...]:
        """The active counsellors of the actor's structure (Intervenant, Conseiller référent);
        `keep_id` keeps a deactivated one that a record already names."""
        active = Counsellor.active == True  # noqa: E712
        if keep_id:
            active |= Counsellor.id == keep_id
        rows = (
            Counsellor.select()
            .where((Counsellor.structure == actor.structure_id) & active)
            .order_by(Counsellor.last_name, Counsellor.first_name, Counsellor.id)
        )
        return tuple(counsellor_option(c) for c in rows)
