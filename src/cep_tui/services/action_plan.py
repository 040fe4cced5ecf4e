"""The « Plan d'action » of a CEP: lines the counsellor writes with the young person (what,
by when, where it stands). The rights are those of changing the CEP; a closed CEP's plan is
read-only, like the CEP itself. Every write is audited, in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cep_tui.db.connection import for_update
from cep_tui.db.models import ActionPlanItem, Counsellor, DispositifType, Dossier, Enrolment
from cep_tui.services import audit
from cep_tui.services.base import ServiceBase
from cep_tui.services.converters import counsellor_name, read_line
from cep_tui.services.dates import format_date, read_date
from cep_tui.services.errors import EditConflict, FieldErrors, NotFound, RuleViolation
from cep_tui.services.views import ActionPlanItemView, Actor
from cep_tui.vocabulary import ACTION_TEXT_MAX_LENGTH, CEP_CODE, ActionState, EnrolmentStatus, Right

CLOSED_PLAN_IS_READ_ONLY = (
    "Ce dispositif est clôturé : son plan d'action ne peut plus être modifié."
)
ONLY_CEP_HAS_A_PLAN = "Seul le dispositif CEP a un plan d'action."
ITEM_NOT_FOUND = "Action introuvable : elle a peut-être été supprimée."


@dataclass(frozen=True)
class ActionPlanInput:
    text: str = ""
    target_date: dt.date | str | None = None
    state: ActionState | str | None = ActionState.TO_DO


def item_view(item: ActionPlanItem) -> ActionPlanItemView:
    state = ActionState(item.state)
    return ActionPlanItemView(
        id=item.id,
        enrolment_id=item.enrolment_id,
        text=item.text,
        target_date=item.target_date,
        state=state,
        version=item.version,
    )


def plan_refusal(actor: Actor, in_progress: bool) -> str | None:
    """Why this counsellor cannot change a CEP's plan now (None: they can)."""
    if not actor.can(Right.PROPOSE_CEP):
        return f"Il vous manque le droit « {Right.PROPOSE_CEP.label} »."
    if not in_progress:
        return CLOSED_PLAN_IS_READ_ONLY
    return None


class ActionPlanService(ServiceBase):
    # -- reading -----------------------------------------------------------------------
    def for_dossier(
        self, actor: Actor, dossier_id: int
    ) -> dict[int, tuple[ActionPlanItemView, ...]]:
        """The plan of every CEP of the dossier, by enrolment id, in target-date order
        (one query, whatever the number of CEPs)."""
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        rows = (
            ActionPlanItem.select()
            .join(Enrolment)
            .where(Enrolment.dossier == dossier.id)
            .order_by(ActionPlanItem.target_date, ActionPlanItem.id)
        )
        plans: dict[int, list[ActionPlanItemView]] = {}
        for row in rows:
            plans.setdefault(row.enrolment_id, []).append(item_view(row))
        return {enrolment_id: tuple(items) for enrolment_id, items in plans.items()}

    def of_enrolment(self, actor: Actor, enrolment_id: int) -> tuple[ActionPlanItemView, ...]:
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        enrolment = self._enrolment(counsellor, enrolment_id)
        return tuple(item_view(row) for row in _items(enrolment.id))

    # -- writing -----------------------------------------------------------------------
    def add(self, actor: Actor, enrolment_id: int, form: ActionPlanInput) -> ActionPlanItemView:
        with self.writing():
            counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
            enrolment = self._enrolment(counsellor, enrolment_id, lock=True)
            self._check_writable(enrolment)
            values = self._validate(form, enrolment)
            now = self.clock.now()
            item = ActionPlanItem.create(
                enrolment=enrolment,
                created_at=now,
                created_by=counsellor,
                updated_at=now,
                updated_by=counsellor,
                **values,
            )
            audit.record(
                counsellor,
                now,
                "Ajout d'une action au plan d'action",
                "action_plan_item",
                item.id,
                None,
                _state(item, enrolment),
            )
            return item_view(item)

    def modify(
        self,
        actor: Actor,
        item_id: int,
        form: ActionPlanInput,
        expected_version: int | None = None,
    ) -> ActionPlanItemView:
        with self.writing():
            counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
            item, enrolment = self._item(counsellor, item_id)
            self._check_writable(enrolment)
            _check_version(item, expected_version)
            values = self._validate(form, enrolment)
            before = _state(item, enrolment)
            now = self.clock.now()
            changed = (
                ActionPlanItem.update(
                    version=ActionPlanItem.version + 1,
                    updated_at=now,
                    updated_by=counsellor,
                    **values,
                )
                .where((ActionPlanItem.id == item.id) & (ActionPlanItem.version == item.version))
                .execute()
            )
            if changed != 1:  # a colleague saved it between our read and our write
                raise EditConflict(_conflict_message(ActionPlanItem.get_by_id(item.id)))
            item = ActionPlanItem.get_by_id(item.id)
            audit.record(
                counsellor,
                now,
                "Modification d'une action du plan d'action",
                "action_plan_item",
                item.id,
                before,
                _state(item, enrolment),
            )
            return item_view(item)

    def delete(self, actor: Actor, item_id: int, expected_version: int | None = None) -> None:
        with self.writing():
            counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
            item, enrolment = self._item(counsellor, item_id)
            self._check_writable(enrolment)
            _check_version(item, expected_version)
            before = _state(item, enrolment)
            item.delete_instance()
            audit.record(
                counsellor,
                self.clock.now(),
                "Suppression d'une action du plan d'action",
                "action_plan_item",
                item_id,
                before,
                None,
            )

    # -- rules -------------------------------------------------------------------------
    @staticmethod
    def _check_writable(enrolment: Enrolment) -> None:
        if enrolment.dispositif.code != CEP_CODE:
            raise RuleViolation(ONLY_CEP_HAS_A_PLAN)
        if enrolment.status != EnrolmentStatus.IN_PROGRESS.value:
            raise RuleViolation(CLOSED_PLAN_IS_READ_ONLY)

    @staticmethod
    def _validate(form: ActionPlanInput, enrolment: Enrolment) -> dict:
        errors = FieldErrors()
        text = read_line(errors, "text", form.text, "Action", ACTION_TEXT_MAX_LENGTH)
        if not text and "text" not in errors:
            errors.add("text", "Action : ce champ est obligatoire.")
        target = read_date(errors, "target_date", form.target_date, "Échéance", required=True)
        if target and target < enrolment.entry_date:
            errors.add(
                "target_date",
                "Échéance : ne peut pas précéder l'entrée dans le CEP "
                f"({format_date(enrolment.entry_date)}).",
            )
        try:
            state = ActionState(form.state)
        except ValueError:
            errors.add("state", "État : choisir « à faire », « fait » ou « abandonné ».")
            state = None
        errors.raise_if_any()
        return {"text": text, "target_date": target, "state": state.value}

    def _enrolment(
        self, counsellor: Counsellor, enrolment_id: int, *, lock: bool = False
    ) -> Enrolment:
        """The enrolment, within the counsellor's structure; `lock` (inside `writing()`):
        its dossier locked first, so that a close of the CEP and a change of its plan
        queue one after the other (PostgreSQL; SQLite's write lock already does)."""
        query = (
            Enrolment.select(Enrolment, DispositifType)
            .join(DispositifType)
            .switch(Enrolment)
            .join(Dossier)
            .where((Enrolment.id == enrolment_id) & (Dossier.structure == counsellor.structure_id))
        )
        enrolment = query.first()
        if enrolment is None:
            raise NotFound("Dispositif introuvable : il a peut-être été supprimé.")
        if lock:
            self.dossier_of(counsellor, enrolment.dossier_id, lock=True)
            enrolment = query.first()
            if enrolment is None:
                raise NotFound("Dispositif introuvable : il a peut-être été supprimé.")
        return enrolment

    def _item(self, counsellor: Counsellor, item_id: int) -> tuple[ActionPlanItem, Enrolment]:
        """The line and its CEP, the dossier locked (see `_enrolment`), the line read
        again once locked."""
        query = (
            ActionPlanItem.select(ActionPlanItem.id, ActionPlanItem.enrolment)
            .join(Enrolment)
            .join(Dossier)
            .where((ActionPlanItem.id == item_id) & (Dossier.structure == counsellor.structure_id))
        )
        found = query.first()
        if found is None:
            raise NotFound(ITEM_NOT_FOUND)
        enrolment = self._enrolment(counsellor, found.enrolment_id, lock=True)
        item = for_update(ActionPlanItem.select().where(ActionPlanItem.id == item_id)).first()
        if item is None:
            raise NotFound(ITEM_NOT_FOUND)
        return item, enrolment


def _items(enrolment_id: int) -> list[ActionPlanItem]:
    return list(
        ActionPlanItem.select()
        .where(ActionPlanItem.enrolment == enrolment_id)
        .order_by(ActionPlanItem.target_date, ActionPlanItem.id)
    )


def _state(item: ActionPlanItem, enrolment: Enrolment) -> dict:
    """The audited state of a line; it names the dossier, which outlives a deleted line
    (the retention finds a dossier's audit records by it)."""
    return {**audit.snapshot(item), "dossier": enrolment.dossier_id}


def _check_version(item: ActionPlanItem, expected: int | None) -> None:
    if expected is not None and item.version != expected:
        raise EditConflict(_conflict_message(item))


def _conflict_message(item: ActionPlanItem) -> str:
    who = counsellor_name(Counsellor.get_or_none(Counsellor.id == item.updated_by_id))
    return (
        f"Cette action a été modifiée par {who} le {item.updated_at:%d/%m/%Y à %H:%M} : "
        "vos changements n'ont pas été enregistrés. Rouvrez-la pour repartir de sa "
        "version actuelle."
    )
